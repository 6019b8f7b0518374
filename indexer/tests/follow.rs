//! The follower against a real anvil, into a real SQLite file and a real PostgreSQL database: backfill,
//! head following, reorgs at depth 1, 3 and 10, restarts, rebuilds and a restarted devnet.

mod common;

use std::sync::atomic::Ordering;

use alloy::providers::Provider;
use common::*;
use curia_indexer::IndexerError;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_and_follow_mirror_the_chain() {
    let net = devnet().await;
    let dbs = databases().await;
    let w = workload(&net).await;
    for url in &dbs.urls {
        let f = follower(&net, url, false).await;
        let head = f.sync().await.expect("sync");
        assert_eq!(head, net.provider().get_block_number().await.expect("head"));
        let store = curia_indexer::Store::open(url).await.expect("store");
        assert_matches_chain(&store, &net, &w).await;

        // Following the head: new blocks are applied in order.
        more(&net, &w, 1).await;
        f.sync().await.expect("sync");
        assert_matches_chain(&store, &net, &w).await;

        // Rebuilding the projections from the raw events gives the same database.
        let before = dump(&store).await;
        let n = store.rebuild().await.expect("rebuild");
        assert!(n > 50, "rebuilt from {n} events");
        assert_eq!(
            dump(&store).await,
            before,
            "rebuild changed the projections ({url})"
        );
    }
}

/// Behind a node that refuses `eth_getLogs` over more than 4 blocks (as hosted providers cap ranges),
/// backfill ranges of 2,000 blocks are split until the node answers, and the index is still exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_splits_ranges_the_node_refuses() {
    use alloy::providers::ProviderBuilder;
    let net = devnet().await;
    let dbs = databases().await;
    let w = workload(&net).await;
    let proxy = curia_sdk::devnet::RangeLimitProxy::start(&net.endpoint(), 4)
        .await
        .expect("proxy");
    let provider = ProviderBuilder::new()
        .connect_http(proxy.url().parse().expect("proxy url"))
        .erased();
    for url in &dbs.urls {
        let f = follower_via(&net, provider.clone(), url, false, 2_000, 4).await;
        f.sync().await.expect("sync through the proxy");
        let store = curia_indexer::Store::open(url).await.expect("store");
        assert_matches_chain(&store, &net, &w).await;
    }
    assert!(proxy.refused() > 0, "the proxy refused the wide ranges");
}

