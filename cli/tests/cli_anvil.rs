//! Drives the built `curia` binary against a real anvil with Curia deployed by the SDK's
//! `deploy` (devnet terms): the lifecycle with `--json`, and error cases (exit code 1 and a
//! message that says what to do; 2 when the node is down).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use curia_sdk::devnet::{find_anvil, Devnet};
use curia_sdk::{parse_amount, Deployment, Terms};
use serde_json::Value;

struct Env {
    net: Devnet,
    deployment: PathBuf,
    _dir: tempfile::TempDir,
}

impl Env {
    async fn start() -> Env {
        let anvil = find_anvil(Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("anvil is missing: run scripts/setup");
        let net = Devnet::start(&anvil, &Terms::devnet())
            .await
            .expect("devnet");
        for i in 1..=5 {
            net.mint(net.address(i), parse_amount("10000", 18).expect("amount"))
                .await
                .expect("mint");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let deployment = dir.path().join("local.json");
        net.deployment().save(&deployment).expect("save deployment");
        Env {
            net,
            deployment,
            _dir: dir,
        }
    }

    /// Runs curia as anvil's account `account` (None: no signer).
    fn curia(&self, account: Option<usize>, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_curia"));
        cmd.args(args)
            .env("ETH_RPC_URL", self.net.endpoint())
            .env("CURIA_DEPLOYMENT", &self.deployment)
            .env_remove("CURIA_PRIVATE_KEY")
            .env_remove("CURIA_KEYSTORE_PASSWORD")
            .env_remove("RUST_LOG");
        if let Some(i) = account {
            cmd.env("CURIA_PRIVATE_KEY", self.net.key(i));
        }
        cmd.output().expect("run curia")
    }

    /// Runs curia with `--json`, expects success and returns the JSON.
    fn json(&self, account: Option<usize>, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let out = self.curia(account, &args);
        common::success_json(&args, &out)
    }

    /// Runs curia, expects exit code `code` and returns stderr.
    fn fails(&self, account: Option<usize>, args: &[&str], code: i32) -> String {
        let out = self.curia(account, args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "curia {args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout on failure");
        stderr
    }
}

fn weights(dir: &Path, seed: u64) {
    for (name, size) in [("model.safetensors", 40_000u64), ("config.json", 200)] {
        let data: Vec<u8> = (0..size)
            .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
            .collect();
        std::fs::write(dir.join(name), data).expect("write");
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_with_json() {
    let env = Env::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 1);
    let path = dir.path().to_str().expect("utf-8");

    let model = env.json(
        Some(1),
        &["model", "create", "tiny", "--metadata", "ipfs://card"],
    );
    let model_id = s(&model, "modelId").to_string();
    assert_eq!(s(&model, "owner"), env.net.address(1).to_string());
    let shown = env.json(None, &["model", &model_id]);
    assert_eq!(s(&shown, "owner"), env.net.address(1).to_string());

    // Publish by model name; the version id is the MR1 id of `curia hash`.
    let hash = env.json(None, &["hash", path]);
    let p = env.json(
        Some(1),
        &[
            "publish",
            path,
            "--model",
            "tiny",
            "--location",
            "hf://curia/tiny@main",
            "--location",
            "ipfs://bafy",
        ],
    );
    let v = s(&p, "versionId").to_string();
    assert_eq!(v, s(&hash, "versionId"));
    assert_eq!(p["modelId"], model["modelId"]);
    assert_eq!(s(&p, "bond"), "100000000000000000000");
    assert_eq!(s(&p, "bondFormatted"), "100");
    assert!(p["approvalTx"]["hash"].is_string());
    assert_eq!(p["numChunks"], 11);

    let sig = env.json(Some(2), &["signal", &v, "1000"]);
    assert_eq!(
        (s(&sig, "sharesFormatted"), s(&sig, "taxFormatted")),
        ("990", "10")
    );
    let pos = env.json(None, &["position", &v, &env.net.address(2).to_string()]);
    assert_eq!(s(&pos, "shares"), "990000000000000000000");
    let r = env.json(Some(3), &["reward", &v, "99wei"]);
    assert_eq!(s(&r, "amount"), "99");

    // Availability challenge, answered from the directory, settled: Failed.
    let c = env.json(
        Some(4),
        &["challenge", "availability", &v, "--chunks", "0,4,9"],
    );
    let id = s(&c, "challengeId").to_string();
    assert_eq!(id, "1");
    assert_eq!(c["chunkIndices"], serde_json::json!([0, 4, 9]));
    // stake at risk 100 + 990 = 1090; bond max(10, 5% x 1090) = 54.5
    assert_eq!(s(&c, "bondFormatted"), "54.5");
    let info = env.json(None, &["challenge-info", &id]);
    assert_eq!(
        (s(&info, "status"), s(&info, "kind")),
        ("Open", "Availability")
    );
    let resp = env.json(Some(5), &["respond", &id, "--weights", path]);
    assert_eq!(resp["chunkIndices"], serde_json::json!([0, 4, 9]));
    let settled = env.json(Some(5), &["settle", &id]);
    assert_eq!(s(&settled, "outcome"), "Failed");
    // keeper 1% x 54.5 = 0.545
    assert_eq!(s(&settled, "keeperBountyFormatted"), "0.545");
    let shown = env.json(None, &["challenge", "show", &id]);
    assert_eq!(s(&shown, "status"), "Failed");

    // A second one, with random chunks, answered with an outboard.
    let ob_dir = tempfile::tempdir().expect("tempdir");
    let ob = ob_dir.path().join("tiny.mr1ob");
    let ob = ob.to_str().expect("utf-8");
    env.json(None, &["hash", path, "--outboard", ob]);
    let c2 = env.json(Some(4), &["challenge", "availability", &v, "--random", "3"]);
    assert_eq!(c2["chunkIndices"].as_array().map(Vec::len), Some(3));
    let id2 = s(&c2, "challengeId").to_string();
    env.json(
        Some(5),
        &["respond", &id2, "--weights", path, "--outboard", ob],
    );
    assert_eq!(
        s(&env.json(Some(5), &["settle", &id2]), "outcome"),
        "Failed"
    );

    // A third, unanswered: settling early fails with advice; after the deadline it is Upheld.
    let c3 = env.json(Some(4), &["challenge", "availability", &v, "--chunks", "2"]);
    let id3 = s(&c3, "challengeId").to_string();
    let err = env.fails(Some(5), &["settle", &id3], 1);
    assert!(
        err.contains("can be settled only after its deadline") && err.contains("try again"),
        "{err}"
    );
    env.net.increase_time(130).await.expect("time");
    let up = env.json(Some(5), &["settle", &id3]);
    assert_eq!(s(&up, "outcome"), "Upheld");
    assert_eq!(s(&up, "publisherSlashedFormatted"), "100");
    let version = env.json(None, &["version", &v]);
    assert_eq!(s(&version, "status"), "Slashed");

    // The challenger claims its bond back and its reward; the human output is readable.
    let out = env.curia(Some(4), &["claim"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("challenge payouts") && text.contains("CURIA"),
        "{text}"
    );
    let err = env.fails(Some(4), &["claim"], 1);
    assert!(err.contains("nothing to claim"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_exit_1_with_advice() {
    let env = Env::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 5);
    let path = dir.path().to_str().expect("utf-8");
    let m = env.json(Some(1), &["model", "create", "m"]);
    let model_id = s(&m, "modelId").to_string();

    // A bond below the minimum.
    let err = env.fails(
        Some(1),
        &[
            "publish",
            path,
            "--model",
            &model_id,
            "--location",
            "hf://x",
            "--bond",
            "50",
        ],
        1,
    );
    assert!(
        err.contains("the bond 50 CURIA is below the minimum 100 CURIA: pass --bond 100"),
        "{err}"
    );

    let p = env.json(
        Some(1),
        &[
            "publish",
            path,
            "--model",
            &model_id,
            "--location",
            "hf://x",
        ],
    );
    let v = s(&p, "versionId").to_string();

    // The same content again.
    let err = env.fails(
        Some(1),
        &[
            "publish",
            path,
            "--model",
            &model_id,
            "--location",
            "hf://y",
        ],
        1,
    );
    assert!(err.contains("already registered"), "{err}");

    // Too little balance: account 8 has no tokens.
    let err = env.fails(Some(8), &["signal", &v, "10"], 1);
    assert!(
        err.contains("insufficient balance")
            && err.contains("needs 10 CURIA")
            && err.contains("holds 0 CURIA"),
        "{err}"
    );

    // Malformed ids and amounts.
    let err = env.fails(Some(2), &["signal", "0x12", "10"], 1);
    assert!(
        err.contains("invalid version id") && err.contains("64 hex digits"),
        "{err}"
    );
    let err = env.fails(Some(2), &["signal", &v, "ten"], 1);
    assert!(err.contains("invalid amount \"ten\""), "{err}");
    let err = env.fails(Some(2), &["signal", &v, "1.0000000000000000001"], 1);
    assert!(err.contains("18 decimals"), "{err}");
    let err = env.fails(None, &["settle", "abc"], 1);
    assert!(err.contains("invalid challenge id"), "{err}");
    let err = env.fails(
        Some(2),
        &["challenge", "availability", &v, "--chunks", "3,1"],
        1,
    );
    assert!(err.contains("strictly increasing"), "{err}");
    let err = env.fails(Some(2), &["challenge", "availability", &v], 1);
    assert!(err.contains("--chunks"), "{err}");

    // Protocol reverts, decoded.
    let err = env.fails(Some(2), &["unsignal", &v, "5"], 1);
    assert!(err.contains("you hold 0 active shares"), "{err}");
    let err = env.fails(Some(2), &["withdraw", &v], 1);
    assert!(err.contains("nothing is thawing"), "{err}");
    let err = env.fails(Some(2), &["respond", "9", "--weights", path], 1);
    assert!(err.contains("no challenge has id 9"), "{err}");

    // No signer for a transaction.
    let err = env.fails(None, &["model", "create", "x"], 1);
    assert!(err.contains("--private-key"), "{err}");

    // A deployment file for another chain id, and one that is missing.
    let other = env._dir.path().join("other-chain.json");
    Deployment {
        chain_id: 5,
        ..env.net.deployment().clone()
    }
    .save(&other)
    .expect("save");
    let err = env.fails(
        None,
        &[
            "version",
            &v,
            "--deployment",
            other.to_str().expect("utf-8"),
        ],
        1,
    );
    assert!(
        err.contains("other-chain.json") && err.contains("chain 5") && err.contains("31337"),
        "{err}"
    );
    let err = env.fails(
        None,
        &["version", &v, "--deployment", "/nonexistent/d.json"],
        1,
    );
    assert!(
        err.contains("/nonexistent/d.json") && err.contains("scripts/devnet"),
        "{err}"
    );

    // A keystore signer.
    let ks = tempfile::tempdir().expect("tempdir");
    let key = alloy::primitives::hex::decode(env.net.key(3)).expect("hex");
    alloy::signers::local::PrivateKeySigner::encrypt_keystore(
        ks.path(),
        &mut rand::thread_rng(),
        key,
        "pw",
        Some("k.json"),
    )
    .expect("keystore");
    let keystore = ks.path().join("k.json");
    let keystore = keystore.to_str().expect("utf-8");
    let m = env.json(
        None,
        &[
            "model",
            "create",
            "ks",
            "--keystore",
            keystore,
            "--password",
            "pw",
        ],
    );
    assert_eq!(s(&m, "owner"), env.net.address(3).to_string());
    let err = env.fails(None, &["model", "create", "ks2", "--keystore", keystore], 1);
    assert!(err.contains("--password"), "{err}");

    // The node is down: exit 2, with a clear message.
    let out = Command::new(env!("CARGO_BIN_EXE_curia"))
        .args(["version", &v, "--rpc-url", "http://127.0.0.1:1"])
        .env("CURIA_DEPLOYMENT", &env.deployment)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot reach the node at http://127.0.0.1:1"),
        "{err}"
    );

    // The reads work without a signer; amounts come as wei strings with a formatted twin.
    let version = env.json(None, &["version", &v]);
    assert_eq!(s(&version, "status"), "Active");
    assert_eq!(s(&version, "challengeBondFormatted"), "10");
}
