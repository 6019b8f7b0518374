//! The realtime lag probe of `scripts/bench/indexer` (not a tool for users).
//!
//! Drives anvil itself: turns automine off, then every `--interval-ms` on average (each gap drawn
//! uniformly within ± `--jitter-pct`, so that the blocks do not stay in phase with the indexer's own
//! polling period) sends one signal (through a
//! `BenchEvents` instance written by `bench_generate`, from an unlocked anvil account) and mines a block
//! with `evm_mine`. The moment `evm_mine` returns is the block's arrival (it is then on the node for
//! everyone). Measures, per block, the time until:
//!
//! - **sse**: its Signalled event arrives on the API's server-sent event stream (`/v1/events/stream`);
//! - **visible**: `/status` reports it indexed (polled every `--status-poll-ms`), i.e. its events can be
//!   read from the REST routes.
//!
//! Prints one JSON line with p50/p95/p99/max in milliseconds over `--blocks` blocks (after `--warmup`).
//!
//! ```text
//! cargo run --release -p curia-indexer --example bench_lag -- --rpc-url URL --api http://127.0.0.1:8080 \
//!     --bench bench.json [--blocks 200] [--interval-ms 250]
//! ```

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alloy::primitives::{Address, B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::sol;
use alloy::sol_types::SolCall;
use futures::StreamExt;
use support::{Args, Error};

sol! {
    function signal(bytes32[] calldata versions, uint256 n, uint256 amount) external;
}

type Seen = Arc<Mutex<HashMap<u64, Instant>>>;

/// Reads the event stream, noting when each block's first event arrives.
async fn read_sse(resp: reqwest::Response, seen: Seen) {
    let mut body = resp.bytes_stream();
    let mut buf: Vec<u8> = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        let now = Instant::now();
        buf.extend_from_slice(&chunk);
        while let Some(nl) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=nl).collect();
            let line = String::from_utf8_lossy(&line);
            if let Some(id) = line.strip_prefix("id:") {
                if let Some(block) = id
                    .trim()
                    .split_once('-')
                    .and_then(|(b, _)| b.parse::<u64>().ok())
                {
                    if let Ok(mut s) = seen.lock() {
                        s.entry(block).or_insert(now);
                    }
                }
            }
        }
    }
}

/// Polls `/status`, noting when each block is first reported indexed.
async fn poll_status(client: reqwest::Client, url: String, every: Duration, seen: Seen) {
    let mut last: Option<u64> = None;
    loop {
        if let Ok(resp) = client.get(&url).send().await {
            if let Ok(v) = resp.json::<serde_json::Value>().await {
                if let Some(indexed) = v["indexedBlock"].as_u64() {
                    let now = Instant::now();
                    let from = last.map_or(indexed, |l| l + 1);
                    if let Ok(mut s) = seen.lock() {
                        for b in from..=indexed {
                            s.entry(b).or_insert(now);
                        }
                    }
                    last = Some(last.map_or(indexed, |l| l.max(indexed)));
                }
            }
        }
        tokio::time::sleep(every).await;
    }
}

fn percentiles(mut ms: Vec<f64>, missing: usize) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| {
        if ms.is_empty() {
            return f64::NAN;
        }
        let i = ((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1;
        (ms[i] * 10.0).round() / 10.0
    };
    serde_json::json!({
        "n": ms.len(), "missing": missing,
        "p50": p(0.50), "p95": p(0.95), "p99": p(0.99), "max": p(1.0),
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let a = Args::parse()?;
    let rpc = a.required("rpc-url")?;
    let api = a
        .get("api")
        .ok_or("--api is required")?
        .trim_end_matches('/')
        .to_owned();
    let bench: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.required("bench")?)?)?;
    let blocks = a.num("blocks", 200)?;
    let warmup = a.num("warmup", 5)?;
    let interval = Duration::from_millis(a.num("interval-ms", 250)?);
    let jitter = a.num("jitter-pct", 20)?.min(100) as f64 / 100.0;
    let status_poll = Duration::from_millis(a.num("status-poll-ms", 5)?.max(1));

    let to: Address = bench["bench"][0]
        .as_str()
        .ok_or("bench.json: no bench address")?
        .parse()?;
    let from: Address = bench["sender"]
        .as_str()
        .ok_or("bench.json: no sender")?
        .parse()?;
    let versions: Vec<B256> = bench["versions"]
        .as_array()
        .ok_or("bench.json: no versions")?
        .iter()
        .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect();
    let data = signalCall {
        versions,
        n: U256::from(1u64),
        amount: U256::from(10u64).pow(U256::from(18u64)),
    }
    .abi_encode();
    let tx = serde_json::json!({
        "from": from, "to": to, "data": format!("0x{}", alloy::primitives::hex::encode(&data)),
        "gas": "0x7a120", "maxFeePerGas": "0x174876e800", "maxPriorityFeePerGas": "0x1",
    });

    let provider = ProviderBuilder::new().connect_http(rpc.parse()?);
    let client = reqwest::Client::new();
    let sse_seen: Seen = Arc::default();
    let visible_seen: Seen = Arc::default();
    let resp = client
        .get(format!(
            "{api}/v1/events/stream?after=latest&name=Signalled"
        ))
        .header("accept", "text/event-stream")
        .send()
        .await?
        .error_for_status()?;
    let sse = tokio::spawn(read_sse(resp, sse_seen.clone()));
    let status = tokio::spawn(poll_status(
        client.clone(),
        format!("{api}/status"),
        status_poll,
        visible_seen.clone(),
    ));

    provider
        .raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (false,))
        .await?;
    let mut mined: Vec<(u64, Instant)> = Vec::new();
    let mut next = tokio::time::Instant::now();
    let run = async {
        for _ in 0..warmup + blocks {
            next += interval.mul_f64(1.0 + jitter * (2.0 * rand::random::<f64>() - 1.0));
            tokio::time::sleep_until(next).await;
            provider
                .raw_request::<_, B256>("eth_sendTransaction".into(), (tx.clone(),))
                .await?;
            provider
                .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
                .await?;
            let t = Instant::now();
            let n = provider.get_block_number().await?;
            mined.push((n, t));
        }
        Ok::<(), Error>(())
    };
    let result = run.await;
    let _ = provider
        .raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (true,))
        .await;
    result?;

    // Wait for the last blocks (at most 5 s).
    let last = mined.last().map(|m| m.0).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let done = |s: &Seen| s.lock().map(|s| s.contains_key(&last)).unwrap_or(false);
        if done(&sse_seen) && done(&visible_seen) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sse.abort();
    status.abort();

    let lags = |seen: &Seen| {
        let s = seen.lock().map(|s| s.clone()).unwrap_or_default();
        let mut ms = Vec::new();
        let mut missing = 0;
        for (n, t) in mined.iter().skip(warmup as usize) {
            match s.get(n) {
                Some(v) => ms.push(v.saturating_duration_since(*t).as_secs_f64() * 1e3),
                None => missing += 1,
            }
        }
        percentiles(ms, missing)
    };
    println!(
        "{}",
        serde_json::json!({
            "blocks": blocks,
            "intervalMs": interval.as_millis() as u64,
            "jitterPct": (jitter * 100.0).round() as u64,
            "sse": lags(&sse_seen),
            "visible": lags(&visible_seen),
        })
    );
    Ok(())
}
