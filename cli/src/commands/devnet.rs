//! `curia devnet`: one command for a whole local system. It starts anvil (its deterministic
//! accounts, a free port, optionally interval mining), deploys Curia with the devnet terms,
//! funds the accounts, runs the indexer, the API and the keeper in this process, seeds demo data
//! and prints what to use. Ctrl-C or SIGTERM stops everything it started, in order: the keeper,
//! the API and the indexer (each finishing what it is doing), then the database is closed, then
//! anvil is stopped and the temporary directory removed. See `docs/devnet.md`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use alloy::network::EthereumWallet;
use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy::primitives::{hex, Address, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::signers::local::PrivateKeySigner;
use anyhow::{anyhow, Context, Result};
use clap::Args;
use curia_indexer::api::{self, ApiConfig};
use curia_indexer::decode::Contracts;
use curia_indexer::{Follower, FollowerConfig, Metrics, Store};
use curia_keeper::{Keeper, KeeperConfig, Source};
use curia_sdk::bindings::TestToken;
use curia_sdk::devnet::{find_anvil, ANVIL_RELATIVE_PATH};
use curia_sdk::mr1::{CommitOptions, Commitment, FileSet};
use curia_sdk::{Client, Deployment, PublishOptions, Terms};
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::chain::ChainArgs;
use super::shutdown::{shutdown_signal, wait_true};
use crate::UserError;

/// Tokens minted to every account at start (18 decimals).
const FUNDING_TOKENS: u64 = 1_000_000;
/// anvil's default number of accounts (the default mnemonic "test test … junk").
const ACCOUNTS: usize = 10;

/// `curia devnet`.
#[derive(Debug, Args)]
pub struct DevnetArgs {
    /// Where to keep the state: the index database (DIR/index.db), the weights the keeper answers
    /// for (DIR/weights/<versionId>, with DIR/weights/<versionId>.mr1ob outboards) and anvil's log
    /// (DIR/anvil.log). Kept at exit. Default: a temporary directory, removed at exit.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Mine a block every SECS seconds (fractions allowed). Default: one block per transaction.
    #[arg(long, value_name = "SECS", value_parser = parse_block_time)]
    pub block_time: Option<f64>,
    /// The RPC port. Default: a free one.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Where the API listens (port 0: a free one; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub api: SocketAddr,
    /// Start without demo data (the accounts are still funded).
    #[arg(long)]
    pub no_seed: bool,
    /// The anvil account (0 to 9) the keeper signs with.
    #[arg(long, value_name = "N", default_value_t = 9, value_parser = clap::value_parser!(u8).range(0..=9))]
    pub keeper_account: u8,
}

fn parse_block_time(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "'{s}' is not a block time: give seconds between 0 and 86400, like 2 or 0.5"
        )),
    }
}

/// Finds anvil installed by `scripts/setup` above the current directory or the executable.
fn locate_anvil() -> Result<PathBuf> {
    let mut starts = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        starts.push(dir);
    }
    starts
        .iter()
        .find_map(|start| find_anvil(start).ok())
        .ok_or_else(|| {
            UserError(format!(
                "Foundry is not installed: run scripts/setup (looked for {ANVIL_RELATIVE_PATH} above the \
                 current directory and above the curia executable)"
            ))
            .into()
        })
}

