//! Reading logs over long block ranges. RPC providers cap `eth_getLogs`, by blocks or by results, and
//! answer a request over the cap with an error (or time out on a huge result), so [`get_logs_split`]
//! halves a range that fails, down to a single block. The [`Client`](crate::Client) also asks in ranges of
//! at most [`DEFAULT_LOG_RANGE`] blocks (`ClientBuilder::log_range`); the indexer's backfill uses
//! [`get_logs_split`] for each of its ranges.

use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, Log};
use alloy::transports::{RpcError, TransportErrorKind};

/// Blocks per `eth_getLogs` request unless the builder says otherwise: what most providers accept.
pub const DEFAULT_LOG_RANGE: u64 = 10_000;

type RpcResult<T> = Result<T, RpcError<TransportErrorKind>>;

/// The logs of `filter` in `from..=to`, in chain order, fetched in ranges of at most `range` blocks.
pub(crate) async fn logs_in(
    provider: &DynProvider,
    filter: &Filter,
    from: u64,
    to: u64,
    range: u64,
) -> RpcResult<Vec<Log>> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = to.min(start.saturating_add(range.max(1) - 1));
        out.extend(get_logs_split(provider, filter, start, end).await?);
        if end == u64::MAX {
            break;
        }
        start = end + 1;
    }
    Ok(out)
}

/// The newest log of `filter` in `from..=to`, scanning backwards from `to` in ranges of at most `range`
/// blocks and stopping at the first range that has one.
pub(crate) async fn newest_log(
    provider: &DynProvider,
    filter: &Filter,
    from: u64,
    to: u64,
    range: u64,
) -> RpcResult<Option<Log>> {
    let mut end = to;
    loop {
        let start = end.saturating_sub(range.max(1) - 1).max(from);
        if start > end {
            return Ok(None);
        }
        let logs = get_logs_split(provider, filter, start, end).await?;
        if let Some(last) = logs.into_iter().last() {
            return Ok(Some(last));
        }
        if start <= from || start == 0 {
            return Ok(None);
        }
        end = start - 1;
    }
}

/// The logs of `filter` (its address and topics; its block range is replaced) in `from..=to`, in chain
/// order: one `eth_getLogs`, or, when that fails, the two halves of the range, recursively. Only a
/// single block's failure is returned: retrying it is the caller's choice.
pub async fn get_logs_split<P: Provider + ?Sized>(
    provider: &P,
    filter: &Filter,
    from: u64,
    to: u64,
) -> RpcResult<Vec<Log>> {
    let mut out = Vec::new();
    // Ranges still to fetch, the earliest last (so that results come in chain order).
    let mut todo = vec![(from, to)];
    while let Some((a, b)) = todo.pop() {
        let f = filter.clone().from_block(a).to_block(b);
        match provider.get_logs(&f).await {
            Ok(logs) => out.extend(logs),
            Err(e) if b > a => {
                tracing::debug!(from = a, to = b, error = %e, "eth_getLogs failed; halving the range");
                let mid = a + (b - a) / 2;
                todo.push((mid + 1, b));
                todo.push((a, mid));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
