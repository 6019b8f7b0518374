//! The ceiling of `scripts/bench/indexer` (not a tool for users): a bare alloy client that pulls every log
//! of the Curia contracts with `eth_getLogs`, in the ranges and with the concurrency `curia index` uses,
//! without decoding them or writing them anywhere. Prints one JSON line: events, blocks, seconds, events/s.
//!
//! ```text
//! cargo run --release -p curia-indexer --example bench_logs -- --rpc-url URL --deployment d.json \
//!     [--range 2000] [--concurrency 4]
//! ```

use std::collections::HashMap;
use std::time::Instant;

use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::Filter;
use curia_sdk::Deployment;
use futures::{StreamExt, TryStreamExt};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn args() -> Result<HashMap<String, String>, Error> {
    let mut out = HashMap::new();
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let k = k
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {k}"))?
            .to_owned();
        let v = it.next().ok_or_else(|| format!("--{k} needs a value"))?;
        out.insert(k, v);
    }
    Ok(out)
}

fn num(a: &HashMap<String, String>, k: &str, default: u64) -> Result<u64, Error> {
    a.get(k).map_or(Ok(default), |v| {
        v.parse().map_err(|e| format!("--{k} {v}: {e}").into())
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let a = args()?;
    let rpc = a.get("rpc-url").ok_or("--rpc-url is required")?;
    let d = Deployment::load(a.get("deployment").ok_or("--deployment is required")?)?;
    let range = num(&a, "range", 2_000)?.max(1);
    let concurrency = usize::try_from(num(&a, "concurrency", 4)?.max(1))?;
    let addresses = vec![d.config, d.registry, d.curation, d.challenges];

    let provider = ProviderBuilder::new().connect_http(rpc.parse()?);
    let t0 = Instant::now();
    let head = provider.get_block_number().await?;
    let from = d.deployment_block;
    let ranges: Vec<(u64, u64)> = (0..)
        .map(|i| from + i * range)
        .take_while(|x| *x <= head)
        .map(|x| (x, (x + range - 1).min(head)))
        .collect();
    let provider = &provider;
    let addresses = &addresses;
    let events: usize = futures::stream::iter(ranges)
        .map(|(a, b)| async move {
            let filter = Filter::new()
                .address(addresses.clone())
                .from_block(a)
                .to_block(b);
            provider.get_logs(&filter).await.map(|logs| logs.len())
        })
        .buffer_unordered(concurrency)
        .try_fold(0, |acc, n| async move { Ok(acc + n) })
        .await?;
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "events": events,
            "blocks": head + 1 - from,
            "seconds": secs,
            "eventsPerSecond": events as f64 / secs,
        })
    );
    Ok(())
}