/// The state directory: the given one (kept) or a temporary one (removed at exit).
struct StateDir {
    path: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl StateDir {
    fn new(dir: Option<&Path>) -> Result<StateDir> {
        match dir {
            Some(d) => {
                std::fs::create_dir_all(d).map_err(|e| {
                    UserError(format!("cannot create the directory {}: {e}", d.display()))
                })?;
                let path = d
                    .canonicalize()
                    .with_context(|| format!("resolving {}", d.display()))?;
                Ok(StateDir { path, _temp: None })
            }
            None => {
                let t = tempfile::Builder::new()
                    .prefix("curia-devnet-")
                    .tempdir()
                    .context("creating a temporary directory")?;
                Ok(StateDir {
                    path: t.path().to_path_buf(),
                    _temp: Some(t),
                })
            }
        }
    }

    fn weights(&self) -> PathBuf {
        self.path.join("weights")
    }

    fn db(&self) -> PathBuf {
        self.path.join("index.db")
    }

    fn is_temporary(&self) -> bool {
        self._temp.is_some()
    }
}

/// Starts anvil (its default mnemonic, so the accounts are the well-known test accounts) and
/// copies its output to `log` (a closed pipe would make anvil's logging fail).
fn spawn_anvil(
    bin: &Path,
    port: Option<u16>,
    block_time: Option<f64>,
    log: &Path,
) -> Result<AnvilInstance> {
    if let Some(port) = port {
        std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            UserError(format!(
                "cannot use port {port} for anvil ({e}): pick another --port, or leave it out for a free one"
            ))
        })?;
    }
    let mut builder = Anvil::at(bin)
        .port(port.unwrap_or(0))
        .timeout(30_000)
        .keep_stdout();
    if let Some(t) = block_time {
        builder = builder.block_time_f64(t);
    }
    let mut anvil = builder
        .try_spawn()
        .map_err(|e| anyhow!("starting anvil ({}): {e}", bin.display()))?;
    if let Some(mut out) = anvil.child_mut().stdout.take() {
        let mut file = std::fs::File::create(log)
            .with_context(|| format!("creating the log {}", log.display()))?;
        std::thread::spawn(move || {
            if std::io::copy(&mut out, &mut file).is_err() {
                // Keep draining so that anvil never writes to a closed pipe.
                let _ = std::io::copy(&mut out, &mut std::io::sink());
            }
        });
    }
    if anvil.keys().len() < ACCOUNTS {
        return Err(anyhow!(
            "anvil started with {} accounts, expected {ACCOUNTS}",
            anvil.keys().len()
        ));
    }
    Ok(anvil)
}

/// Stops anvil if this process ends without stopping it (SIGKILL, a crash): a `sh` that reads its stdin,
/// a pipe from this process, until the kernel closes it (which it does however this process ends), then
/// sends anvil SIGTERM. A normal shutdown drops the watchdog first, then stops anvil itself.
struct Watchdog(std::process::Child);