/// Replaces the last `depth` blocks with other ones: `anvil_reorg` (empty blocks in place of the old ones)
/// or `anvil_rollback` followed by new transactions.
async fn reorg(net: &curia_sdk::devnet::Devnet, depth: u64, rollback: bool) {
    let p = net.provider();
    if rollback {
        p.raw_request::<_, serde_json::Value>("anvil_rollback".into(), (depth,))
            .await
            .expect("anvil_rollback");
    } else {
        p.raw_request::<_, serde_json::Value>(
            "anvil_reorg".into(),
            (depth, Vec::<serde_json::Value>::new()),
        )
        .await
        .expect("anvil_reorg");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reorgs_at_depth_1_3_and_10_are_rolled_back() {
    let net = devnet().await;
    let dbs = databases().await;
    let w = workload(&net).await;
    let followers = futures_join(&net, &dbs.urls).await;
    for (round, (depth, rollback)) in [(1u64, true), (3, false), (10, true), (10, false)]
        .into_iter()
        .enumerate()
    {
        // Twelve blocks with events, all indexed; then the last `depth` are replaced.
        for i in 0..4 {
            more(&net, &w, 10 * round as u64 + i).await;
        }
        for f in &followers {
            f.sync().await.expect("sync");
        }
        let head = net.provider().get_block_number().await.expect("head");
        // The last round starts from a rebuilt index, whose undo journal is empty: the rollback falls back
        // to rebuilding every projection.
        let fallback = round == 3;
        if fallback {
            for url in &dbs.urls {
                let store = curia_indexer::Store::open(url).await.expect("store");
                store.rebuild().await.expect("rebuild");
            }
        }
        reorg(&net, depth, rollback).await;
        more(&net, &w, 100 + round as u64).await;
        assert!(net.provider().get_block_number().await.expect("head") >= head - depth);
        for (f, url) in followers.iter().zip(&dbs.urls) {
            let reorgs = f.sync_and_reorgs().await;
            assert!(
                reorgs >= 1,
                "the reorg at depth {depth} was noticed ({url})"
            );
            let store = curia_indexer::Store::open(url).await.expect("store");
            assert_matches_chain(&store, &net, &w).await;
            // Rolled back with the undo journal, not by a full rebuild (which empties the journal, so that
            // it starts again above the fork), except in the fallback round.
            let oldest: Option<i64> = sqlx::query("SELECT min(first_block) FROM undo_batches")
                .fetch_one(store.pool())
                .await
                .expect("journal")
                .get(0);
            let undone = oldest.is_some_and(|b| b as u64 <= head - depth);
            // The rollback is recorded for the event stream, at or below the replaced blocks.
            let fork: Option<i64> =
                sqlx::query("SELECT fork_block FROM reorgs ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(store.pool())
                    .await
                    .expect("reorgs")
                    .map(|r| r.get(0));
            assert!(
                fork.is_some_and(|f| f as u64 <= head - depth),
                "round {round}: recorded fork {fork:?}, expected at most {} ({url})",
                head - depth
            );
            assert_eq!(
                undone,
                !fallback,
                "round {round}: rolled back with the journal? fork {} ({url}), oldest batch {oldest:?}",
                head - depth
            );
        }
    }
}

async fn futures_join(net: &curia_sdk::devnet::Devnet, urls: &[String]) -> Vec<Tracked> {
    let mut out = Vec::new();
    for url in urls {
        out.push(Tracked::new(net, url).await);
    }
    out
}

/// A follower with its metrics, to count reorgs.
struct Tracked {
    follower: curia_indexer::Follower,
    metrics: std::sync::Arc<curia_indexer::Metrics>,
}

impl Tracked {
    async fn new(net: &curia_sdk::devnet::Devnet, url: &str) -> Self {
        let metrics = std::sync::Arc::new(curia_indexer::Metrics::default());
        let store = curia_indexer::Store::open(url).await.expect("store");
        let config = curia_indexer::FollowerConfig {
            start_block: net.deployment().deployment_block,
            finality_depth: 16,
            poll_interval: std::time::Duration::from_millis(20),
            range: 5,
            concurrency: 2,
            reset: false,
            ws_url: None,
        };
        let follower = curia_indexer::Follower::new(
            net.provider().clone(),
            store,
            curia_indexer::decode::Contracts::of(net.deployment()),
            config,
            metrics.clone(),
        )
        .await
        .expect("follower");
        Self { follower, metrics }
    }

    async fn sync(&self) -> Result<u64, IndexerError> {
        self.follower.sync().await
    }

    async fn sync_and_reorgs(&self) -> u64 {
        let before = self.metrics.reorgs.load(Ordering::Relaxed);
        self.follower.sync().await.expect("sync after reorg");
        self.metrics.reorgs.load(Ordering::Relaxed) - before
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_where_it_stopped() {
    let net = devnet().await;
    let dbs = databases().await;
    let _w = workload(&net).await;
    let reference = tempfile::tempdir().expect("tempdir");
    let reference_url = reference.path().join("reference.db").display().to_string();
    follower(&net, &reference_url, false)
        .await
        .sync()
        .await
        .expect("reference");
    let reference = dump(
        &curia_indexer::Store::open(&reference_url)
            .await
            .expect("store"),
    )
    .await;
    for url in &dbs.urls {
        // A few steps, then the process "stops" (the follower is dropped) and a new one takes over.
        {
            let f = follower_with(&net, url, false, 1, 1).await;
            for _ in 0..3 {
                f.step().await.expect("step");
            }
        }
        let partial = dump(&curia_indexer::Store::open(url).await.expect("store")).await;
        assert!(
            partial.len() < reference.len(),
            "the first run stopped part way"
        );
        follower(&net, url, false)
            .await
            .sync()
            .await
            .expect("resume");
        let resumed = dump(&curia_indexer::Store::open(url).await.expect("store")).await;
        assert_eq!(
            resumed, reference,
            "a resumed index equals an uninterrupted one ({url})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_devnet_is_detected() {
    let dbs = databases().await;
    let first = devnet().await;
    first.mint(first.address(1), tok("1")).await.expect("mint");
    for url in &dbs.urls {
        follower(&first, url, false)
            .await
            .sync()
            .await
            .expect("sync");
    }
    drop(first);
    // A new anvil: same contract addresses (same deployer and nonces), another genesis.
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 1_000;
    let second = curia_sdk::devnet::Devnet::start_with_args(
        &anvil_bin(),
        &curia_sdk::Terms::devnet(),
        &["--timestamp", &later.to_string()],
    )
    .await
    .expect("second devnet");
    let w = workload(&second).await;
    for url in &dbs.urls {
        let store = curia_indexer::Store::open(url).await.expect("store");
        let config = curia_indexer::FollowerConfig {
            start_block: second.deployment().deployment_block,
            ..Default::default()
        };
        let err = curia_indexer::Follower::new(
            second.provider().clone(),
            store.clone(),
            curia_indexer::decode::Contracts::of(second.deployment()),
            config,
            Default::default(),
        )
        .await
        .expect_err("another genesis is refused");
        assert!(matches!(err, IndexerError::ChainMismatch(_)), "{err:?}");
        assert!(
            err.to_string().contains("genesis") && err.to_string().contains("--reset"),
            "{err}"
        );
        // Nothing stored was touched by the refusal.
        assert!(store.checkpoint().await.expect("checkpoint").is_some());
        // With reset: starts over and mirrors the new chain.
        follower(&second, url, true)
            .await
            .sync()
            .await
            .expect("sync after reset");
        assert_matches_chain(&store, &second, &w).await;
    }
    // A devnet restarted with the same genesis (same --timestamp) but another history is refused too.
    let third = curia_sdk::devnet::Devnet::start_with_args(
        &anvil_bin(),
        &curia_sdk::Terms::devnet(),
        &["--timestamp", &later.to_string()],
    )
    .await
    .expect("third devnet");
    third.mint(third.address(1), tok("1")).await.expect("mint");
    for url in &dbs.urls {
        let store = curia_indexer::Store::open(url).await.expect("store");
        let config = curia_indexer::FollowerConfig {
            start_block: third.deployment().deployment_block,
            ..Default::default()
        };
        let err = curia_indexer::Follower::new(
            third.provider().clone(),
            store,
            curia_indexer::decode::Contracts::of(third.deployment()),
            config,
            Default::default(),
        )
        .await
        .expect_err("another history is refused");
        assert!(err.to_string().contains("no longer has"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_writer_per_postgres_database() {
    let Some(pg) = fresh_postgres().await else {
        return;
    };
    let url = pg.url.clone();
    let net = devnet().await;
    let first = follower(&net, &url, false).await;
    let store = curia_indexer::Store::open(&url).await.expect("store");
    let err = curia_indexer::Follower::new(
        net.provider().clone(),
        store,
        curia_indexer::decode::Contracts::of(net.deployment()),
        curia_indexer::FollowerConfig {
            start_block: net.deployment().deployment_block,
            ..Default::default()
        },
        Default::default(),
    )
    .await
    .expect_err("a second writer is refused");
    assert!(matches!(err, IndexerError::WriterLocked), "{err:?}");
    drop(first);
    follower(&net, &url, false)
        .await
        .sync()
        .await
        .expect("the lock is released with the first");
}
