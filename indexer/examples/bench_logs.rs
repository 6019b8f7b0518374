//! The ceiling of `scripts/bench/indexer` (not a tool for users): a bare alloy client that pulls every log
//! of the Curia contracts with `eth_getLogs`, in the ranges and with the concurrency `curia index` uses,
//! without decoding them or writing them anywhere. Prints one JSON line: events, blocks, seconds, events/s.
//!
//! ```text
//! cargo run --release -p curia-indexer --example bench_logs -- --rpc-url URL --deployment d.json \
//!     [--range 2000] [--concurrency 4]
//! ```

mod support;

use std::time::Instant;

use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::Filter;
use curia_sdk::Deployment;
use futures::{StreamExt, TryStreamExt};
use support::{Args, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let a = Args::parse()?;
    let rpc = a.required("rpc-url")?;
    let d = Deployment::load(a.required("deployment")?)?;
    let range = a.num("range", 2_000)?.max(1);
    let concurrency = usize::try_from(a.num("concurrency", 4)?.max(1))?;
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
