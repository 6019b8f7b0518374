//! `curia index` and `curia serve` as processes against a real anvil: a backfill killed with SIGKILL and
//! restarted gives the same database as an uninterrupted one (SQLite and PostgreSQL alike), and a
//! separate `curia serve` process answers from a database the indexer wrote.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alloy::providers::Provider;
use curia_indexer::Store;
use curia_sdk::devnet::Devnet;
use curia_sdk::{parse_amount, PublishOptions, Terms};

fn curia(net: &Devnet, deployment: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_curia"));
    cmd.args(args)
        .env("ETH_RPC_URL", net.endpoint())
        .env("CURIA_DEPLOYMENT", deployment)
        .env_remove("CURIA_DB")
        .env_remove("RUST_LOG");
    cmd
}

fn index_cmd(net: &Devnet, deployment: &Path, db: &str, slow: bool) -> Command {
    let mut args = vec![
        "index",
        "--db",
        db,
        "--once",
        "--finality-depth",
        "4",
        "--ws-url",
        "none",
    ];
    if slow {
        args.extend(["--range", "1", "--concurrency", "1"]);
    }
    curia(net, deployment, &args)
}

/// Events spread over ~6,000 blocks, so that a one-block-per-range backfill takes a while.
async fn chain_with_history(net: &Devnet) {
    let tok = |s: &str| parse_amount(s, 18).expect("amount");
    for i in 1..=3 {
        net.mint(net.address(i), tok("10000")).await.expect("mint");
    }
    let publisher = net.client(1).await.expect("client");
    let curator = net.client(2).await.expect("client");
    let model = publisher
        .create_model("tiny", "ipfs://card")
        .await
        .expect("model")
        .model_id;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("w.bin"), vec![7u8; 10_000]).expect("weights");
    let v = publisher
        .publish(
            dir.path(),
            &PublishOptions {
                model_id: model,
                locations: vec!["hf://curia/tiny@main".into()],
                metadata_uri: "ipfs://meta".into(),
                ..Default::default()
            },
        )
        .await
        .expect("publish")
        .version_id;
    for round in 0..3u64 {
        net.provider()
            .raw_request::<_, serde_json::Value>("anvil_mine".into(), (2_000u64,))
            .await
            .expect("anvil_mine");
        curator
            .signal(v, tok("10") + alloy::primitives::U256::from(round), None)
            .await
            .expect("signal");
    }
}

fn run_ok(mut cmd: Command) {
    let out = cmd.output().expect("run curia");
    assert!(
        out.status.success(),
        "curia failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn checkpoint(db: &str) -> u64 {
    match Store::open(db).await {
        Ok(s) => s
            .checkpoint()
            .await
            .ok()
            .flatten()
            .map(|(n, _)| n)
            .unwrap_or(0),
        Err(_) => 0,
    }
}

/// Starts a slow backfill into `db`, SIGKILLs it part way, then lets a new process finish.
async fn kill_and_resume(net: &Devnet, deployment: &Path, db: &str, head: u64) {
    let start = net.deployment().deployment_block;
    let log = tempfile::NamedTempFile::new().expect("log file");
    let mut child: Child = index_cmd(net, deployment, db, true)
        .stdout(Stdio::null())
        .stderr(log.reopen().expect("log"))
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while checkpoint(db).await < start + 20 {
        assert!(Instant::now() < deadline, "the backfill made no progress");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the backfill ended before it could be killed: {}",
            std::fs::read_to_string(log.path()).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let at = checkpoint(db).await;
    assert!(
        at > start && at < head,
        "killed part way: checkpoint {at}, head {head}"
    );
    run_ok(index_cmd(net, deployment, db, false));
    assert_eq!(checkpoint(db).await, head);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_backfill_resumes_to_the_same_database() {
    let net = Devnet::start_local(&Terms::devnet())
        .await
        .expect("devnet (run scripts/setup?)");
    let dir = tempfile::tempdir().expect("tempdir");
    let deployment: PathBuf = dir.path().join("local.json");
    net.deployment().save(&deployment).expect("save deployment");
    chain_with_history(&net).await;
    let head = net.provider().get_block_number().await.expect("head");

    let reference = dir.path().join("reference.db").display().to_string();
    run_ok(index_cmd(&net, &deployment, &reference, false));
    let expected = Store::open(&reference)
        .await
        .expect("open")
        .dump()
        .await
        .expect("dump");
    assert!(expected.iter().filter(|l| l.starts_with("events")).count() >= 6);

    let mut dbs = vec![dir.path().join("killed.db").display().to_string()];
    let pg = curia_indexer::testing::fresh_postgres().await;
    dbs.extend(pg.as_ref().map(|p| p.url.clone()));
    for db in &dbs {
        kill_and_resume(&net, &deployment, db, head).await;
        let got = Store::open(db)
            .await
            .expect("open")
            .dump()
            .await
            .expect("dump");
        assert_eq!(
            got, expected,
            "after SIGKILL and restart, {db} differs from an uninterrupted index"
        );
    }

    // `curia serve` in its own process reads what the indexer wrote.
    let mut serve = curia(
        &net,
        &deployment,
        &["serve", "--db", &dbs[0], "--listen", "127.0.0.1:0"],
    )
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn serve");
    let url = common::listening_url(&mut serve);
    let status: serde_json::Value = reqwest::get(format!("{url}/status"))
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(status["indexedBlock"], serde_json::json!(head), "{status}");
    let events: serde_json::Value = reqwest::get(format!("{url}/v1/events?limit=1000"))
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    let n = events["items"].as_array().map(Vec::len).unwrap_or_default();
    assert_eq!(
        n,
        expected.iter().filter(|l| l.starts_with("events")).count()
    );
    let _ = serve.kill();
    let _ = serve.wait();
}
