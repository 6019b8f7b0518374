//! `curia keeper`: settle due challenges and answer availability challenges, forever (until
//! Ctrl-C or SIGTERM) or `--once`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use curia_keeper::{Keeper, KeeperConfig, KeeperError, Source};
use curia_sdk::{Deployment, SignerSource};

use super::chain::ChainArgs;
use super::shutdown::{shutdown_signal, wait_true};
use crate::UserError;

/// `curia keeper`.
#[derive(Debug, Args)]
pub struct KeeperArgs {
    /// Read the unsettled challenges from this index database (kept up to date by `curia
    /// index`) instead of scanning the chain's events. Every challenge is still confirmed on chain.
    #[arg(long, env = "CURIA_KEEPER_DB", value_name = "URL|PATH")]
    pub db: Option<String>,
    /// Transactions in flight (and simulations) at most.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub concurrency: u64,
    /// Time between rounds, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS", value_parser = clap::value_parser!(u64).range(10..=600_000))]
    pub poll_interval_ms: u64,
    /// Send nothing while the current fee (base fee + priority fee) is above this, in gwei; no
    /// transaction pays more than this per gas.
    #[arg(long, value_name = "GWEI")]
    pub max_fee_gwei: Option<f64>,
    /// Simulate only: log what would be sent, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A weights directory to answer availability challenges for (its version id is computed
    /// with MR1; its outboard, if any, is DIR.mr1ob). Repeatable.
    #[arg(long, value_name = "DIR")]
    pub weights: Vec<PathBuf>,
    /// A directory of weights directories named by version id (0x…), each with its optional
    /// outboard ROOT/<versionId>.mr1ob; read again every round.
    #[arg(long, value_name = "DIR")]
    pub weights_root: Option<PathBuf>,
    /// Serve Prometheus metrics at http://ADDR/metrics.
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,
    /// Settle and answer what is due now, wait for the transactions, then exit.
    #[arg(long)]
    pub once: bool,
    /// Blocks per eth_getLogs request when scanning the chain.
    #[arg(long, default_value_t = 2_000, value_name = "BLOCKS", value_parser = clap::value_parser!(u64).range(1..))]
    pub log_range: u64,
}

fn signer(chain: &ChainArgs, dry_run: bool) -> Result<alloy::signers::local::PrivateKeySigner> {
    let source = match (&chain.keystore, &chain.private_key) {
        (Some(path), _) => {
            let password = chain.password.clone().ok_or_else(|| {
                UserError(format!(
                    "the keystore {} needs its password: pass --password or set CURIA_KEYSTORE_PASSWORD",
                    path.display()
                ))
            })?;
            SignerSource::Keystore {
                path: path.clone(),
                password,
            }
        }
        (None, Some(key)) => SignerSource::PrivateKey(key.clone()),
        (None, None) if dry_run => {
            return Ok(alloy::signers::local::PrivateKeySigner::random());
        }
        (None, None) => return Err(UserError(
            "the keeper signs its settles: pass --private-key (or CURIA_PRIVATE_KEY) or --keystore"
                .into(),
        )
        .into()),
    };
    Ok(source.into_signer()?)
}

fn keeper_error(e: KeeperError) -> anyhow::Error {
    if e.is_user_error() {
        anyhow::Error::new(UserError(e.to_string()))
    } else {
        anyhow::Error::new(e)
    }
}

/// Runs `curia keeper`.
pub async fn run(args: &KeeperArgs, chain: &ChainArgs) -> Result<()> {
    let deployment = Deployment::load(&chain.deployment)?;
    let signer = signer(chain, args.dry_run)?;
    let mut cfg = KeeperConfig::new(chain.rpc_url.clone(), signer, deployment);
    if let Some(db) = &args.db {
        let store = curia_indexer::Store::open(db).await.map_err(|e| match e {
            curia_indexer::IndexerError::BadDatabaseUrl(_) => {
                anyhow::Error::new(UserError(e.to_string()))
            }
            other => anyhow::Error::new(other).context(format!("cannot open the database {db}")),
        })?;
        cfg.source = Source::Store(store);
    }
    cfg.concurrency = usize::try_from(args.concurrency).unwrap_or(16);
    cfg.poll_interval = Duration::from_millis(args.poll_interval_ms);
    cfg.max_fee_per_gas = match args.max_fee_gwei {
        None => None,
        Some(g) if g.is_finite() && g > 0.0 => Some((g * 1e9) as u128),
        Some(g) => {
            return Err(UserError(format!(
                "--max-fee-gwei {g}: give a positive number of gwei, like 50"
            ))
            .into())
        }
    };
    cfg.dry_run = args.dry_run;
    cfg.weights = args.weights.clone();
    cfg.weights_root = args.weights_root.clone();
    cfg.log_range = args.log_range;
    let keeper = Keeper::new(cfg).await.map_err(keeper_error)?;

    let shutdown = shutdown_signal();
    let server = match args.metrics {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| UserError(format!("cannot listen on {addr}: {e}")))?;
            eprintln!(
                "keeper metrics at http://{}/metrics",
                listener.local_addr()?
            );
            Some(tokio::spawn(curia_keeper::serve_metrics(
                listener,
                keeper.metrics(),
                wait_true(shutdown.clone()),
            )))
        }
        None => None,
    };

    let result = if args.once {
        let done = keeper.once().await.map_err(keeper_error);
        match done {
            Ok(s) => {
                if chain.json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "keeper": keeper.address().to_string(),
                            "settled": s.settled,
                            "lostRaces": s.lost_races,
                            "responded": s.responded,
                            "failed": s.failed,
                            "rpcErrors": s.rpc_errors,
                            "due": s.due,
                            "dryRun": args.dry_run,
                        })
                    );
                } else {
                    println!("keeper     {}", keeper.address());
                    println!("settled    {}", s.settled);
                    println!("lost races {}", s.lost_races);
                    println!("answered   {}", s.responded);
                    println!("failed     {}", s.failed);
                    if args.dry_run {
                        println!("dry run: nothing was sent ({} due)", s.due);
                    }
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    } else {
        eprintln!(
            "keeper {} settling challenges of {} ({}){}",
            keeper.address(),
            chain.deployment.display(),
            if args.db.is_some() {
                "from the index database"
            } else {
                "from the chain's events"
            },
            if args.dry_run { ", dry run" } else { "" }
        );
        keeper
            .run(wait_true(shutdown.clone()))
            .await
            .map_err(keeper_error)
            .context("the keeper stopped")
    };
    if let Some(server) = server {
        server.abort();
        let _ = server.await;
    }
    result
}
