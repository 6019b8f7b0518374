//! The keeper against a real anvil: settling after the deadline, answering, two keepers at once,
//! an RPC outage, a restart, and the indexer's database as the source.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy::providers::Provider;
use common::*;
use curia_indexer::decode::Contracts;
use curia_indexer::{Follower, FollowerConfig, Store};
use curia_keeper::{Keeper, Source};
use curia_sdk::mr1::{CommitOptions, FileSet};
use curia_sdk::{ChallengeStatus, VersionStatus};

const PAST_DEADLINE: u64 = 130;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn settles_after_the_deadline_exactly_once() {
    init_logs();
    let net = devnet().await;
    let ch = challenged(&net, 3).await;
    let k = keeper(&net, 3).await;

    let before = k.once().await.expect("once before the deadline");
    assert_eq!(before.settled, 0);
    assert_eq!(before.due, 0);
    assert!(settled_counts(&net).await.is_empty());

    net.increase_time(PAST_DEADLINE).await.expect("time");
    let r = k.once().await.expect("once after the deadline");
    assert_eq!(r.settled, 3, "{r:?}");
    assert_eq!(r.failed, 0, "{r:?}");
    let counts = settled_counts(&net).await;
    for id in &ch.challenges {
        assert_eq!(counts.get(id), Some(&1), "challenge {id}");
    }
    let reader = client(&net, 0).await;
    for v in &ch.versions {
        assert_eq!(
            reader.version(*v).await.expect("version").status,
            VersionStatus::Slashed
        );
    }
    // Nothing left: another round sends nothing.
    let again = k.once().await.expect("once again");
    assert_eq!((again.settled, again.lost_races, again.due), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_with_the_weights_then_settles_failed() {
    init_logs();
    let net = devnet().await;
    let ch = challenged(&net, 3).await;

    // Version 0: `--weights DIR` (hashed again to answer). Version 1: under `--weights-root`,
    // with its outboard `ROOT/<id>.mr1ob`. Version 2: weights not held.
    let root = tempfile::tempdir().expect("root");
    let vdir = root.path().join(format!("{:#x}", ch.versions[1]));
    std::fs::create_dir(&vdir).expect("mkdir");
    for f in ["model.safetensors", "config.json"] {
        std::fs::copy(ch.dirs[1].path().join(f), vdir.join(f)).expect("copy");
    }
    let ob = curia_keeper::outboard_path(&vdir);
    let c = FileSet::scan(&vdir)
        .expect("scan")
        .commit_with(&CommitOptions {
            outboard: Some(&ob),
            progress: None,
        })
        .expect("commit");
    assert_eq!(c.version_id, ch.versions[1]);

    let mut cfg = config(&net, 3, &net.endpoint());
    cfg.weights = vec![ch.dirs[0].path().to_path_buf()];
    cfg.weights_root = Some(root.path().to_path_buf());
    let k = Keeper::new(cfg).await.expect("keeper");
    let r = k.once().await.expect("once");
    assert_eq!(r.responded, 2, "{r:?}");
    // Answered challenges are settleable at once: the keeper settles them too.
    assert_eq!(r.settled, 2, "{r:?}");
    assert_eq!(r.failed, 0, "{r:?}");

    let reader = client(&net, 0).await;
    for (i, expected) in [
        ChallengeStatus::Failed,
        ChallengeStatus::Failed,
        ChallengeStatus::Open,
    ]
    .into_iter()
    .enumerate()
    {
        let info = reader.challenge(ch.challenges[i]).await.expect("challenge");
        assert_eq!(info.status, expected, "challenge {i}");
        if i < 2 {
            assert_eq!(info.responder, k.address());
        }
    }
    // The unanswered one is upheld after its deadline.
    net.increase_time(PAST_DEADLINE).await.expect("time");
    let r = k.once().await.expect("once");
    assert_eq!((r.settled, r.responded), (1, 0), "{r:?}");
    assert_eq!(
        reader.challenge(ch.challenges[2]).await.expect("c").status,
        ChallengeStatus::Upheld
    );
    let counts = settled_counts(&net).await;
    assert!(counts.values().all(|n| *n == 1) && counts.len() == 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_keepers_settle_each_challenge_once() {
    init_logs();
    let net = devnet().await;
    let n = 6;
    let ch = challenged(&net, n).await;
    net.increase_time(PAST_DEADLINE).await.expect("time");
    let (k1, k2) = (keeper(&net, 3).await, keeper(&net, 4).await);
    let (r1, r2) = tokio::join!(k1.once(), k2.once());
    let (r1, r2) = (r1.expect("keeper 1"), r2.expect("keeper 2"));
    assert_eq!(r1.settled + r2.settled, n as u64, "{r1:?} {r2:?}");
    assert_eq!(r1.failed + r2.failed, 0, "{r1:?} {r2:?}");
    let counts = settled_counts(&net).await;
    for id in &ch.challenges {
        assert_eq!(counts.get(id), Some(&1), "challenge {id}");
    }
    // Both are idle afterwards: no spinning, nothing due.
    let (a, b) = tokio::join!(k1.once(), k2.once());
    let (a, b) = (a.expect("again 1"), b.expect("again 2"));
    assert_eq!((a.settled, b.settled, a.due, b.due), (0, 0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn survives_an_rpc_outage_and_settles_once() {
    init_logs();
    let net = devnet().await;
    let ch = challenged(&net, 4).await;
    let mut proxy = Proxy::start(&host_port(&net.endpoint())).await;
    let k = Arc::new(
        Keeper::new(config(&net, 3, &proxy.url()))
            .await
            .expect("keeper"),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runner = {
        let k = k.clone();
        tokio::spawn(async move {
            k.run(async {
                let _ = stopped.await;
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The node goes away while the challenges become due, for 10 s.
    proxy.stop().await;
    net.increase_time(PAST_DEADLINE).await.expect("time");
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(settled_counts(&net).await.is_empty());
    assert!(!runner.is_finished(), "the keeper must keep running");
    proxy.restart().await;

    let started = Instant::now();
    while settled_counts(&net).await.len() < ch.challenges.len() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not settled 30 s after the node came back: {:?}",
            k.metrics().snapshot()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let counts = settled_counts(&net).await;
    for id in &ch.challenges {
        assert_eq!(counts.get(id), Some(&1), "challenge {id}");
    }
    let m = k.metrics().snapshot();
    assert!(m.rpc_errors > 0, "{m:?}");
    assert_eq!(m.settled, ch.challenges.len() as u64, "{m:?}");
    assert_eq!(m.failed, 0, "{m:?}");
    assert!(!runner.is_finished(), "the keeper must keep running");
    let _ = stop.send(());
    runner.await.expect("join").expect("run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restarted_keeper_does_not_send_again() {
    init_logs();
    let net = devnet().await;
    let ch = challenged(&net, 3).await;
    let keeper_addr = net.address(3);
    net.increase_time(PAST_DEADLINE).await.expect("time");
    // Transactions now wait in the pool until a block is mined by hand.
    net.provider()
        .raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (false,))
        .await
        .expect("automine off");

    // A first keeper sends its settles, then dies before they are mined.
    let first = Arc::new(keeper(&net, 3).await);
    let runner = {
        let k = first.clone();
        tokio::spawn(async move { k.run(std::future::pending()).await })
    };
    let started = Instant::now();
    loop {
        let pending = net
            .provider()
            .get_transaction_count(keeper_addr)
            .pending()
            .await
            .expect("nonce");
        if pending == ch.challenges.len() as u64 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "nothing sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    runner.abort();
    let _ = runner.await;
    drop(first);

    // A second keeper with the same key starts: it must wait for them, not send again.
    let second = Arc::new(keeper(&net, 3).await);
    let once = {
        let k = second.clone();
        tokio::spawn(async move { k.once().await })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pending = net
        .provider()
        .get_transaction_count(keeper_addr)
        .pending()
        .await
        .expect("nonce");
    assert_eq!(
        pending,
        ch.challenges.len() as u64,
        "the second keeper sent again"
    );
    net.mine().await.expect("mine");
    let r = once.await.expect("join").expect("once");
    assert_eq!((r.settled, r.failed), (0, 0), "{r:?}");
    let counts = settled_counts(&net).await;
    for id in &ch.challenges {
        assert_eq!(counts.get(id), Some(&1), "challenge {id}");
    }
    let mined = net
        .provider()
        .get_transaction_count(keeper_addr)
        .latest()
        .await
        .expect("nonce");
    assert_eq!(mined, ch.challenges.len() as u64, "exactly one settle each");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn finds_due_challenges_in_the_indexer_store() {
    init_logs();
    let net = devnet().await;
    let ch = challenged(&net, 3).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("index.db").display().to_string())
        .await
        .expect("store");
    let follower = Follower::new(
        net.provider().clone(),
        store.clone(),
        Contracts::of(net.deployment()),
        FollowerConfig {
            start_block: net.deployment().deployment_block,
            finality_depth: 16,
            poll_interval: Duration::from_millis(20),
            range: 100,
            concurrency: 2,
            reset: false,
            ws_url: None,
        },
        Arc::new(curia_indexer::Metrics::default()),
    )
    .await
    .expect("follower");
    follower.sync().await.expect("sync");

    let mut cfg = config(&net, 3, &net.endpoint());
    cfg.source = Source::Store(store.clone());
    let k = Keeper::new(cfg).await.expect("keeper");
    let r = k.once().await.expect("once");
    assert_eq!((r.settled, r.due), (0, 0), "{r:?}");

    net.increase_time(PAST_DEADLINE).await.expect("time");
    // Another keeper settles the first one; the store has not seen it yet.
    client(&net, 4)
        .await
        .settle(ch.challenges[0])
        .await
        .expect("settle");
    let r = k.once().await.expect("once");
    assert_eq!((r.settled, r.lost_races, r.failed), (2, 1, 0), "{r:?}");
    let counts = settled_counts(&net).await;
    for id in &ch.challenges {
        assert_eq!(counts.get(id), Some(&1), "challenge {id}");
    }
    follower.sync().await.expect("sync");
    let r = k.once().await.expect("once");
    assert_eq!((r.settled, r.lost_races, r.due), (0, 0, 0), "{r:?}");
}
