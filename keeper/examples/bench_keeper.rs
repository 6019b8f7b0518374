//! The keeper benchmark (`scripts/bench/keeper`): CHALLENGES availability challenges due in the
//! same block, 1 s blocks; reports the time until all are settled and the settle latency in
//! blocks after the deadline (p50/p95), and every failed transaction.
//!
//! Env: CHALLENGES (default 1000), CONCURRENCY (keeper --concurrency, default 1000), POLL_MS
//! (default 250), GAS_LIMIT (anvil block gas limit, default 30000000), WORKERS (accounts that
//! create the challenges in parallel, default 8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use curia_keeper::{Keeper, KeeperConfig};
use curia_sdk::bindings::CuriaChallenges;
use curia_sdk::devnet::{find_anvil, Devnet};
use curia_sdk::mr1::Commitment;
use curia_sdk::{Client, PublishOptions, Terms};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Res<()> {
    let n = env("CHALLENGES", 1000) as usize;
    let concurrency = env("CONCURRENCY", 1000) as usize;
    let poll_ms = env("POLL_MS", 250);
    let gas_limit = env("GAS_LIMIT", 30_000_000);
    let workers = env("WORKERS", 8).clamp(1, 8) as usize;
    let window = 3_600u32;

    let mut terms = Terms::devnet();
    terms.response_window = window;
    terms.thaw_period = terms.reveal_window + window + terms.ruling_window + 60;
    let anvil = find_anvil(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))?;
    let gas = gas_limit.to_string();
    let net = Arc::new(
        Devnet::start_with_args(&anvil, &terms, &["--gas-limit", &gas, "--accounts", "10"]).await?,
    );
    eprintln!("creating {n} challenges with {workers} accounts ...");
    let setup = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let net = net.clone();
        let count = n / workers + usize::from(w < n % workers);
        tasks.push(tokio::spawn(
            async move { create(&net, w + 1, count).await },
        ));
    }
    let mut deadline = 0u64;
    for t in tasks {
        deadline = deadline.max(t.await??);
    }
    eprintln!("set up in {:.1} s", setup.elapsed().as_secs_f64());

    let key = net.key(9).parse()?;
    let mut cfg = KeeperConfig::new(net.endpoint(), key, net.deployment().clone());
    cfg.concurrency = concurrency;
    cfg.poll_interval = Duration::from_millis(poll_ms);
    let keeper = Arc::new(Keeper::new(cfg).await?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runner = {
        let k = keeper.clone();
        tokio::spawn(async move {
            k.run(async {
                let _ = stopped.await;
            })
            .await
        })
    };

    // 1 s blocks from now on; the next block is past every deadline.
    let p = net.provider();
    p.raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (false,))
        .await?;
    p.raw_request::<_, serde_json::Value>("evm_setIntervalMining".into(), (1,))
        .await?;
    let latest = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await?
        .ok_or("no block")?;
    let jump = (deadline + 1).saturating_sub(latest.header.timestamp);
    p.raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (jump,))
        .await?;
    let start_block = latest.header.number;
    let t0 = Instant::now();

    // The first block past every deadline.
    let due_block = loop {
        let b = p
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await?
            .ok_or("no block")?;
        if b.header.timestamp > deadline {
            // The earliest such block after start.
            let mut first = b.header.number;
            for k in (start_block + 1)..b.header.number {
                if let Some(x) = p.get_block_by_number(k.into()).await? {
                    if x.header.timestamp > deadline {
                        first = k;
                        break;
                    }
                }
            }
            break first;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let due_at = t0.elapsed();

    let filter = Filter::new()
        .address(net.deployment().challenges)
        .event_signature(CuriaChallenges::ChallengeSettled::SIGNATURE_HASH)
        .from_block(start_block);
    let logs = loop {
        let logs = p.get_logs(&filter).await?;
        if logs.len() >= n {
            break logs;
        }
        if t0.elapsed() > Duration::from_secs(600) {
            return Err(format!("only {} of {n} settled after 600 s", logs.len()).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let all_settled = t0.elapsed().saturating_sub(due_at);
    let mut latencies: Vec<u64> = logs
        .iter()
        .filter_map(|l| l.block_number)
        .map(|b| b.saturating_sub(due_block))
        .collect();
    latencies.sort_unstable();
    let last_block = latencies.last().copied().unwrap_or_default() + due_block;
    let pct = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };

    // Every transaction of the keeper, and the failed ones.
    let (mut sent, mut reverted) = (0u64, 0u64);
    for b in due_block.saturating_sub(1)..=last_block {
        for r in p.get_block_receipts(b.into()).await?.unwrap_or_default() {
            if r.from == keeper.address() {
                sent += 1;
                if !r.status() {
                    reverted += 1;
                }
            }
        }
    }
    let m = keeper.metrics().snapshot();
    let _ = stop.send(());
    let _ = runner.await;
    println!(
        "{}",
        serde_json::json!({
            "challenges": n,
            "blockTimeSecs": 1,
            "gasLimit": gas_limit,
            "concurrency": concurrency,
            "pollMs": poll_ms,
            "dueBlock": due_block,
            "lastSettleBlock": last_block,
            "secondsToAllSettled": (all_settled.as_secs_f64() * 10.0).round() / 10.0,
            "blocksToAllSettled": last_block - due_block,
            "latencyBlocksP50": pct(0.50),
            "latencyBlocksP95": pct(0.95),
            "latencyBlocksMax": latencies.last(),
            "keeperTransactions": sent,
            "revertedTransactions": reverted,
            "settled": m.settled,
            "lostRaces": m.lost_races,
            "failed": m.failed,
            "rpcErrors": m.rpc_errors,
        })
    );
    Ok(())
}

/// Account `account` creates `count` versions (synthetic one-chunk commitments) and challenges
/// each; returns the latest deadline.
async fn create(net: &Devnet, account: usize, count: usize) -> Res<u64> {
    if count == 0 {
        return Ok(0);
    }
    let c = Client::builder(net.endpoint())
        .private_key(net.key(account))
        .deployment(net.deployment().clone())
        .poll_interval(Duration::from_millis(5))
        .connect()
        .await?;
    net.mint(net.address(account), U256::MAX >> 8).await?;
    c.approve(net.deployment().registry, U256::MAX).await?;
    c.approve(net.deployment().challenges, U256::MAX).await?;
    let model = c
        .create_model(&format!("bench-{account}"), "")
        .await?
        .model_id;
    let mut deadline = 0;
    for _ in 0..count {
        let commitment = Commitment::new(B256::random(), B256::random(), 1, 1);
        let p = c
            .publish_commitment(
                &commitment,
                &PublishOptions {
                    model_id: model,
                    locations: vec!["hf://bench/m@1".into()],
                    ..Default::default()
                },
            )
            .await?;
        let opened = c.challenge_availability(p.version_id, &[0]).await?;
        deadline = deadline.max(opened.deadline);
    }
    Ok(deadline)
}
