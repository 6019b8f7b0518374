//! schemathesis against the API of a real `curia index --serve`: every operation of /openapi.json is
//! called with generated inputs, good and bad, and no answer may be a 5xx or break the document's schema.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use curia_sdk::devnet::Devnet;
use curia_sdk::{parse_amount, PublishOptions, Terms};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let st = root.join(".venv/bin/st");
    if !st.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "schemathesis is missing in CI: scripts/setup installs it"
        );
        eprintln!("note: skipping: schemathesis is not installed (run scripts/setup)");
        return;
    }
    let net = Devnet::start_local(&Terms::devnet())
        .await
        .expect("devnet (run scripts/setup?)");
    let tok = |s: &str| parse_amount(s, 18).expect("amount");
    for i in 1..=3 {
        net.mint(net.address(i), tok("10000")).await.expect("mint");
    }
    let publisher = net.client(1).await.expect("client");
    let model = publisher
        .create_model("tiny", "ipfs://card")
        .await
        .expect("model")
        .model_id;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("w.bin"), vec![3u8; 9_000]).expect("weights");
    let options = PublishOptions {
        model_id: model,
        locations: vec!["hf://curia/tiny@main".into()],
        metadata_uri: "ipfs://meta".into(),
        ..Default::default()
    };
    let v = publisher
        .publish(dir.path(), &options)
        .await
        .expect("publish")
        .version_id;
    net.client(2)
        .await
        .expect("client")
        .signal(v, tok("100"), None)
        .await
        .expect("signal");
    net.client(3)
        .await
        .expect("client")
        .challenge_availability(v, &[0, 2])
        .await
        .expect("challenge");

    let deployment = dir.path().join("local.json");
    net.deployment().save(&deployment).expect("save");
    let db = dir.path().join("index.db");
    let mut server = Command::new(env!("CARGO_BIN_EXE_curia"))
        .args([
            "index",
            "--serve",
            "127.0.0.1:0",
            "--ws-url",
            "none",
            "--db",
        ])
        .arg(&db)
        .env("ETH_RPC_URL", net.endpoint())
        .env("CURIA_DEPLOYMENT", &deployment)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn curia index --serve");
    let url = common::listening_url(&mut server);

    // The event stream never ends by itself, so each of its cases waits for the read timeout: it gets a
    // few cases of its own, the rest of the API many.
    let checks = "not_a_server_error,response_schema_conformance,status_code_conformance";
    let runs: [&[&str]; 2] = [
        &[
            "--exclude-path",
            "/v1/events/stream",
            "--max-examples",
            "25",
        ],
        &[
            "--include-path",
            "/v1/events/stream",
            "--max-examples",
            "4",
            "--request-timeout",
            "2",
        ],
    ];
    let mut failures = Vec::new();
    for extra in runs {
        let out = Command::new(&st)
            .args(["run", &format!("{url}/openapi.json"), "--checks", checks])
            .args(["--workers", "2", "--no-color"])
            .args(extra)
            // Its example cache (.schemathesis/) goes to the temporary directory, not the checkout.
            .current_dir(dir.path())
            .output()
            .expect("run schemathesis");
        if !out.status.success() {
            failures.push(format!(
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        failures.is_empty(),
        "schemathesis found failures:\n{}",
        failures.join("\n")
    );
}
