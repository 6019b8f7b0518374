//! `curia index` (follow the chain into the database, optionally serving the API in the same process)
//! and `curia serve` (the API alone, reading a database another process writes).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use alloy::providers::{Provider, ProviderBuilder};
use anyhow::{Context, Result};
use clap::Args;
use curia_indexer::api::{self, ApiConfig};
use curia_indexer::decode::Contracts;
use curia_indexer::{Follower, FollowerConfig, IndexerError, Metrics, Store};
use curia_sdk::Deployment;

use super::chain::ChainArgs;
use super::shutdown::{shutdown_signal, wait_true};
use crate::UserError;

/// Where the index lives.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The database: a SQLite file (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "CURIA_DB",
        default_value = "curia.db",
        value_name = "URL|PATH"
    )]
    pub db: String,
}

/// `curia index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Blocks below the head treated as final (the reorg window).
    #[arg(long, default_value_t = 64, value_name = "BLOCKS")]
    pub finality_depth: u64,
    /// How often to poll the head, in milliseconds.
    #[arg(long, default_value_t = 250, value_name = "MS", value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub poll_interval_ms: u64,
    /// Blocks per eth_getLogs range while backfilling (split further if the node refuses).
    #[arg(long, default_value_t = 2_000, value_name = "BLOCKS", value_parser = clap::value_parser!(u64).range(1..))]
    pub range: u64,
    /// eth_getLogs ranges fetched at once while backfilling.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
    /// A WebSocket RPC URL whose new-heads subscription wakes the indexer at once (polling goes on beside
    /// it). By default the RPC URL with ws:// in place of http:// is tried; `--ws-url none` turns it off.
    #[arg(long, env = "CURIA_WS_URL", value_name = "URL")]
    pub ws_url: Option<String>,
    /// Start over when the database was built from another chain, genesis or deployment.
    #[arg(long)]
    pub reset: bool,
    /// Rebuild the projections from the stored raw events, then exit.
    #[arg(long, conflicts_with = "reset")]
    pub rebuild: bool,
    /// Index up to the current head, then exit.
    #[arg(long)]
    pub once: bool,
    /// Also serve the API at this address (one process for both).
    #[arg(long, value_name = "ADDR")]
    pub serve: Option<SocketAddr>,
    #[command(flatten)]
    pub api: ServeOptions,
}

/// API options.
#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// `/readyz` answers 503 while the index is more than this many blocks behind the head.
    #[arg(long, default_value_t = 5, value_name = "BLOCKS")]
    pub ready_max_lag: u64,
}

/// `curia serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub api: ServeOptions,
}

fn api_config(o: &ServeOptions) -> ApiConfig {
    ApiConfig {
        ready_max_lag: o.ready_max_lag,
        ..ApiConfig::default()
    }
}

async fn open_store(db: &DbArgs) -> Result<Store> {
    Store::open(&db.db).await.map_err(|e| match e {
        IndexerError::BadDatabaseUrl(_) => anyhow::Error::new(UserError(e.to_string())),
        other => anyhow::Error::new(other).context(format!("cannot open the database {}", db.db)),
    })
}

/// The wake-up URL: the flag, or the RPC URL's WebSocket twin.
fn ws_url(flag: Option<&str>, rpc_url: &str) -> Option<String> {
    match flag {
        Some("none") | Some("") => None,
        Some(url) => Some(url.to_owned()),
        None => rpc_url
            .strip_prefix("http://")
            .map(|rest| format!("ws://{rest}"))
            .or_else(|| {
                rpc_url
                    .strip_prefix("https://")
                    .map(|rest| format!("wss://{rest}"))
            }),
    }
}

/// Runs `curia index`.
pub async fn index(args: &IndexArgs, chain: &ChainArgs) -> Result<()> {
    let deployment = Deployment::load(&chain.deployment)?;
    let store = open_store(&args.db).await?;
    if args.rebuild {
        let n = store
            .rebuild()
            .await
            .context("rebuilding the projections")?;
        println!("rebuilt the projections from {n} events");
        return Ok(());
    }
    let url = chain
        .rpc_url
        .parse()
        .map_err(|e| UserError(format!("--rpc-url '{}' is not a URL: {e}", chain.rpc_url)))?;
    let provider = ProviderBuilder::new().connect_http(url).erased();
    let chain_id = provider
        .get_chain_id()
        .await
        .with_context(|| format!("cannot reach the node at {}: is it running?", chain.rpc_url))?;
    if chain_id != deployment.chain_id {
        return Err(UserError(format!(
            "{} is for chain {}, but the node at {} is chain {chain_id}: pass the right --deployment or --rpc-url",
            chain.deployment.display(),
            deployment.chain_id,
            chain.rpc_url
        ))
        .into());
    }
    let config = FollowerConfig {
        start_block: deployment.deployment_block,
        finality_depth: args.finality_depth,
        poll_interval: Duration::from_millis(args.poll_interval_ms),
        range: args.range,
        concurrency: usize::try_from(args.concurrency).unwrap_or(4),
        reset: args.reset,
        ws_url: ws_url(args.ws_url.as_deref(), &chain.rpc_url),
    };
    let metrics = Arc::new(Metrics::default());
    let follower = Follower::new(
        provider,
        store.clone(),
        Contracts::of(&deployment),
        config,
        metrics.clone(),
    )
    .await
    .map_err(|e| match e {
        IndexerError::ChainMismatch(_) | IndexerError::WriterLocked => {
            anyhow::Error::new(UserError(e.to_string()))
        }
        other => anyhow::Error::new(other),
    })?;
    if args.once {
        let n = follower.sync().await?;
        println!("indexed up to block {n}");
        return Ok(());
    }
    let shutdown = shutdown_signal();
    let server = match args.serve {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| UserError(format!("cannot listen on {addr}: {e}")))?;
            eprintln!("curia API listening on http://{}", listener.local_addr()?);
            let config = ApiConfig {
                tip: Some(follower.subscribe()),
                ..api_config(&args.api)
            };
            let router = api::router(store.clone(), metrics.clone(), config);
            Some(tokio::spawn(api::serve(
                listener,
                router,
                wait_true(shutdown.clone()),
            )))
        }
        None => None,
    };
    eprintln!(
        "indexing chain {chain_id} from block {} into {}",
        deployment.deployment_block, args.db.db
    );
    let result = follower.run(shutdown).await;
    if let Some(server) = server {
        server.abort();
        let _ = server.await;
    }
    Ok(result?)
}

/// Runs `curia serve`.
pub async fn serve(args: &ServeArgs) -> Result<()> {
    let store = open_store(&args.db).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| UserError(format!("cannot listen on {}: {e}", args.listen)))?;
    eprintln!("curia API listening on http://{}", listener.local_addr()?);
    let router = api::router(store, Arc::new(Metrics::default()), api_config(&args.api));
    api::serve(listener, router, wait_true(shutdown_signal())).await?;
    Ok(())
}
