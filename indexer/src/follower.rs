//! The chain follower: backfill, head following and reorg handling.
//!
//! - **Backfill** (blocks older than the finality depth): block ranges fetched with `eth_getLogs`, several at
//!   once (bounded), applied in order, one transaction per range. A range the node refuses (too many
//!   blocks or results) is split in halves until it passes.
//! - **Head** (the last `finality_depth` blocks): each new block's header is fetched, its parent hash checked
//!   against the stored hash of the block before it, and its hash kept in the reorg window. Logs whose block
//!   hash is not the header's (a reorg between the two calls) make the batch retry.
//! - **Reorgs**: when a parent hash does not match, the follower walks back through the window to the
//!   newest block whose stored hash the chain still has, and [`Store::rollback_to`] it; the next steps
//!   re-apply the new branch.
//! - **Wake-up**: with a WebSocket URL, a new-heads subscription wakes the loop as soon as a block
//!   arrives; it is only a wake-up (the data still comes from the checks above), and polling goes on
//!   beside it, so a dropped subscription costs latency, never data.
//! - **Another chain**: the chain id, the genesis hash and the contract addresses are stored at the first
//!   run; a database built from another chain (a restarted devnet) is refused, or wiped with `reset`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::B256;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, Log};
use curia_sdk::logs::get_logs_split;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use tokio::sync::{watch, Notify};

use crate::decode::{decode_log, Contracts};
use crate::error::{IndexerError, Result};
use crate::metrics::Metrics;
use crate::store::{keys, BlockRef, Store, StoredLog};

/// How the follower runs.
#[derive(Clone, Debug)]
pub struct FollowerConfig {
    /// The block the contracts were deployed at (where the backfill starts).
    pub start_block: u64,
    /// Blocks below the head considered final: the reorg window.
    pub finality_depth: u64,
    /// How often the head is polled.
    pub poll_interval: Duration,
    /// Blocks per `eth_getLogs` range while backfilling.
    pub range: u64,
    /// Ranges fetched at once while backfilling.
    pub concurrency: usize,
    /// Wipe a database built from another chain instead of refusing it.
    pub reset: bool,
    /// A WebSocket RPC URL whose new-heads subscription wakes the follower (polling goes on beside it).
    pub ws_url: Option<String>,
}

impl Default for FollowerConfig {
    fn default() -> Self {
        Self {
            start_block: 0,
            finality_depth: 64,
            poll_interval: Duration::from_millis(250),
            range: 2_000,
            concurrency: 4,
            reset: false,
            ws_url: None,
        }
    }
}

/// Follows one chain into one [`Store`].
pub struct Follower {
    provider: DynProvider,
    store: Store,
    contracts: Contracts,
    config: FollowerConfig,
    metrics: Arc<Metrics>,
    chain_id: u64,
    tip: watch::Sender<u64>,
    wake: Arc<Notify>,
    fetcher: Fetcher,
    /// PostgreSQL: the connection holding the writer's lock.
    _writer: std::sync::Mutex<Option<sqlx::AnyConnection>>,
}

impl std::fmt::Debug for Follower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follower")
            .field("contracts", &self.contracts)
            .field("config", &self.config)
            .finish()
    }
}

/// Attempts for one RPC call before the step fails (the run loop then backs off and tries again).
const RPC_ATTEMPTS: u32 = 4;

fn rpc<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> IndexerError + '_ {
    move |e| IndexerError::Rpc(format!("{what}: {e}"))
}

