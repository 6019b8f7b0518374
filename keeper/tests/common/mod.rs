//! Shared by the keeper's tests: a devnet, versions with weights, challenges, counting
//! settlements, and a TCP proxy that can be stopped.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolEvent;
use curia_keeper::{Keeper, KeeperConfig};
use curia_sdk::bindings::CuriaChallenges;
use curia_sdk::devnet::{find_anvil, Devnet};
use curia_sdk::{parse_amount, Client, PublishOptions, Terms};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub fn anvil_bin() -> PathBuf {
    find_anvil(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("anvil is missing: run scripts/setup")
}

pub async fn devnet() -> Devnet {
    Devnet::start_local(&Terms::devnet())
        .await
        .expect("start the devnet (run scripts/setup?)")
}

pub async fn client(net: &Devnet, account: usize) -> Client {
    net.client(account).await.expect("connect")
}

pub fn tok(s: &str) -> U256 {
    parse_amount(s, 18).expect("amount")
}

/// Writes a small model directory (13 chunks), different for each seed.
pub fn weights(dir: &Path, seed: u64) {
    curia_sdk::devnet::write_weights(dir, seed, 50_000).expect("write weights");
}

/// Versions published by account 1 and challenged (availability) by account 2.
pub struct Challenged {
    pub dirs: Vec<tempfile::TempDir>,
    pub versions: Vec<B256>,
    pub challenges: Vec<U256>,
    pub deadline: u64,
}

pub async fn challenged(net: &Devnet, n: usize) -> Challenged {
    for i in 1..=2 {
        net.mint(net.address(i), tok("1000000"))
            .await
            .expect("mint");
    }
    let publisher = client(net, 1).await;
    let challenger = client(net, 2).await;
    let model = publisher
        .create_model(&format!("m{}", rand_u64()), "")
        .await
        .expect("model")
        .model_id;
    let mut out = Challenged {
        dirs: Vec::new(),
        versions: Vec::new(),
        challenges: Vec::new(),
        deadline: 0,
    };
    for i in 0..n {
        let dir = tempfile::tempdir().expect("tempdir");
        weights(dir.path(), 1000 + i as u64);
        let p = publisher
            .publish(
                dir.path(),
                &PublishOptions {
                    model_id: model,
                    locations: vec!["hf://x/y@1".into()],
                    ..Default::default()
                },
            )
            .await
            .expect("publish");
        let c = challenger
            .challenge_availability(p.version_id, &[0, 3, 12])
            .await
            .expect("challenge");
        out.deadline = out.deadline.max(c.deadline);
        out.dirs.push(dir);
        out.versions.push(p.version_id);
        out.challenges.push(c.challenge_id);
    }
    out
}

fn rand_u64() -> u64 {
    u64::from_be_bytes(B256::random().0[..8].try_into().expect("8 bytes"))
}

/// How many `ChallengeSettled` events each challenge has.
pub async fn settled_counts(net: &Devnet) -> HashMap<U256, usize> {
    let filter = Filter::new()
        .address(net.deployment().challenges)
        .event_signature(CuriaChallenges::ChallengeSettled::SIGNATURE_HASH)
        .from_block(net.deployment().deployment_block);
    let logs = net.provider().get_logs(&filter).await.expect("logs");
    let mut counts = HashMap::new();
    for l in logs {
        let e = CuriaChallenges::ChallengeSettled::decode_log_data(l.data()).expect("decode");
        *counts.entry(e.challengeId).or_insert(0) += 1;
    }
    counts
}

pub fn config(net: &Devnet, account: usize, url: &str) -> KeeperConfig {
    let signer: PrivateKeySigner = net.key(account).parse().expect("key");
    let mut cfg = KeeperConfig::new(url, signer, net.deployment().clone());
    cfg.poll_interval = Duration::from_millis(100);
    cfg.max_backoff = Duration::from_millis(500);
    cfg.rpc_timeout = Duration::from_secs(3);
    cfg.once_timeout = Duration::from_secs(60);
    cfg
}

pub async fn keeper(net: &Devnet, account: usize) -> Keeper {
    Keeper::new(config(net, account, &net.endpoint()))
        .await
        .expect("keeper")
}

pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "curia_keeper=info".into()),
        )
        .with_test_writer()
        .try_init();
}

/// A TCP proxy on a fixed local port in front of `upstream`, that can be stopped (the port
/// closed, every connection cut) and started again on the same port.
pub struct Proxy {
    pub port: u16,
    upstream: String,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut p = Proxy {
            port,
            upstream: upstream.to_string(),
            task: None,
        };
        p.task = Some(tokio::spawn(serve(listener, p.upstream.clone())));
        p
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn stop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
            let _ = t.await;
        }
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("rebinding port {}: {e}", self.port),
            }
        };
        self.task = Some(tokio::spawn(serve(listener, self.upstream.clone())));
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

async fn serve(listener: TcpListener, upstream: String) {
    // Connections live in this set: aborting the accept task drops it and cuts them all.
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((mut inbound, _)) = accepted else { continue };
                let upstream = upstream.clone();
                conns.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

/// `host:port` of an `http://host:port` URL.
pub fn host_port(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}
