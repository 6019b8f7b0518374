//! End to end: `curia devnet` as a child process (anvil, Curia, the indexer, the API and the
//! keeper), driven only through the `curia` binary and asserted only through the API.
//!
//! - `worked_example_end_to_end`: the worked example of docs/protocol.md, to the wei: publish,
//!   three curators signal, a reward, claims, an availability challenge the devnet's keeper answers
//!   and settles (Failed), a second one with the weights withheld that the keeper settles after the
//!   deadline (Upheld: the version is Slashed, `resolve` moves to the next version), the claims and
//!   withdrawals after the slash; then SIGTERM: exit 0, anvil gone, the database intact.
//! - `seeded_devnet_is_ready_and_its_keeper_answers`: the demo data is served and the demo
//!   challenge is answered by the keeper; the temporary state directory is removed at exit.
//! - `missing_foundry_says_what_to_run`.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_curia");

/// A running `curia devnet`: stopped with SIGTERM (never SIGKILL first, which would orphan
/// anvil) when dropped.
struct Devnet {
    child: Option<Child>,
    ready: Value,
    stderr: Arc<Mutex<String>>,
    deployment: PathBuf,
}

impl Devnet {
    /// Starts `curia devnet --json --deployment DEPLOYMENT ARGS…` and waits for its ready line.
    fn start(deployment: &Path, args: &[&str]) -> Devnet {
        let mut child = Command::new(BIN)
            .arg("devnet")
            .args(args)
            .arg("--deployment")
            .arg(deployment)
            .arg("--json")
            .env_remove("RUST_LOG")
            .env_remove("ETH_RPC_URL")
            .env_remove("CURIA_DEPLOYMENT")
            .env_remove("CURIA_PRIVATE_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn curia devnet");
        // Keep draining both pipes for the whole run: a closed pipe would kill the devnet with
        // EPIPE at its next line.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        std::thread::spawn(move || {
            for line in out.lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut devnet = Devnet {
            child: Some(child),
            ready: Value::Null,
            stderr,
            deployment: deployment.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not a JSON ready line ({e}): {line}"));
                    assert_eq!(v["status"], "ready", "{v}");
                    devnet.ready = v;
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("curia devnet exited before it was ready:\n{}", devnet.log())
                }
            }
            if let Some(status) = devnet
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "curia devnet exited ({status}) before it was ready:\n{}",
                    devnet.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "curia devnet not ready within 120 s:\n{}",
                devnet.log()
            );
        }
        devnet
    }

    fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn s(&self, key: &str) -> String {
        self.ready[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} missing in {}", self.ready))
            .to_string()
    }

    fn api(&self) -> String {
        self.s("apiUrl")
    }

    fn rpc(&self) -> String {
        self.s("rpcUrl")
    }

    fn address(&self, i: usize) -> String {
        self.ready["accounts"][i]["address"]
            .as_str()
            .expect("address")
            .to_string()
    }

    fn key(&self, i: usize) -> String {
        self.ready["accounts"][i]["privateKey"]
            .as_str()
            .expect("key")
            .to_string()
    }

    /// Runs `curia ARGS… --json` as account `account` (None: no key), expects success.
    fn curia(&self, account: Option<usize>, args: &[&str]) -> Value {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .arg("--json")
            .env("ETH_RPC_URL", self.rpc())
            .env("CURIA_DEPLOYMENT", &self.deployment)
            .env_remove("CURIA_PRIVATE_KEY")
            .env_remove("RUST_LOG");
        if let Some(i) = account {
            cmd.env("CURIA_PRIVATE_KEY", self.key(i));
        }
        let out = cmd.output().expect("run curia");
        common::success_json(args, &out)
    }

    /// Sends SIGTERM and waits for the exit (at most `secs`).
    fn terminate(&mut self, secs: u64) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success(), "kill -TERM failed");
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("curia devnet did not stop within {secs} s:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Tokens (18 decimals) as a decimal string of wei.
fn t(tokens: &str) -> String {
    curia_sdk::parse_amount(tokens, 18)
        .expect("amount")
        .to_string()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

async fn get(url: &str) -> Value {
    let r = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status();
    let body: Value = r.json().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert!(status.is_success(), "GET {url}: {status} {body}");
    body
}

/// Polls `api + path` until `done` holds (the indexer follows within a fraction of a second),
/// at most 30 s; returns the last answer.
async fn wait_api(api: &str, path: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let url = format!("{api}{path}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = reqwest::get(&url).await.expect("GET");
        let ok = r.status().is_success();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        if ok && done(&v) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not reached within 30 s; GET {path} answers {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn rpc(url: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let r: Value = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("rpc")
        .json()
        .await
        .expect("rpc json");
    assert!(r.get("error").is_none(), "{method}: {r}");
    r
}

/// evm_increaseTime + evm_mine.
async fn advance(url: &str, secs: u64) {
    rpc(url, "evm_increaseTime", json!([secs])).await;
    rpc(url, "evm_mine", json!([])).await;
}

/// A deterministic weights directory: byte j of the model file is `(seed + 7j + (j >> 12)) mod 256`.
fn write_weights(dir: &Path, seed: u64) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let data: Vec<u8> = (0..80_000u64)
        .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
        .collect();
    std::fs::write(dir.join("model.safetensors"), data).expect("write");
    std::fs::write(dir.join("config.json"), format!("{{\"seed\":{seed}}}\n")).expect("write");
}

fn outboard(dir: &Path) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(".mr1ob");
    PathBuf::from(name)
}

async fn integrity_check(db: &Path) -> String {
    use sqlx::{ConnectOptions, Row};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .expect("open the index database");
    let row = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity_check");
    let verdict: String = row.try_get(0).expect("text");
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM events")
        .fetch_one(&mut conn)
        .await
        .expect("count")
        .try_get(0)
        .expect("int");
    assert!(n > 0, "the index holds events");
    verdict
}

fn refuses_connections(rpc_url: &str) -> bool {
    let addr = rpc_url.trim_start_matches("http://");
    let addr: std::net::SocketAddr = addr.parse().expect("socket address");
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worked_example_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = tmp.path().join("devnet");
    let deployment = tmp.path().join("local.json");
    let mut net = Devnet::start(
        &deployment,
        &["--no-seed", "--dir", state.to_str().expect("utf-8")],
    );
    let api = net.api();
    let rpc_url = net.rpc();
    assert!(api.starts_with("http://127.0.0.1:"), "{}", net.ready);
    assert_eq!(net.ready["seed"], Value::Null);
    assert!(deployment.is_file(), "the deployment file is written");
    let weights_root = PathBuf::from(net.s("weightsRoot"));
    assert_eq!(
        weights_root,
        state.canonicalize().expect("dir").join("weights")
    );

    // Roles: the worked example's publisher, curators A, B, C, a rewarder, the challenger; the
    // devnet's keeper (account 9) answers and settles.
    let (publisher, a, b, c, rewarder, challenger) = (1, 2, 3, 4, 5, 6);
    let keeper = net.ready["keeper"]["address"]
        .as_str()
        .expect("keeper")
        .to_string();
    assert_eq!(keeper, net.address(9));
    let addr = |i: usize| net.address(i);

    // 1. The publisher publishes v1 (bond 100), whose weights the keeper holds under the
    //    weights root (with an outboard), and v2 of the same model (no curators).
    let model = net.curia(Some(publisher), &["model", "create", "tiny"]);
    let model_id = s(&model, "modelId").to_string();
    let stage = tmp.path().join("stage-v1");
    write_weights(&stage, 1);
    let hash = net.curia(None, &["hash", stage.to_str().expect("utf-8")]);
    let v1 = s(&hash, "versionId").to_string();
    let v1_dir = weights_root.join(&v1);
    std::fs::rename(&stage, &v1_dir).expect("move the weights under the root");
    let v1_path = v1_dir.to_str().expect("utf-8").to_string();
    let ob = outboard(&v1_dir);
    net.curia(
        None,
        &["hash", &v1_path, "--outboard", ob.to_str().expect("utf-8")],
    );
    let p1 = net.curia(
        Some(publisher),
        &[
            "publish",
            &v1_path,
            "--model",
            "tiny",
            "--location",
            "hf://curia/tiny@v1",
            "--bond",
            "100",
        ],
    );
    assert_eq!(s(&p1, "versionId"), v1);
    assert_eq!(s(&p1, "bond"), t("100"));
    assert!(p1["numChunks"].as_u64().expect("chunks") > 14);
    let v2_dir = tmp.path().join("v2");
    write_weights(&v2_dir, 2);
    let p2 = net.curia(
        Some(publisher),
        &[
            "publish",
            v2_dir.to_str().expect("utf-8"),
            "--model",
            "tiny",
            "--location",
            "hf://curia/tiny@v2",
            "--parent",
            &v1,
        ],
    );
    let v2 = s(&p2, "versionId").to_string();

    // 2. A, B and C signal 1000, 2000 and 1000: tax 10 + 20 + 10 = 40 to the publisher; shares
    //    990, 1980, 990; pool 3960.
    for (who, amount, shares, tax) in [
        (a, "1000", "990", "10"),
        (b, "2000", "1980", "20"),
        (c, "1000", "990", "10"),
    ] {
        let sig = net.curia(Some(who), &["signal", &v1, amount]);
        assert_eq!(
            (s(&sig, "shares"), s(&sig, "tax")),
            (t(shares).as_str(), t(tax).as_str())
        );
    }
    let version = wait_api(&api, &format!("/v1/versions/{v1}"), "pool 3960", |v| {
        v["curators"] == 3
    })
    .await;
    assert_eq!(s(&version, "shares"), t("3960"));
    assert_eq!(s(&version, "stake"), t("3960"));
    assert_eq!(s(&version, "bond"), t("100"));
    assert_eq!(s(&version, "status"), "Active");
    let curators = get(&format!("{api}/v1/versions/{v1}/curators")).await;
    let shares: std::collections::BTreeMap<String, String> = curators["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| (s(p, "curator").to_string(), s(p, "shares").to_string()))
        .collect();
    assert_eq!(
        shares,
        [
            (addr(a), t("990")),
            (addr(b), t("1980")),
            (addr(c), t("990"))
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(
        s(&curators["items"][0], "curator"),
        addr(b),
        "largest first"
    );
    let acct = get(&format!("{api}/v1/accounts/{}", addr(publisher))).await;
    assert_eq!(s(&acct, "curationClaimable"), t("40"));

    // 3. A reward of 440: publisher 44; curators 396, 0.1 per share: A 99, B 198, C 99.
    let r = net.curia(Some(rewarder), &["reward", &v1, "440"]);
    assert_eq!(s(&r, "publisherShare"), t("44"));
    assert_eq!(s(&r, "curatorShare"), t("396"));
    let pub_acct = format!("/v1/accounts/{}", addr(publisher));
    wait_api(&api, &pub_acct, "publisher claimable 84", |v| {
        v["curationClaimable"] == t("84")
    })
    .await;
    for (who, pending) in [(a, "99"), (b, "198"), (c, "99")] {
        let pos = get(&format!("{api}/v1/curators/{}/positions", addr(who))).await;
        assert_eq!(s(&pos["items"][0], "versionId"), v1);
        assert_eq!(s(&pos["items"][0], "pendingRewards"), t(pending), "{pos}");
    }

    // Claims: the curators their rewards, the publisher its tax and share (84).
    for (who, total) in [(a, "99"), (b, "198"), (c, "99"), (publisher, "84")] {
        let claim = net.curia(Some(who), &["claim"]);
        assert_eq!(s(&claim, "total"), t(total), "{claim}");
    }
    for (who, claimed) in [(a, "99"), (b, "198"), (c, "99"), (publisher, "84")] {
        let acct = wait_api(
            &api,
            &format!("/v1/accounts/{}", addr(who)),
            "claims indexed",
            |v| v["claimed"] == t(claimed),
        )
        .await;
        assert_eq!(s(&acct, "curationClaimable"), "0", "{acct}");
        if who != publisher {
            assert_eq!(s(&acct, "rewardsEarned"), t(claimed), "{acct}");
        }
    }
    let resolved = get(&format!("{api}/v1/models/{model_id}/resolve")).await;
    assert_eq!(s(&resolved, "versionId"), v1, "the best-curated version");

    // 4-5. An availability challenge: stake at risk 100 + 3960 = 4060, bond 203. The devnet's
    //      keeper answers it from the weights root and settles it: Failed.
    let ch = net.curia(
        Some(challenger),
        &["challenge", "availability", &v1, "--chunks", "0,5,14"],
    );
    assert_eq!(s(&ch, "challengeId"), "1");
    assert_eq!(s(&ch, "bond"), t("203"));
    let c1 = wait_api(&api, "/v1/challenges/1", "challenge 1 settled", |v| {
        v["settled"] == true
    })
    .await;
    assert_eq!(s(&c1, "status"), "Failed", "{c1}");
    assert_eq!(s(&c1, "responder"), keeper, "the keeper answered");
    assert_eq!(s(&c1, "keeper"), keeper, "the keeper settled");
    assert_eq!(s(&c1, "bond"), t("203"));
    assert_eq!(s(&c1, "poolSnapshot"), t("3960"));
    let settlement = &c1["settlement"];
    for (key, amount) in [
        ("keeperBounty", "2.03"),
        ("burned", "20.097"),
        ("responderPayout", "100.485"),
        ("curatorReward", "80.388"),
        ("challengerPayout", "0"),
        ("publisherSlashed", "0"),
        ("curatorsSlashed", "0"),
    ] {
        assert_eq!(s(settlement, key), t(amount), "{key} in {settlement}");
    }
    // The curators' part as a reward: publisher 8.0388; 0.01827 per share: A 18.0873,
    // B 36.1746, C 18.0873.
    wait_api(&api, &pub_acct, "publisher share of the reward", |v| {
        v["curationClaimable"] == t("8.0388")
    })
    .await;
    for (who, pending) in [(a, "18.0873"), (b, "36.1746"), (c, "18.0873")] {
        let pos = get(&format!("{api}/v1/curators/{}/positions", addr(who))).await;
        assert_eq!(s(&pos["items"][0], "pendingRewards"), t(pending), "{pos}");
    }
    let k = get(&format!("{api}/v1/accounts/{keeper}")).await;
    assert_eq!(s(&k, "challengesClaimable"), t("102.515"), "100.485 + 2.03");
    let version = get(&format!("{api}/v1/versions/{v1}")).await;
    assert_eq!(s(&version, "status"), "Active");

    // 6. The same challenger opens a second challenge (bond 203 again) with the weights withheld:
    //    nobody answers. After the deadline the keeper settles it: Upheld.
    std::fs::remove_dir_all(&v1_dir).expect("withhold the weights");
    std::fs::remove_file(&ob).expect("and the outboard");
    let ch = net.curia(
        Some(challenger),
        &["challenge", "availability", &v1, "--chunks", "1,2,3"],
    );
    assert_eq!(s(&ch, "challengeId"), "2");
    assert_eq!(s(&ch, "bond"), t("203"));
    let version = wait_api(&api, &format!("/v1/versions/{v1}"), "v1 challenged", |v| {
        v["status"] == "Challenged"
    })
    .await;
    assert_eq!(version["openChallenge"], json!(2));
    let resolved = get(&format!("{api}/v1/models/{model_id}/resolve")).await;
    assert_eq!(
        s(&resolved, "versionId"),
        v2,
        "a challenged version never resolves"
    );
    // The keeper holds nothing for v1 any more: the challenge stays open.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let c2 = get(&format!("{api}/v1/challenges/2")).await;
    assert_eq!((s(&c2, "status"), &c2["responder"]), ("Open", &Value::Null));
    advance(&rpc_url, 130).await;
    let c2 = wait_api(&api, "/v1/challenges/2", "challenge 2 settled", |v| {
        v["settled"] == true
    })
    .await;
    assert_eq!(s(&c2, "status"), "Upheld", "{c2}");
    assert_eq!(
        s(&c2, "keeper"),
        keeper,
        "the keeper settled after the deadline"
    );
    let settlement = &c2["settlement"];
    for (key, amount) in [
        ("publisherSlashed", "100"),
        ("curatorsSlashed", "1980"),
        ("keeperBounty", "20.8"),
        ("challengerPayout", "1243"),
        ("burned", "1019.2"),
        ("responderPayout", "0"),
        ("curatorReward", "0"),
    ] {
        assert_eq!(s(settlement, key), t(amount), "{key} in {settlement}");
    }
    let version = wait_api(&api, &format!("/v1/versions/{v1}"), "v1 slashed", |v| {
        v["status"] == "Slashed"
    })
    .await;
    assert_eq!(version["openChallenge"], Value::Null);
    let resolved = get(&format!("{api}/v1/models/{model_id}/resolve")).await;
    assert_eq!(
        s(&resolved, "versionId"),
        v2,
        "resolve moved to the next version"
    );
    assert_eq!(resolved["activeVersions"], json!(1));

    // 7. Claims after both challenges: the challenger 1243 (paid 406: net +837), the keeper
    //    100.485 + 2.03 + 20.8, the publisher 8.0388 (92.0388 in all), the curators their share.
    for (who, total) in [
        (challenger, "1243"),
        (9, "123.315"),
        (publisher, "8.0388"),
        (a, "18.0873"),
        (b, "36.1746"),
        (c, "18.0873"),
    ] {
        let claim = net.curia(Some(who), &["claim"]);
        assert_eq!(s(&claim, "total"), t(total), "account {who}: {claim}");
    }
    for (who, claimed) in [
        (challenger, "1243"),
        (9, "123.315"),
        (publisher, "92.0388"),
        (a, "117.0873"),
        (b, "234.1746"),
        (c, "117.0873"),
    ] {
        let acct = wait_api(
            &api,
            &format!("/v1/accounts/{}", addr(who)),
            "final claims indexed",
            |v| v["claimed"] == t(claimed),
        )
        .await;
        assert_eq!(s(&acct, "curationClaimable"), "0", "{acct}");
        assert_eq!(s(&acct, "challengesClaimable"), "0", "{acct}");
    }

    // Each unit of curator stake is now worth 0.5: after unsignalling and the thaw, A withdraws
    // 495, B 990, C 495.
    for who in [a, b, c] {
        net.curia(Some(who), &["unsignal", &v1, "all"]);
    }
    advance(&rpc_url, 901).await;
    for (who, nominal, amount) in [(a, "990", "495"), (b, "1980", "990"), (c, "990", "495")] {
        let w = net.curia(Some(who), &["withdraw", &v1]);
        assert_eq!(
            (s(&w, "nominal"), s(&w, "amount")),
            (t(nominal).as_str(), t(amount).as_str())
        );
    }
    let version = wait_api(&api, &format!("/v1/versions/{v1}"), "withdrawn", |v| {
        v["thawing"] == "0"
    })
    .await;
    assert_eq!(
        (
            s(&version, "shares"),
            s(&version, "stake"),
            &version["curators"]
        ),
        ("0", "0", &json!(0)),
        "{version}"
    );

    // Totals: burned 20.097 + 1019.2 = 1039.297; keeper bounties 2.03 + 20.8 = 22.83.
    let settled = get(&format!("{api}/v1/challenges?status=settled")).await;
    let sum = |key: &str| {
        settled["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| {
                s(&c["settlement"], key)
                    .parse::<alloy::primitives::U256>()
                    .expect("amount")
            })
            .fold(alloy::primitives::U256::ZERO, |x, y| x + y)
            .to_string()
    };
    assert_eq!(sum("burned"), t("1039.297"));
    assert_eq!(sum("keeperBounty"), t("22.83"));

    // SIGTERM stops everything: exit 0, anvil gone, the database whole.
    let status = net.terminate(60);
    let log = net.log();
    assert!(
        status.success(),
        "curia devnet exited with {status}:\n{log}"
    );
    assert!(
        refuses_connections(&rpc_url),
        "anvil still answers at {rpc_url}"
    );
    let db = PathBuf::from(net.s("db"));
    assert_eq!(integrity_check(&db).await, "ok");
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true),
        "the database was closed (its WAL checkpointed)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_devnet_is_ready_and_its_keeper_answers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let deployment = tmp.path().join("deployments/local.json");
    let mut net = Devnet::start(&deployment, &["--keeper-account", "7"]);
    let api = net.api();
    let rpc_url = net.rpc();
    let dir = PathBuf::from(net.s("dir"));
    assert_eq!(net.ready["temporaryDir"], true);
    assert!(dir.is_dir());
    assert!(
        deployment.is_file(),
        "the deployment's directory is created"
    );
    let keeper = net.address(7);
    assert_eq!(net.ready["keeper"]["address"], json!(keeper));
    let seed = &net.ready["seed"];

    // The demo models, from three publishers, as the API lists them.
    let models = get(&format!("{api}/v1/models")).await;
    let names: Vec<&str> = models["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| s(m, "name"))
        .collect();
    assert_eq!(names, ["llama-tiny", "mistral-mini", "llama-tiny-instruct"]);
    let owners: std::collections::HashSet<&str> = models["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| s(m, "owner"))
        .collect();
    assert_eq!(owners.len(), 3);

    // A fork of another publisher's version.
    let fork = &seed["versions"][3];
    let lineage = get(&format!(
        "{api}/v1/versions/{}/lineage",
        s(fork, "versionId")
    ))
    .await;
    let parent = &lineage["ancestors"][0];
    assert_eq!(s(parent, "versionId"), s(fork, "parent"));
    assert_ne!(s(parent, "publisher"), s(&lineage["version"], "publisher"));
    let board = get(&format!("{api}/v1/leaderboard")).await;
    assert_eq!(board["items"].as_array().map(Vec::len), Some(4), "{board}");

    // The demo challenge is answered by the devnet's keeper within seconds (and, answered, it
    // is settleable at once: the keeper settles it too).
    let id = s(seed, "challengeId");
    let c = wait_api(&api, &format!("/v1/challenges/{id}"), "answered", |v| {
        v["responder"] == json!(keeper)
    })
    .await;
    assert!(["Answered", "Failed"].contains(&s(&c, "status")), "{c}");
    let c = wait_api(&api, &format!("/v1/challenges/{id}"), "settled", |v| {
        v["settled"] == true
    })
    .await;
    assert_eq!(s(&c, "status"), "Failed");

    let status = net.terminate(60);
    assert!(status.success(), "exit {status}:\n{}", net.log());
    assert!(refuses_connections(&rpc_url), "anvil still answers");
    assert!(!dir.exists(), "the temporary state directory is removed");
}

/// SIGKILL gives `curia devnet` no chance to stop anvil: its watchdog does, within seconds.
#[test]
fn a_killed_devnet_leaves_no_anvil() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut net = Devnet::start(&tmp.path().join("local.json"), &["--no-seed"]);
    let rpc_url = net.rpc();
    assert!(
        !refuses_connections(&rpc_url),
        "anvil answers while the devnet runs"
    );
    let mut child = net.child.take().expect("running");
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !refuses_connections(&rpc_url) {
        assert!(
            Instant::now() < deadline,
            "anvil still answers at {rpc_url} 10 s after curia devnet was killed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn missing_foundry_says_what_to_run() {
    // A copy of the binary outside the checkout, run from there: no node_modules above either.
    let tmp = tempfile::tempdir().expect("tempdir");
    let exe = tmp.path().join("curia");
    if std::fs::hard_link(BIN, &exe).is_err() {
        std::fs::copy(BIN, &exe).expect("copy the binary");
    }
    let out = Command::new(&exe)
        .args(["devnet", "--deployment"])
        .arg(tmp.path().join("local.json"))
        .current_dir(tmp.path())
        .env_remove("RUST_LOG")
        .output()
        .expect("run curia devnet");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Foundry is not installed: run scripts/setup"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert!(!tmp.path().join("local.json").exists());
}