impl Follower {
    /// Connects the follower: checks (or records) which chain, genesis and contracts the database holds.
    pub async fn new(
        provider: DynProvider,
        store: Store,
        contracts: Contracts,
        config: FollowerConfig,
        metrics: Arc<Metrics>,
    ) -> Result<Self> {
        let chain_id = provider.get_chain_id().await.map_err(rpc("eth_chainId"))?;
        let genesis = header(&provider, 0).await?.hash;
        let (tip, _) = watch::channel(0);
        let wake = Arc::new(Notify::new());
        let _writer = std::sync::Mutex::new(store.lock_writer().await?);
        let fetcher = Fetcher {
            provider: provider.clone(),
            contracts,
            metrics: metrics.clone(),
        };
        let me = Self {
            provider,
            store,
            contracts,
            config,
            metrics,
            chain_id,
            tip,
            wake,
            fetcher,
            _writer,
        };
        me.check_chain(genesis).await?;
        if let Some((n, _)) = me.store.checkpoint().await? {
            me.metrics.indexed.store(n, Ordering::Relaxed);
            me.tip.send_replace(n);
        }
        me.metrics.follower.store(true, Ordering::Relaxed);
        Ok(me)
    }

    async fn check_chain(&self, genesis: B256) -> Result<()> {
        let stored_chain = self.store.meta(keys::CHAIN_ID).await?;
        let stored_genesis = self.store.meta(keys::GENESIS).await?;
        let stored_contracts = self.store.contracts().await?;
        let stored_start = self.store.meta(keys::START_BLOCK).await?;
        if let (Some(c), Some(g)) = (&stored_chain, &stored_genesis) {
            let mismatch = if *c != self.chain_id.to_string() {
                Some(format!(
                    "chain id {c}, but the RPC serves chain id {}",
                    self.chain_id
                ))
            } else if *g != format!("{genesis:#x}") {
                Some(format!(
                    "a chain whose genesis block is {g}, but the RPC's genesis is {genesis:#x} (a restarted devnet?)"
                ))
            } else if stored_contracts != Some(self.contracts) {
                Some("other contract addresses than the deployment file gives".to_owned())
            } else if stored_start != Some(self.config.start_block.to_string()) {
                Some(format!(
                    "a start block of {}, not {}",
                    stored_start.as_deref().unwrap_or("?"),
                    self.config.start_block
                ))
            } else {
                None
            };
            match mismatch {
                None if self.checkpoint_on_chain().await? => return Ok(()),
                None if !self.config.reset => {
                    return Err(IndexerError::ChainMismatch(
                        "the chain no longer has the blocks the database indexed (a devnet restarted with the \
                         same genesis?): run `curia index --reset` to start it over, or point --db at another \
                         database"
                            .into(),
                    ));
                }
                None => {
                    tracing::warn!(
                        "the chain no longer has the indexed blocks: --reset given, starting over"
                    );
                    self.store.reset().await?;
                }
                Some(m) if !self.config.reset => {
                    return Err(IndexerError::ChainMismatch(format!(
                        "the database was built from {m}: run `curia index --reset` to start it over, or point \
                         --db at another database"
                    )));
                }
                Some(m) => {
                    tracing::warn!("the database was built from {m}: --reset given, starting over");
                    self.store.reset().await?;
                }
            }
        } else if self.config.reset {
            self.store.reset().await?;
        }
        let before = self.config.start_block.saturating_sub(1);
        let b = header(&self.provider, before).await?;
        self.store
            .initialise(self.chain_id, genesis, &self.contracts, b)
            .await
    }