impl Watchdog {
    fn spawn(anvil_pid: u32) -> Result<Self> {
        let child = std::process::Command::new("sh")
            .args([
                "-c",
                "cat >/dev/null; kill \"$0\" 2>/dev/null",
                &anvil_pid.to_string(),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .context("starting the watchdog that stops anvil if curia is killed (sh)")?;
        Ok(Self(child))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        // Kill the shell before it can act, then close its stdin (dropping the handle) so that `cat` ends.
        let _ = self.0.kill();
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// One funded account.
struct Account {
    address: Address,
    key: String,
    signer: PrivateKeySigner,
}

fn accounts(anvil: &AnvilInstance) -> Vec<Account> {
    anvil
        .keys()
        .iter()
        .take(ACCOUNTS)
        .map(|k| {
            let signer = PrivateKeySigner::from(k.clone());
            Account {
                address: signer.address(),
                key: format!("0x{}", hex::encode(k.to_bytes())),
                signer,
            }
        })
        .collect()
}

/// What runs in the background, stopped in order at exit.
#[derive(Default)]
struct Running {
    store: Option<Store>,
    tasks: Vec<(&'static str, JoinHandle<Result<()>>)>,
}

/// What the devnet prints once ready.
struct Ready {
    rpc_url: String,
    ws_url: String,
    api_url: String,
    deployment: Deployment,
    seed: Option<Seed>,
}

/// Runs `curia devnet`.
pub async fn run(args: &DevnetArgs, chain: &ChainArgs) -> Result<()> {
    let signal = shutdown_signal();
    let anvil_bin = locate_anvil()?;
    let state = StateDir::new(args.dir.as_deref())?;
    std::fs::create_dir_all(state.weights())
        .with_context(|| format!("creating {}", state.weights().display()))?;
    eprintln!("starting anvil ({})", anvil_bin.display());
    let log = state.path.join("anvil.log");
    let mut anvil = {
        let (bin, log) = (anvil_bin.clone(), log.clone());
        let (port, block_time) = (args.port, args.block_time);
        tokio::task::spawn_blocking(move || spawn_anvil(&bin, port, block_time, &log))
            .await
            .context("starting anvil")??
    };
    let watchdog = Watchdog::spawn(anvil.child().id())?;

    let (stop_tx, stop) = watch::channel(false);
    let mut running = Running::default();
    let started = tokio::select! {
        r = start(args, chain, &state, &anvil, stop.clone(), &mut running) => Some(r),
        _ = wait_true(signal.clone()) => None,
    };
    let outcome = match started {
        None => Ok(()),
        Some(Err(e)) => Err(e),
        Some(Ok(ready)) => match print_ready(&ready, args, chain, &state, &anvil) {
            Ok(()) => watch_until_stopped(&signal, &mut running, &mut anvil).await,
            Err(e) => Err(e.context("printing the devnet's details")),
        },
    };

    eprintln!("stopping the keeper, the API and the indexer");
    let _ = stop_tx.send(true);
    let mut failures = Vec::new();
    for (name, mut handle) in running.tasks.drain(..) {
        match tokio::time::timeout(Duration::from_secs(15), &mut handle).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => failures.push(format!("the {name}: {e:#}")),
            Ok(Err(e)) => failures.push(format!("the {name}: {e}")),
            Err(_) => {
                handle.abort();
                failures.push(format!("the {name} did not stop within 15 s"));
            }
        }
    }
    if let Some(store) = running.store.take() {
        store.pool().close().await;
    }
    eprintln!("stopping anvil");
    drop(watchdog);
    drop(anvil);
    if state.is_temporary() {
        eprintln!("removing {}", state.path.display());
    } else {
        eprintln!("state kept in {}", state.path.display());
    }
    drop(state);
    outcome?;
    // Errors seen while stopping (after a clean run) are reported but do not fail the exit.
    for f in failures {
        eprintln!("warning: while stopping, {f}");
    }
    eprintln!("devnet stopped");
    Ok(())
}

/// Waits for Ctrl-C / SIGTERM; a background task or anvil that stops on its own is an error.
async fn watch_until_stopped(
    signal: &watch::Receiver<bool>,
    running: &mut Running,
    anvil: &mut AnvilInstance,
) -> Result<()> {
    loop {
        tokio::select! {
            _ = wait_true(signal.clone()) => return Ok(()),
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
        if let Some(i) = running.tasks.iter().position(|(_, h)| h.is_finished()) {
            let (name, handle) = running.tasks.remove(i);
            let why = match handle.await {
                Ok(Ok(())) => "it ended".to_string(),
                Ok(Err(e)) => format!("{e:#}"),
                Err(e) => e.to_string(),
            };
            return Err(anyhow!("the {name} stopped: {why}"));
        }
        if let Ok(Some(status)) = anvil.child_mut().try_wait() {
            // Ctrl-C in a terminal reaches anvil too: give our own handler a moment to see it.
            tokio::time::sleep(Duration::from_millis(500)).await;
            if *signal.borrow() {
                return Ok(());
            }
            return Err(anyhow!(
                "anvil exited ({status}); its log is in the state directory (anvil.log)"
            ));
        }
    }
}

/// Deploys, funds, starts the background tasks and seeds. Whatever it starts is put into
/// `running`, so that it is stopped even when this is cut short.
async fn start(
    args: &DevnetArgs,
    chain: &ChainArgs,
    state: &StateDir,
    anvil: &AnvilInstance,
    stop: watch::Receiver<bool>,
    running: &mut Running,
) -> Result<Ready> {
    let rpc_url = format!("http://127.0.0.1:{}", anvil.port());
    let ws_url = format!("ws://127.0.0.1:{}", anvil.port());
    let accounts = accounts(anvil);
    let deployer = &accounts[0];
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(deployer.signer.clone()))
        .connect_http(rpc_url.parse().context("the RPC URL")?)
        .erased();

    eprintln!("deploying Curia (devnet terms)");
    let deployment = curia_sdk::deploy(
        provider.clone(),
        deployer.address,
        deployer.address,
        &Terms::devnet(),
    )
    .await
    .context("deploying Curia")?;
    deployment.save(&chain.deployment)?;
    fund(&provider, &deployment, &accounts).await?;

    // The indexer (SQLite, started over when the directory held another devnet's index).
    let db = state
        .db()
        .to_str()
        .ok_or_else(|| UserError(format!("{} is not UTF-8", state.db().display())))?
        .to_owned();
    let store = Store::open(&db)
        .await
        .with_context(|| format!("opening the database {db}"))?;
    running.store = Some(store.clone());
    let metrics = Arc::new(Metrics::default());
    let reader = ProviderBuilder::new()
        .connect_http(rpc_url.parse().context("the RPC URL")?)
        .erased();
    let follower = Follower::new(
        reader.clone(),
        store.clone(),
        Contracts::of(&deployment),
        FollowerConfig {
            start_block: deployment.deployment_block,
            poll_interval: Duration::from_millis(100),
            reset: true,
            ws_url: Some(ws_url.clone()),
            ..FollowerConfig::default()
        },
        metrics.clone(),
    )
    .await
    .context("starting the indexer")?;
    let mut tip = follower.subscribe();
    let api_tip = follower.subscribe();
    {
        let stop = stop.clone();
        running.tasks.push((
            "indexer",
            tokio::spawn(async move { follower.run(stop).await.map_err(Into::into) }),
        ));
    }

    // The API.
    let listener = tokio::net::TcpListener::bind(args.api)
        .await
        .map_err(|e| UserError(format!("cannot listen on {} for the API: {e}", args.api)))?;
    let api_url = format!("http://{}", listener.local_addr()?);
    let router = api::router(
        store.clone(),
        metrics,
        ApiConfig {
            tip: Some(api_tip),
            ..ApiConfig::default()
        },
    );
    let api_stop = stop.clone();
    running.tasks.push((
        "API",
        tokio::spawn(async move {
            api::serve(listener, router, wait_true(api_stop))
                .await
                .map_err(Into::into)
        }),
    ));

    // The keeper: challenges from the index, weights from DIR/weights (read every round).
    let keeper_signer = accounts[usize::from(args.keeper_account)].signer.clone();
    let mut cfg = KeeperConfig::new(rpc_url.clone(), keeper_signer, deployment.clone());
    cfg.source = Source::Store(store.clone());
    cfg.weights_root = Some(state.weights());
    cfg.poll_interval = Duration::from_millis(250);
    let keeper = Keeper::new(cfg).await.context("starting the keeper")?;
    let keeper_stop = stop.clone();
    running.tasks.push((
        "keeper",
        tokio::spawn(async move { keeper.run(wait_true(keeper_stop)).await.map_err(Into::into) }),
    ));

    let seed = if args.no_seed {
        None
    } else {
        eprintln!("seeding demo data");
        Some(
            seed(&rpc_url, &deployment, &accounts, &state.weights())
                .await
                .context("seeding the demo data")?,
        )
    };

    // Ready once the index has everything sent so far.
    let head = reader
        .get_block_number()
        .await
        .context("reading the head block")?;
    tokio::time::timeout(Duration::from_secs(60), async {
        while *tip.borrow_and_update() < head {
            if tip.changed().await.is_err() {
                break;
            }
        }
    })
    .await
    .map_err(|_| anyhow!("the indexer did not reach block {head} within 60 s"))?;

    Ok(Ready {
        rpc_url,
        ws_url,
        api_url,
        deployment,
        seed,
    })
}

/// Mints `FUNDING_TOKENS` to every account, all transactions sent before waiting (one block with
/// interval mining).
async fn fund(provider: &DynProvider, deployment: &Deployment, accounts: &[Account]) -> Result<()> {
    let token = TestToken::new(deployment.token, provider);
    let amount = U256::from(FUNDING_TOKENS) * U256::from(10u64).pow(U256::from(18u64));
    let mut pending = Vec::new();
    for a in accounts {
        pending.push(
            token
                .mint(a.address, amount)
                .send()
                .await
                .context("minting test tokens")?,
        );
    }
    for p in pending {
        let r = p.get_receipt().await.context("minting test tokens")?;
        if !r.status() {
            return Err(anyhow!("minting test tokens reverted"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------- demo data

/// A demo model.
struct SeedModel {
    name: &'static str,
    model_id: B256,
    owner: usize,
}

/// A demo version.
struct SeedVersion {
    name: &'static str,
    version_id: B256,
    model_id: B256,
    publisher: usize,
    parent: Option<B256>,
    weights: PathBuf,
}

/// The demo data: models, versions (one a fork of another publisher's), curators, rewards, one
/// availability challenge on a version whose weights the keeper holds.
struct Seed {
    models: Vec<SeedModel>,
    versions: Vec<SeedVersion>,
    challenge_id: U256,
    challenged: B256,
}

/// Writes a deterministic weights directory (byte j of `model.safetensors` is
/// `(seed + 7j + (j >> 12)) mod 256`, as in the MR1 vectors, plus a small `config.json`), moves
/// it to `root/<versionId>` and writes its outboard `root/<versionId>.mr1ob` (the keeper's
/// convention), so that the keeper answers challenges on it.
fn demo_weights(root: &Path, seed: u64, size: u64) -> Result<(Commitment, PathBuf)> {
    let stage = root.join(format!(".stage-{seed}"));
    if stage.exists() {
        std::fs::remove_dir_all(&stage)?;
    }
    std::fs::create_dir_all(&stage)?;
    let data: Vec<u8> = (0..size)
        .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
        .collect();
    std::fs::write(stage.join("model.safetensors"), data)?;
    let config = json!({"architecture": "demo", "seed": seed, "bytes": size});
    std::fs::write(stage.join("config.json"), format!("{config}\n"))?;
    let c = curia_sdk::mr1::commit(&stage)?;
    let dir = root.join(c.version_id.to_string());
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&stage, &dir)?;
    let outboard = curia_keeper::outboard_path(&dir);
    FileSet::scan(&dir)?.commit_with(&CommitOptions {
        outboard: Some(&outboard),
        progress: None,
    })?;
    Ok((c, dir))
}

fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

async fn seed(
    rpc_url: &str,
    deployment: &Deployment,
    accounts: &[Account],
    root: &Path,
) -> Result<Seed> {
    let mut clients = Vec::new();
    for a in accounts.iter().take(9) {
        clients.push(
            Client::builder(rpc_url)
                .signer(a.signer.clone())
                .deployment(deployment.clone())
                .poll_interval(Duration::from_millis(50))
                .connect()
                .await?,
        );
    }
    let c = |i: usize| &clients[i];

    let r = root.to_path_buf();
    let weights = tokio::task::spawn_blocking(move || -> Result<Vec<(Commitment, PathBuf)>> {
        [(11, 96_000), (12, 128_000), (21, 160_000), (31, 112_000)]
            .into_iter()
            .map(|(seed, size)| demo_weights(&r, seed, size))
            .collect()
    })
    .await??;
    let [(l1, l1_dir), (l2, l2_dir), (m1, m1_dir), (f1, f1_dir)]: [(Commitment, PathBuf); 4] =
        weights
            .try_into()
            .map_err(|_| anyhow!("four demo weights"))?;

    let options = |model_id: B256, slug: &str, parent: Option<B256>, bond: u64| PublishOptions {
        model_id,
        locations: vec![
            format!("hf://curia-demo/{slug}"),
            format!("https://weights.example/{slug}/"),
        ],
        parent,
        metadata_uri: format!("ipfs://demo/{slug}.json"),
        bond: Some(tokens(bond)),
    };

    // Three models from three publishers (in this order), then their versions: account 1
    // publishes two versions of llama-tiny while account 2 publishes mistral-mini; account 3
    // forks account 1's second version.
    let llama = c(1)
        .create_model("llama-tiny", "ipfs://demo/llama-tiny.json")
        .await?
        .model_id;
    let mistral = c(2)
        .create_model("mistral-mini", "ipfs://demo/mistral-mini.json")
        .await?
        .model_id;
    let instruct = c(3)
        .create_model(
            "llama-tiny-instruct",
            "ipfs://demo/llama-tiny-instruct.json",
        )
        .await?
        .model_id;
    let mistral_options = options(mistral, "mistral-mini@v1", None, 200);
    tokio::try_join!(
        async {
            c(1).publish_commitment(&l1, &options(llama, "llama-tiny@v1", None, 100))
                .await?;
            c(1).publish_commitment(
                &l2,
                &options(llama, "llama-tiny@v2", Some(l1.version_id), 150),
            )
            .await
        },
        c(2).publish_commitment(&m1, &mistral_options),
    )?;
    c(3).publish_commitment(
        &f1,
        &options(instruct, "llama-tiny-instruct@v1", Some(l2.version_id), 100),
    )
    .await?;

    // Curators 4 to 7, each on its own.
    let (l1v, l2v, m1v, f1v) = (l1.version_id, l2.version_id, m1.version_id, f1.version_id);
    tokio::try_join!(
        async {
            c(4).signal(l2v, tokens(1_000), None).await?;
            c(4).signal(m1v, tokens(500), None).await
        },
        async { c(5).signal(l2v, tokens(2_500), None).await },
        async {
            c(6).signal(l1v, tokens(400), None).await?;
            c(6).signal(f1v, tokens(800), None).await
        },
        async {
            c(7).signal(m1v, tokens(1_200), None).await?;
            c(7).signal(f1v, tokens(300), None).await
        },
    )?;

    // Account 8 rewards two versions and challenges mistral-mini's availability.
    c(8).reward(l2v, tokens(100)).await?;
    c(8).reward(m1v, tokens(60)).await?;
    let challenge = c(8).challenge_availability(m1v, &[0, 9, 17, 33]).await?;

    Ok(Seed {
        models: vec![
            SeedModel {
                name: "llama-tiny",
                model_id: llama,
                owner: 1,
            },
            SeedModel {
                name: "mistral-mini",
                model_id: mistral,
                owner: 2,
            },
            SeedModel {
                name: "llama-tiny-instruct",
                model_id: instruct,
                owner: 3,
            },
        ],
        versions: vec![
            SeedVersion {
                name: "llama-tiny v1",
                version_id: l1v,
                model_id: llama,
                publisher: 1,
                parent: None,
                weights: l1_dir,
            },
            SeedVersion {
                name: "llama-tiny v2",
                version_id: l2v,
                model_id: llama,
                publisher: 1,
                parent: Some(l1v),
                weights: l2_dir,
            },
            SeedVersion {
                name: "mistral-mini v1",
                version_id: m1v,
                model_id: mistral,
                publisher: 2,
                parent: None,
                weights: m1_dir,
            },
            SeedVersion {
                name: "llama-tiny-instruct v1 (fork of llama-tiny v2)",
                version_id: f1v,
                model_id: instruct,
                publisher: 3,
                parent: Some(l2v),
                weights: f1_dir,
            },
        ],
        challenge_id: challenge.challenge_id,
        challenged: m1v,
    })
}

// ---------------------------------------------------------------------------------- output

fn role(i: usize, keeper: usize, seeded: bool) -> String {
    let mut roles = Vec::new();
    if i == 0 {
        roles.push("deployer, config owner, arbitrator");
    }
    if i == keeper {
        roles.push("keeper");
    }
    if seeded {
        match i {
            1..=3 => roles.push("demo publisher"),
            4..=7 => roles.push("demo curator"),
            8 => roles.push("demo rewarder and challenger"),
            _ => {}
        }
    }
    roles.join("; ")
}

fn print_ready(
    ready: &Ready,
    args: &DevnetArgs,
    chain: &ChainArgs,
    state: &StateDir,
    anvil: &AnvilInstance,
) -> Result<()> {
    let accounts = accounts(anvil);
    let keeper = usize::from(args.keeper_account);
    let d = &ready.deployment;
    let seeded = ready.seed.is_some();
    let deployment_path = chain.deployment.display().to_string();
    let mut out = std::io::stdout().lock();
    if chain.json {
        let seed = ready.seed.as_ref().map(|s| {
            json!({
                "models": s.models.iter().map(|m| json!({
                    "name": m.name,
                    "modelId": m.model_id.to_string(),
                    "owner": accounts[m.owner].address.to_string(),
                    "ownerIndex": m.owner,
                })).collect::<Vec<_>>(),
                "versions": s.versions.iter().map(|v| json!({
                    "name": v.name,
                    "versionId": v.version_id.to_string(),
                    "modelId": v.model_id.to_string(),
                    "publisher": accounts[v.publisher].address.to_string(),
                    "publisherIndex": v.publisher,
                    "parent": v.parent.map(|p| p.to_string()),
                    "weights": v.weights.display().to_string(),
                })).collect::<Vec<_>>(),
                "challengeId": s.challenge_id.to_string(),
                "challengedVersion": s.challenged.to_string(),
            })
        });
        let line = json!({
            "status": "ready",
            "rpcUrl": ready.rpc_url,
            "wsUrl": ready.ws_url,
            "apiUrl": ready.api_url,
            "chainId": d.chain_id,
            "deployment": deployment_path,
            "deploymentBlock": d.deployment_block,
            "contracts": {
                "token": d.token.to_string(),
                "config": d.config.to_string(),
                "registry": d.registry.to_string(),
                "curation": d.curation.to_string(),
                "challenges": d.challenges.to_string(),
            },
            "accounts": accounts.iter().enumerate().map(|(i, a)| json!({
                "index": i,
                "address": a.address.to_string(),
                "privateKey": a.key,
                "role": role(i, keeper, seeded),
            })).collect::<Vec<_>>(),
            "fundedTokens": tokens(FUNDING_TOKENS).to_string(),
            "keeper": {"index": keeper, "address": accounts[keeper].address.to_string()},
            "dir": state.path.display().to_string(),
            "temporaryDir": state.is_temporary(),
            "db": state.db().display().to_string(),
            "weightsRoot": state.weights().display().to_string(),
            "blockTime": args.block_time,
            "seed": seed,
        });
        writeln!(out, "{line}")?;
        out.flush()?;
        return Ok(());
    }

    let api = &ready.api_url;
    let mut text = String::new();
    let mut line = |s: String| {
        text.push_str(&s);
        text.push('\n');
    };
    line("Curia devnet".into());
    line(String::new());
    line(format!(
        "  RPC         {}   (ws: {})",
        ready.rpc_url, ready.ws_url
    ));
    line(format!("  API         {api}"));
    line(format!(
        "  chain id    {}   {}",
        d.chain_id,
        match args.block_time {
            Some(t) => format!("(a block every {t} s)"),
            None => "(a block per transaction)".into(),
        }
    ));
    line(format!("  deployment  {deployment_path}"));
    line(format!(
        "  state       {}{}",
        state.path.display(),
        if state.is_temporary() {
            "   (temporary: removed at exit; --dir keeps it)"
        } else {
            ""
        }
    ));
    line(String::new());
    line("Contracts".into());
    for (name, a) in [
        ("token (CURIA, mintable)", d.token),
        ("CuriaConfig", d.config),
        ("CuriaRegistry", d.registry),
        ("CuriaCuration", d.curation),
        ("CuriaChallenges", d.challenges),
    ] {
        line(format!("  {name:<24} {a}"));
    }
    line(String::new());
    line(format!(
        "Accounts (anvil's well-known test keys; {FUNDING_TOKENS} CURIA and 10000 ETH each)"
    ));
    for (i, a) in accounts.iter().enumerate() {
        let r = role(i, keeper, seeded);
        line(format!(
            "  ({i}) {}  {}{}",
            a.address,
            a.key,
            if r.is_empty() {
                String::new()
            } else {
                format!("  {r}")
            }
        ));
    }
    if let Some(s) = &ready.seed {
        line(String::new());
        line("Demo data".into());
        for m in &s.models {
            line(format!(
                "  model    {:<21} {}  owner ({})",
                m.name, m.model_id, m.owner
            ));
        }
        for v in &s.versions {
            line(format!("  version  {}  {}", v.version_id, v.name));
        }
        line(format!(
            "  challenge {} (availability) on mistral-mini v1: the keeper holds its weights and answers it",
            s.challenge_id
        ));
    }
    line(String::new());
    line("Try".into());
    line(format!(
        "  export API={api} ETH_RPC_URL={} CURIA_DEPLOYMENT={deployment_path}",
        ready.rpc_url
    ));
    line(format!(
        "  export CURIA_PRIVATE_KEY={}   # account 4",
        accounts[4].key
    ));
    line("  curl $API/v1/models".into());
    match &ready.seed {
        Some(s) => {
            let llama = s.models[0].model_id;
            let v2 = s.versions[1].version_id;
            let fork = s.versions[3].version_id;
            line(format!("  curl $API/v1/models/{llama}/resolve"));
            line(format!("  curl $API/v1/versions/{fork}/lineage"));
            line(format!("  curl $API/v1/challenges/{}", s.challenge_id));
            line("  curl $API/v1/leaderboard".into());
            line(format!("  curia version {v2}"));
            line(format!("  curia signal {v2} 100"));
            line("  curia claim".into());
            line(format!(
                "  curia challenge availability {fork} --random 4   # the keeper answers"
            ));
        }
        None => {
            line("  curia model create my-model".into());
            line(
                "  curia publish ./weights --model my-model --location hf://me/my-model@main"
                    .into(),
            );
        }
    }
    line(String::new());
    line(format!(
        "Ready: RPC {} API {api}. Ctrl-C stops everything.",
        ready.rpc_url
    ));
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