    /// Whether the chain still has the checkpoint block, or a block of the reorg window to roll back to.
    async fn checkpoint_on_chain(&self) -> Result<bool> {
        let Some((indexed, hash)) = self.store.checkpoint().await? else {
            return Ok(false);
        };
        if header_opt(&self.provider, indexed)
            .await?
            .is_some_and(|b| b.hash == hash)
        {
            return Ok(true);
        }
        let lowest = indexed.saturating_sub(self.config.finality_depth);
        for n in (lowest..=indexed).rev() {
            if let Some(stored) = self.store.block_hash(n).await? {
                if header_opt(&self.provider, n)
                    .await?
                    .is_some_and(|b| b.hash == stored)
                {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The chain id the follower indexes.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// A receiver of the last indexed block, updated after each batch (wakes the API's event stream).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.tip.subscribe()
    }

    /// Follows the chain until `shutdown` turns true. Transient RPC errors are retried with backoff;
    /// anything else (a deep reorg, another chain, a database failure) ends the run with the error.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) -> Result<()> {
        let waker = self
            .config
            .ws_url
            .clone()
            .map(|url| tokio::spawn(wake_on_new_heads(url, self.wake.clone())));
        let result = self.run_loop(&mut shutdown).await;
        if let Some(w) = waker {
            w.abort();
        }
        result
    }

    async fn run_loop(&self, shutdown: &mut watch::Receiver<bool>) -> Result<()> {
        let mut backoff = Duration::from_millis(200);
        loop {
            if *shutdown.borrow() {
                return Ok(());
            }
            let wait = match self.step().await {
                Ok(true) => {
                    backoff = Duration::from_millis(200);
                    continue;
                }
                Ok(false) => self.config.poll_interval,
                Err(e) if e.is_transient() => {
                    self.metrics.rpc_errors.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, retry_in = ?backoff, "RPC failed; retrying");
                    let w = backoff;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    w
                }
                Err(e) => return Err(e),
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Indexes until the database has the current head, then returns the indexed block.
    pub async fn sync(&self) -> Result<u64> {
        while self.step().await? {}
        Ok(self.metrics.indexed.load(Ordering::Relaxed))
    }

    /// One step: applies what is new (or rolls back a reorg). Returns whether anything changed.
    pub async fn step(&self) -> Result<bool> {
        let head = self
            .provider
            .get_block_number()
            .await
            .map_err(rpc("eth_blockNumber"))?;
        if self.metrics.head.swap(head, Ordering::Relaxed) != head {
            self.store
                .set_meta(keys::HEAD_BLOCK, &head.to_string())
                .await?;
        }
        let Some((indexed, indexed_hash)) = self.store.checkpoint().await? else {
            return Err(IndexerError::Inconsistent(
                "no checkpoint in an initialised database".into(),
            ));
        };
        if indexed > head {
            // The chain is shorter than what we indexed: a reorg to a shorter branch, or a rollback.
            return self.rollback(indexed).await.map(|_| true);
        }
        if indexed == head {
            // Nothing new, unless the head block itself was replaced (a reorg at the same height).
            if header(&self.provider, head).await?.hash != indexed_hash {
                self.rollback(indexed).await?;
                return Ok(true);
            }
            return Ok(false);
        }
        let final_edge = head.saturating_sub(self.config.finality_depth);
        if indexed < final_edge {
            self.backfill(indexed + 1, final_edge, head).await?;
        } else {
            self.follow(indexed, indexed_hash, head).await?;
        }
        Ok(true)
    }

    /// Applies `from..=to` (all final) in ranges fetched concurrently and applied in order.
    async fn backfill(&self, from: u64, to: u64, head: u64) -> Result<()> {
        let range = self.config.range.max(1);
        // At most `concurrency * 4` ranges per step, so that the head is looked at again now and then.
        let ranges: Vec<(u64, u64)> = (0..)
            .map(|i| from + i * range)
            .take_while(|a| *a <= to)
            .take(self.config.concurrency.max(1) * 4)
            .map(|a| (a, (a + range - 1).min(to)))
            .collect();
        let prune_below = head.saturating_sub(self.config.finality_depth);
        // Each range is fetched and decoded in its own task, so that fetching and decoding go on while
        // the previous range is written; the results are applied strictly in order.
        let mut fetched = futures::stream::iter(ranges)
            .map(|(a, b)| {
                let fetcher = self.fetcher.clone();
                tokio::spawn(async move {
                    let logs = fetcher.fetch_logs(a, b).await?;
                    let end = header(&fetcher.provider, b).await?;
                    Ok::<_, IndexerError>((fetcher.to_stored(logs)?, end))
                })
            })
            .buffered(self.config.concurrency.max(1));
        while let Some(joined) = fetched.next().await {
            let (logs, end) =
                joined.map_err(|e| IndexerError::Rpc(format!("a backfill task failed: {e}")))??;
            self.write(&logs, &[], &end, prune_below).await?;
        }
        Ok(())
    }

    /// Applies the blocks after `indexed` up to `head` (inside the reorg window), checking their hashes.
    async fn follow(&self, indexed: u64, indexed_hash: B256, head: u64) -> Result<()> {
        let to = head.min(indexed + 100);
        let headers: Vec<BlockRef> = futures::stream::iter(indexed + 1..=to)
            .map(|n| header(&self.provider, n))
            .buffered(8)
            .try_collect()
            .await?;
        let Some(first) = headers.first() else {
            return Ok(());
        };
        if first.parent_hash != indexed_hash {
            return self.rollback(indexed).await;
        }
        if headers.windows(2).any(|w| w[1].parent_hash != w[0].hash) {
            // The chain moved between two header calls: try again on the next step.
            return Ok(());
        }
        let logs = self.fetcher.fetch_logs(indexed + 1, to).await?;
        let Some(logs) = self.to_stored_checked(logs, &headers)? else {
            return Ok(());
        };
        let Some(end) = headers.last() else {
            return Ok(());
        };
        let prune_below = head.saturating_sub(self.config.finality_depth);
        self.write(&logs, &headers, end, prune_below).await
    }

    async fn write(
        &self,
        logs: &[StoredLog],
        headers: &[BlockRef],
        end: &BlockRef,
        prune_below: u64,
    ) -> Result<()> {
        self.store
            .apply_batch(
                self.chain_id,
                &self.contracts,
                logs,
                headers,
                end,
                prune_below,
            )
            .await?;
        self.metrics
            .events
            .fetch_add(logs.len() as u64, Ordering::Relaxed);
        self.metrics.indexed.store(end.number, Ordering::Relaxed);
        self.metrics.generation.fetch_add(1, Ordering::AcqRel);
        self.tip.send_replace(end.number);
        tracing::debug!(block = end.number, events = logs.len(), "indexed");
        Ok(())
    }

    /// Finds the newest block of the window that the chain still has, and rolls the database back to it.
    async fn rollback(&self, indexed: u64) -> Result<()> {
        let lowest = indexed.saturating_sub(self.config.finality_depth);
        let mut n = indexed;
        loop {
            if let Some(stored) = self.store.block_hash(n).await? {
                match header_opt(&self.provider, n).await? {
                    Some(chain) if chain.hash == stored => {
                        let removed = self.store.rollback_to(&chain).await?;
                        self.metrics.reorgs.fetch_add(1, Ordering::Relaxed);
                        self.metrics.generation.fetch_add(1, Ordering::AcqRel);
                        self.metrics.indexed.store(n, Ordering::Relaxed);
                        self.tip.send_replace(n);
                        tracing::warn!(fork = n, from = indexed, removed, "reorg: rolled back");
                        return Ok(());
                    }
                    _ => {}
                }
            }
            if n == 0 || n <= lowest {
                return Err(IndexerError::ReorgTooDeep {
                    depth: self.config.finality_depth,
                    block: n,
                });
            }
            n -= 1;
        }
    }

    /// Like `to_stored`, but `None` when a log's block hash is not the header's (the chain moved).
    fn to_stored_checked(
        &self,
        logs: Vec<Log>,
        headers: &[BlockRef],
    ) -> Result<Option<Vec<StoredLog>>> {
        let logs = self.fetcher.to_stored(logs)?;
        let first = headers.first().map(|h| h.number).unwrap_or_default();
        for l in &logs {
            let h = l
                .block_number
                .checked_sub(first)
                .and_then(|i| headers.get(i as usize));
            if h.map(|h| h.hash) != Some(l.block_hash) {
                return Ok(None);
            }
        }
        Ok(Some(logs))
    }
}

/// What backfill tasks share: the node, the contracts and the metrics (cheap to clone).
#[derive(Clone)]
struct Fetcher {
    provider: DynProvider,
    contracts: Contracts,
    metrics: Arc<Metrics>,
}

impl Fetcher {
    /// Decodes the node's logs, in chain order.
    fn to_stored(&self, logs: Vec<Log>) -> Result<Vec<StoredLog>> {
        let mut out = Vec::with_capacity(logs.len());
        for log in logs {
            if log.removed {
                continue;
            }
            let missing =
                |f: &str| IndexerError::Decode(format!("the node returned a log without its {f}"));
            let event = decode_log(&self.contracts, &log.inner)?;
            out.push(StoredLog {
                block_number: log.block_number.ok_or_else(|| missing("block number"))?,
                block_hash: log.block_hash.ok_or_else(|| missing("block hash"))?,
                block_time: log.block_timestamp,
                tx_hash: log
                    .transaction_hash
                    .ok_or_else(|| missing("transaction hash"))?,
                tx_index: log
                    .transaction_index
                    .ok_or_else(|| missing("transaction index"))?,
                log_index: log.log_index.ok_or_else(|| missing("log index"))?,
                address: log.inner.address,
                topics: log.inner.data.topics().to_vec(),
                data: log.inner.data.data.to_vec(),
                event,
            });
        }
        out.sort_by_key(|l| (l.block_number, l.log_index));
        Ok(out)
    }

    /// `eth_getLogs` over `from..=to`, split in halves where the node refuses it (the SDK's
    /// [`get_logs_split`]); a block that fails alone is retried with backoff.
    fn fetch_logs(&self, from: u64, to: u64) -> BoxFuture<'static, Result<Vec<Log>>> {
        let me = self.clone();
        async move {
            let filter = Filter::new().address(me.contracts.addresses());
            let mut attempt = 0;
            loop {
                match get_logs_split(&me.provider, &filter, from, to).await {
                    Ok(logs) => return Ok(logs),
                    Err(e) => {
                        attempt += 1;
                        me.metrics.rpc_errors.fetch_add(1, Ordering::Relaxed);
                        if attempt >= RPC_ATTEMPTS {
                            return Err(IndexerError::Rpc(format!(
                                "eth_getLogs of blocks {from} to {to}: {e}"
                            )));
                        }
                        tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
                    }
                }
            }
        }
        .boxed()
    }
}

/// Subscribes to new heads at `url` and wakes the follower on each; reconnects after a failure. A node
/// without subscriptions leaves the follower polling.
async fn wake_on_new_heads(url: String, wake: Arc<Notify>) {
    use alloy::providers::{ProviderBuilder, WsConnect};
    let mut delay = Duration::from_millis(500);
    loop {
        match ProviderBuilder::new()
            .connect_ws(WsConnect::new(url.clone()))
            .await
        {
            Ok(provider) => match provider.subscribe_blocks().await {
                Ok(sub) => {
                    tracing::info!(%url, "new-heads subscription: waking on every block");
                    delay = Duration::from_millis(500);
                    let mut heads = sub.into_stream();
                    while heads.next().await.is_some() {
                        wake.notify_one();
                    }
                    tracing::info!(%url, "new-heads subscription ended; polling until it is back");
                }
                Err(e) => {
                    tracing::info!(%url, error = %e, "no new-heads subscription; polling only")
                }
            },
            Err(e) => tracing::debug!(%url, error = %e, "WebSocket not available; polling only"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

async fn header_opt(provider: &DynProvider, n: u64) -> Result<Option<BlockRef>> {
    let block = provider
        .get_block_by_number(BlockNumberOrTag::Number(n))
        .await
        .map_err(|e| IndexerError::Rpc(format!("eth_getBlockByNumber({n}): {e}")))?;
    Ok(block.map(|b| BlockRef {
        number: n,
        hash: b.header.hash,
        parent_hash: b.header.parent_hash,
    }))
}

async fn header(provider: &DynProvider, n: u64) -> Result<BlockRef> {
    header_opt(provider, n)
        .await?
        .ok_or_else(|| IndexerError::Rpc(format!("block {n} is not available yet")))
}
