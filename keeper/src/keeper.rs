//! The keeper: rounds of "find what is due, confirm it on chain, send", forever or once.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::client::RpcClient;
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest;
use alloy::transports::http::Http;
use curia_sdk::bindings::CuriaChallenges;
use curia_sdk::{ChallengeKind, ChallengeStatus, Client, Deployment, Weights};
use futures::stream::{self, StreamExt};
use tokio::sync::Mutex;
use tracing::{debug, info, warn};

use crate::error::{KeeperError, Result};
use crate::metrics::{Metrics, MetricsSnapshot};
use crate::responder::WeightsBook;
use crate::source::{self, Candidate, ChainScan, Source};

/// How a keeper runs. [`KeeperConfig::new`] gives the defaults.
#[derive(Clone, Debug)]
pub struct KeeperConfig {
    /// The node's JSON-RPC URL (http:// or https://).
    pub rpc_url: String,
    /// The key that signs settles and answers (it earns the keeper bounties).
    pub signer: PrivateKeySigner,
    /// The deployment.
    pub deployment: Deployment,
    /// Where to find unsettled challenges.
    pub source: Source,
    /// At most this many transactions in flight (sent, not yet mined) and this many
    /// simulations at once (default 16).
    pub concurrency: usize,
    /// Time between rounds (default 500 ms).
    pub poll_interval: Duration,
    /// Longest wait between rounds after failures, the backoff's cap (default 5 s).
    pub max_backoff: Duration,
    /// Sends nothing while the current fee (base fee + priority fee) is above this, in wei per
    /// gas; transactions are sent with `maxFeePerGas` at most this.
    pub max_fee_per_gas: Option<u128>,
    /// Simulates only and logs what would be sent.
    pub dry_run: bool,
    /// Weights directories held, one version each (its id computed with MR1).
    pub weights: Vec<PathBuf>,
    /// A directory of weights directories named by version id (`0x…`).
    pub weights_root: Option<PathBuf>,
    /// Blocks per `eth_getLogs` request when scanning the chain (default 2000).
    pub log_range: u64,
    /// Timeout of one JSON-RPC request (default 10 s).
    pub rpc_timeout: Duration,
    /// After this long without a receipt, a sent transaction is looked up on its own and, if
    /// its nonce was used by another transaction, forgotten (default 60 s).
    pub tx_timeout: Duration,
    /// At start and after a failed send, the keeper waits until the signer has no pending
    /// transactions (its own, from before) before sending, at most this long (default 60 s).
    pub quiesce_timeout: Duration,
    /// [`Keeper::once`] gives up after this long (default 5 min).
    pub once_timeout: Duration,
}

impl KeeperConfig {
    /// The defaults, with the chain source.
    pub fn new(
        rpc_url: impl Into<String>,
        signer: PrivateKeySigner,
        deployment: Deployment,
    ) -> Self {
        KeeperConfig {
            rpc_url: rpc_url.into(),
            signer,
            deployment,
            source: Source::Chain,
            concurrency: 16,
            poll_interval: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_fee_per_gas: None,
            dry_run: false,
            weights: Vec::new(),
            weights_root: None,
            log_range: 2_000,
            rpc_timeout: Duration::from_secs(10),
            tx_timeout: Duration::from_secs(60),
            quiesce_timeout: Duration::from_secs(60),
            once_timeout: Duration::from_secs(300),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Settle,
    Respond,
}

#[derive(Debug)]
struct Inflight {
    action: Action,
    hash: B256,
    nonce: u64,
    sent_at: Instant,
    warned: bool,
}

#[derive(Debug, Default)]
struct State {
    scan: Option<ChainScan>,
    inflight: HashMap<U256, Inflight>,
    receipts_from: u64,
    /// Set at start and after a failed send: wait for the signer's pending transactions.
    quiesce: Option<Instant>,
    /// Challenges not to try again in this process (unknown, or failing for another reason).
    given_up: HashSet<U256>,
    /// Challenges found settled on chain while the source still lists them.
    settled_seen: HashSet<U256>,
    /// Dry run: challenges already reported.
    dry_logged: HashSet<U256>,
}

/// What one round did.
#[derive(Debug, Default)]
struct Round {
    sent: usize,
    waiting: bool,
}

/// The simulation's verdict on a settle or an answer.
#[derive(Debug)]
enum Verdict {
    /// It would succeed, using this much gas.
    Go(Box<TransactionRequest>),
    /// Not settleable yet (or the answer came too late): nothing to do now.
    NotNow,
    /// Already settled (or answered) by someone else.
    Taken,
    /// Reverts for another reason: give up on it.
    Reverts(String),
    /// The node failed: try again later.
    Rpc(String),
}

/// Fees of one round.
#[derive(Clone, Copy, Debug)]
struct Fees {
    max_fee_per_gas: u128,
    max_priority_fee_per_gas: u128,
}

/// A keeper of one Curia deployment: settles due challenges and answers availability
/// challenges on the versions whose weights it holds.
///
/// ```no_run
/// # async fn run(deployment: curia_sdk::Deployment, key: alloy::signers::local::PrivateKeySigner) -> curia_keeper::Result<()> {
/// use curia_keeper::{Keeper, KeeperConfig};
/// let keeper = Keeper::new(KeeperConfig::new("http://127.0.0.1:8545", key, deployment)).await?;
/// let done = keeper.once().await?;
/// println!("settled {} challenges", done.settled);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Keeper {
    cfg: KeeperConfig,
    provider: DynProvider,
    reader: Client,
    challenges: CuriaChallenges::CuriaChallengesInstance<DynProvider>,
    from: Address,
    metrics: Arc<Metrics>,
    weights: WeightsBook,
    state: Mutex<State>,
    /// The signer's next nonce; the lock serialises sends. `None`: read it from the node
    /// (`pending`) at the next send, as after any failed send.
    nonce: Mutex<Option<u64>>,
}

impl Keeper {
    /// Connects (checking the chain id and the contracts, like [`curia_sdk::Client`]) and
    /// hashes the single weights directories.
    pub async fn new(cfg: KeeperConfig) -> Result<Keeper> {
        Self::with_metrics(cfg, Arc::new(Metrics::default())).await
    }

    /// [`Keeper::new`], counting into `metrics`.
    pub async fn with_metrics(cfg: KeeperConfig, metrics: Arc<Metrics>) -> Result<Keeper> {
        if cfg.concurrency == 0 {
            return Err(KeeperError::Config(
                "the concurrency must be at least 1".into(),
            ));
        }
        let reader = Client::builder(cfg.rpc_url.clone())
            .deployment(cfg.deployment.clone())
            .connect()
            .await?;
        let url: reqwest::Url = cfg
            .rpc_url
            .trim()
            .parse()
            .map_err(|e| KeeperError::Config(format!("the RPC URL '{}': {e}", cfg.rpc_url)))?;
        let http = reqwest::Client::builder()
            .timeout(cfg.rpc_timeout)
            .build()
            .map_err(|e| KeeperError::Config(format!("building the HTTP client: {e}")))?;
        let transport = Http::with_client(http, url);
        let local = transport.guess_local();
        let rpc = RpcClient::new(transport, local);
        let from = cfg.signer.address();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(cfg.signer.clone()))
            .connect_client(rpc)
            .erased();
        let challenges = CuriaChallenges::new(cfg.deployment.challenges, provider.clone());
        let weights = WeightsBook::new(&cfg.weights, cfg.weights_root.clone()).await?;
        let scan = match cfg.source {
            Source::Chain => Some(ChainScan::new(
                cfg.deployment.deployment_block,
                cfg.log_range,
            )),
            Source::Store(_) => None,
        };
        let state = State {
            scan,
            quiesce: Some(Instant::now()),
            ..State::default()
        };
        info!(keeper = %from, dry_run = cfg.dry_run, concurrency = cfg.concurrency, "keeper ready");
        Ok(Keeper {
            cfg,
            provider,
            reader,
            challenges,
            from,
            metrics,
            weights,
            state: Mutex::new(state),
            nonce: Mutex::new(None),
        })
    }

    /// The signer's address (it earns the bounties).
    pub fn address(&self) -> Address {
        self.from
    }

    /// The keeper's metrics.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Settles and answers what is due now, waits for those transactions to be mined, and
    /// returns what it did. Node failures are retried a few times with backoff.
    pub async fn once(&self) -> Result<MetricsSnapshot> {
        let mut st = self.state.lock().await;
        let before = self.metrics.snapshot();
        let started = Instant::now();
        let mut failures = 0u32;
        loop {
            match self.round(&mut st).await {
                Ok(r) => {
                    failures = 0;
                    if r.sent == 0 && st.inflight.is_empty() && !r.waiting {
                        break;
                    }
                }
                Err(e) => {
                    self.metrics.rpc_error();
                    failures += 1;
                    if failures >= 5 {
                        return Err(e);
                    }
                    warn!(error = %e, "round failed; retrying");
                }
            }
            if started.elapsed() > self.cfg.once_timeout {
                return Err(KeeperError::Timeout {
                    secs: self.cfg.once_timeout.as_secs(),
                    what: format!("{} transactions still pending", st.inflight.len()),
                });
            }
            let delay = if failures > 0 {
                self.backoff(failures)
            } else {
                self.cfg.poll_interval.min(Duration::from_millis(200))
            };
            tokio::time::sleep(delay).await;
        }
        Ok(self.metrics.snapshot().since(&before))
    }

    /// Runs rounds every poll interval until `shutdown` completes. A failed round (the node
    /// unreachable, the database down) is counted and retried with backoff: the loop never
    /// stops on its own.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        tokio::pin!(shutdown);
        let mut st = self.state.lock().await;
        let mut failures = 0u32;
        loop {
            let delay = tokio::select! {
                _ = &mut shutdown => break,
                r = self.round(&mut st) => match r {
                    Ok(_) => {
                        failures = 0;
                        self.cfg.poll_interval
                    }
                    Err(e) => {
                        self.metrics.rpc_error();
                        failures += 1;
                        warn!(error = %e, failures, "round failed; retrying");
                        self.backoff(failures)
                    }
                },
            };
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(delay) => {}
            }
        }
        info!(in_flight = st.inflight.len(), "keeper stopped");
        Ok(())
    }

    fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.min(8);
        (self.cfg.poll_interval * factor).min(self.cfg.max_backoff)
    }

    /// One round: receipts of what is in flight, then the candidates, answers, settles.
    async fn round(&self, st: &mut State) -> Result<Round> {
        let head = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .map_err(|e| KeeperError::rpc("reading the latest block", e))?
            .ok_or_else(|| KeeperError::rpc("reading the latest block", "no block"))?;
        let (number, now) = (head.header.number, head.header.timestamp);
        let base_fee = head.header.base_fee_per_gas;
        self.reconcile(st, number).await?;

        let candidates = match (&self.cfg.source, st.scan.as_mut()) {
            (Source::Store(store), _) => source::from_store(store).await?,
            (Source::Chain, Some(scan)) => {
                scan.refresh(&self.provider, self.cfg.deployment.challenges, number)
                    .await?
            }
            (Source::Chain, None) => Vec::new(),
        };
        let listed: HashSet<U256> = candidates.iter().map(|c| c.challenge_id).collect();
        st.settled_seen.retain(|id| listed.contains(id));

        let mut round = Round::default();
        let fees = if self.cfg.dry_run {
            None
        } else if !self.ready_to_send(st).await? {
            round.waiting = true;
            None
        } else {
            self.fees(base_fee).await?
        };
        let can_send = fees.is_some() || self.cfg.dry_run;

        // Answers first: they race a deadline.
        let held = if self.weights.is_empty() {
            HashMap::new()
        } else {
            self.weights.current()
        };
        let to_answer: Vec<(Candidate, Weights)> = candidates
            .iter()
            .filter(|c| {
                c.kind == ChallengeKind::Availability
                    && c.status == ChallengeStatus::Open
                    && c.deadline >= now
                    && !st.inflight.contains_key(&c.challenge_id)
                    && !st.given_up.contains(&c.challenge_id)
            })
            .filter_map(|c| held.get(&c.version_id).map(|w| (c.clone(), w.clone())))
            .collect();

        let due: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.settleable_at(now + 1) && !st.settled_seen.contains(&c.challenge_id))
            .collect();
        self.metrics.set_due(due.len() as u64);
        if !can_send {
            return Ok(round);
        }

        let capacity = self.cfg.concurrency.saturating_sub(st.inflight.len());
        let answering: HashSet<U256> = to_answer.iter().map(|(c, _)| c.challenge_id).collect();
        let answers: Vec<_> = to_answer.into_iter().take(capacity).collect();
        let capacity = capacity - answers.len();
        let settles: Vec<U256> = due
            .iter()
            .map(|c| c.challenge_id)
            .filter(|id| {
                !st.inflight.contains_key(id)
                    && !st.given_up.contains(id)
                    && !answering.contains(id)
            })
            .take(capacity)
            .collect();
        if !answers.is_empty() {
            let verdicts: Vec<(U256, Verdict)> = stream::iter(answers)
                .map(|(c, w)| async move { (c.challenge_id, self.prepare_answer(c, w).await) })
                .buffer_unordered(self.cfg.concurrency)
                .collect()
                .await;
            self.dispatch(st, Action::Respond, verdicts, fees, &mut round)
                .await;
        }
        if !settles.is_empty() {
            let mut verdicts: Vec<(U256, Verdict)> = stream::iter(settles)
                .map(|id| async move { (id, self.prepare_settle(id).await) })
                .buffer_unordered(self.cfg.concurrency)
                .collect()
                .await;
            verdicts.sort_by_key(|(id, _)| *id);
            self.dispatch(st, Action::Settle, verdicts, fees, &mut round)
                .await;
        }
        Ok(round)
    }

    /// Acts on simulation verdicts: sends (serially, one nonce after the other) or counts.
    async fn dispatch(
        &self,
        st: &mut State,
        action: Action,
        verdicts: Vec<(U256, Verdict)>,
        fees: Option<Fees>,
        round: &mut Round,
    ) {
        let mut node_down = false;
        for (id, verdict) in verdicts {
            match verdict {
                Verdict::Go(tx) => {
                    if node_down {
                        continue;
                    }
                    let Some(fees) = fees else {
                        if st.dry_run_first(id) {
                            info!(challenge = %id, ?action, "dry run: would send");
                        }
                        continue;
                    };
                    match self.send(*tx, fees).await {
                        Ok((hash, nonce)) => {
                            debug!(challenge = %id, ?action, %hash, nonce, "sent");
                            st.inflight.insert(
                                id,
                                Inflight {
                                    action,
                                    hash,
                                    nonce,
                                    sent_at: Instant::now(),
                                    warned: false,
                                },
                            );
                            round.sent += 1;
                        }
                        Err(e) => {
                            self.metrics.rpc_error();
                            warn!(challenge = %id, ?action, error = %e, "sending failed; will check the chain and retry");
                            st.quiesce = Some(Instant::now());
                            node_down = true;
                        }
                    }
                }
                Verdict::NotNow => {}
                Verdict::Taken => {
                    if action == Action::Settle {
                        debug!(challenge = %id, "already settled: lost the race");
                        self.metrics.lost_race();
                        st.settled_seen.insert(id);
                    }
                }
                Verdict::Reverts(reason) => {
                    warn!(challenge = %id, ?action, %reason, "would revert; giving up on it");
                    self.metrics.failed();
                    st.given_up.insert(id);
                }
                Verdict::Rpc(e) => {
                    self.metrics.rpc_error();
                    debug!(challenge = %id, ?action, error = %e, "simulation failed; retrying later");
                }
            }
        }
    }

    /// Simulates `settle(id)` on the pending block (the chain's truth) and prices its gas.
    async fn prepare_settle(&self, id: U256) -> Verdict {
        let call = self
            .challenges
            .settle(id)
            .from(self.from)
            .block(BlockId::pending());
        match call.estimate_gas().await {
            Ok(gas) => Verdict::Go(Box::new(
                call.gas(gas.saturating_add(gas / 4))
                    .block(BlockId::latest())
                    .into_transaction_request(),
            )),
            Err(e) => verdict_of(&e),
        }
    }

    /// Builds the answer to an availability challenge and simulates it.
    async fn prepare_answer(&self, c: Candidate, weights: Weights) -> Verdict {
        let id = c.challenge_id;
        let ch = match self.reader.challenge(id).await {
            Ok(ch) => ch,
            Err(e) if e.is_user_error() => return Verdict::Reverts(e.to_string()),
            Err(e) => return Verdict::Rpc(e.to_string()),
        };
        if ch.status != ChallengeStatus::Open {
            return Verdict::NotNow;
        }
        let version = match self.reader.version(ch.version_id).await {
            Ok(v) => v,
            Err(e) if e.is_user_error() => return Verdict::Reverts(e.to_string()),
            Err(e) => return Verdict::Rpc(e.to_string()),
        };
        let indices = ch.chunk_indices.clone();
        let version_id = ch.version_id;
        let built = tokio::task::spawn_blocking(move || {
            curia_sdk::build_answer(
                &weights,
                version_id,
                version.content_root,
                version.num_chunks,
                &indices,
            )
        })
        .await;
        let (chunks, proofs) = match built {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => return Verdict::Reverts(e.to_string()),
            Err(e) => return Verdict::Reverts(format!("building the proofs: {e}")),
        };
        let call = self
            .challenges
            .respond(id, ch.chunk_indices, chunks, proofs)
            .from(self.from)
            .block(BlockId::pending());
        match call.estimate_gas().await {
            Ok(gas) => {
                info!(challenge = %id, version = %ch.version_id, "answering");
                Verdict::Go(Box::new(
                    call.gas(gas.saturating_add(gas / 4))
                        .block(BlockId::latest())
                        .into_transaction_request(),
                ))
            }
            Err(e) => verdict_of(&e),
        }
    }

    /// Sends one transaction with the next nonce; any failure makes the next send read the
    /// nonce from the node again (the transaction may or may not have reached it).
    async fn send(
        &self,
        mut tx: TransactionRequest,
        fees: Fees,
    ) -> std::result::Result<(B256, u64), String> {
        let mut next = self.nonce.lock().await;
        let nonce = match *next {
            Some(n) => n,
            None => self
                .provider
                .get_transaction_count(self.from)
                .pending()
                .await
                .map_err(|e| format!("reading the nonce: {e}"))?,
        };
        tx.set_nonce(nonce);
        tx.set_max_fee_per_gas(fees.max_fee_per_gas);
        tx.set_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        match self.provider.send_transaction(tx).await {
            Ok(pending) => {
                *next = Some(nonce + 1);
                Ok((*pending.tx_hash(), nonce))
            }
            Err(e) => {
                *next = None;
                Err(e.to_string())
            }
        }
    }

    /// This round's fees (alloy's EIP-1559 estimate), or `None` when the current fee is above
    /// the cap.
    async fn fees(&self, base_fee: Option<u64>) -> Result<Option<Fees>> {
        let est = self
            .provider
            .estimate_eip1559_fees()
            .await
            .map_err(|e| KeeperError::rpc("estimating fees", e))?;
        let mut fees = Fees {
            max_fee_per_gas: est.max_fee_per_gas,
            max_priority_fee_per_gas: est.max_priority_fee_per_gas,
        };
        if let Some(cap) = self.cfg.max_fee_per_gas {
            let current = u128::from(base_fee.unwrap_or_default())
                .saturating_add(est.max_priority_fee_per_gas);
            if current > cap {
                warn!(
                    current_gwei = current as f64 / 1e9,
                    cap_gwei = cap as f64 / 1e9,
                    "the fee is above --max-fee-gwei: sending nothing this round"
                );
                return Ok(None);
            }
            fees.max_fee_per_gas = fees.max_fee_per_gas.min(cap);
            fees.max_priority_fee_per_gas = fees.max_priority_fee_per_gas.min(cap);
        }
        Ok(Some(fees))
    }

    /// After a start or a failed send: true once the signer has no transaction pending in the
    /// node (so that nothing sent before is sent again), or after `quiesce_timeout`.
    async fn ready_to_send(&self, st: &mut State) -> Result<bool> {
        let Some(since) = st.quiesce else {
            return Ok(true);
        };
        let latest = self
            .provider
            .get_transaction_count(self.from)
            .latest()
            .await
            .map_err(|e| KeeperError::rpc("reading the nonce", e))?;
        let pending = self
            .provider
            .get_transaction_count(self.from)
            .pending()
            .await
            .map_err(|e| KeeperError::rpc("reading the pending nonce", e))?;
        if pending > latest && since.elapsed() < self.cfg.quiesce_timeout {
            info!(
                pending = pending - latest,
                "waiting for this signer's pending transactions to be mined before sending"
            );
            return Ok(false);
        }
        if pending > latest {
            warn!(
                pending = pending - latest,
                "transactions of this signer are still pending; sending anyway"
            );
        }
        st.quiesce = None;
        *self.nonce.lock().await = None;
        Ok(true)
    }

    /// Reads the receipts of the blocks mined since the last round and resolves the
    /// transactions in flight; looks up the ones pending for too long on their own.
    async fn reconcile(&self, st: &mut State, head: u64) -> Result<()> {
        if st.inflight.is_empty() {
            st.receipts_from = head + 1;
            return Ok(());
        }
        let by_hash: HashMap<B256, U256> =
            st.inflight.iter().map(|(id, f)| (f.hash, *id)).collect();
        while st.receipts_from <= head {
            let b = st.receipts_from;
            let receipts = self
                .provider
                .get_block_receipts(BlockId::number(b))
                .await
                .map_err(|e| KeeperError::rpc(&format!("reading the receipts of block {b}"), e))?
                .unwrap_or_default();
            for r in receipts {
                if let Some(id) = by_hash.get(&r.transaction_hash) {
                    if let Some(f) = st.inflight.remove(id) {
                        self.resolve(st, *id, f, r.status()).await;
                    }
                }
            }
            st.receipts_from = b + 1;
        }
        let stale: Vec<U256> = st
            .inflight
            .iter()
            .filter(|(_, f)| f.sent_at.elapsed() > self.cfg.tx_timeout)
            .map(|(id, _)| *id)
            .collect();
        if stale.is_empty() {
            return Ok(());
        }
        let latest_nonce = self
            .provider
            .get_transaction_count(self.from)
            .latest()
            .await
            .map_err(|e| KeeperError::rpc("reading the nonce", e))?;
        for id in stale {
            let Some(hash) = st.inflight.get(&id).map(|f| f.hash) else {
                continue;
            };
            let receipt = self
                .provider
                .get_transaction_receipt(hash)
                .await
                .map_err(|e| KeeperError::rpc("reading a receipt", e))?;
            match receipt {
                Some(r) => {
                    if let Some(f) = st.inflight.remove(&id) {
                        self.resolve(st, id, f, r.status()).await;
                    }
                }
                None => {
                    let Some(f) = st.inflight.get_mut(&id) else {
                        continue;
                    };
                    if latest_nonce > f.nonce {
                        warn!(challenge = %id, %hash, "transaction dropped (its nonce was used); will retry");
                        st.inflight.remove(&id);
                    } else if !f.warned {
                        f.warned = true;
                        warn!(challenge = %id, %hash, "transaction still pending");
                    }
                }
            }
        }
        Ok(())
    }

    async fn resolve(&self, st: &mut State, id: U256, f: Inflight, success: bool) {
        match (f.action, success) {
            (Action::Settle, true) => {
                info!(challenge = %id, hash = %f.hash, "settled");
                self.metrics.settled();
                st.settled_seen.insert(id);
            }
            (Action::Respond, true) => {
                info!(challenge = %id, hash = %f.hash, "answered");
                self.metrics.responded();
            }
            (action, false) => {
                let status = self
                    .challenges
                    .getChallenge(id)
                    .call()
                    .await
                    .map(|c| ChallengeStatus::from_u8(c.status));
                let taken = match (action, status) {
                    (Action::Settle, Ok(s)) => is_settled(s),
                    (Action::Respond, Ok(s)) => s != ChallengeStatus::Open,
                    (_, Err(_)) => false,
                };
                if taken {
                    info!(challenge = %id, hash = %f.hash, ?action, "mined but reverted: another keeper was first");
                    if action == Action::Settle {
                        self.metrics.lost_race();
                        st.settled_seen.insert(id);
                    }
                } else {
                    warn!(challenge = %id, hash = %f.hash, ?action, "mined but reverted");
                    self.metrics.failed();
                }
            }
        }
    }
}

impl State {
    fn dry_run_first(&mut self, id: U256) -> bool {
        self.dry_logged.insert(id)
    }
}

fn is_settled(s: ChallengeStatus) -> bool {
    matches!(
        s,
        ChallengeStatus::Upheld | ChallengeStatus::Failed | ChallengeStatus::Dismissed
    )
}

/// Classifies a failed simulation by its decoded revert.
fn verdict_of(e: &alloy::contract::Error) -> Verdict {
    use CuriaChallenges::CuriaChallengesErrors as E;
    if let Some(err) = e.as_decoded_interface_error::<E>() {
        return match err {
            E::NotYetSettleable(_) | E::DeadlinePassed(_) => Verdict::NotNow,
            E::WrongChallengeStatus(w) => {
                let s = ChallengeStatus::from_u8(w.status);
                if is_settled(s) || s == ChallengeStatus::Answered {
                    Verdict::Taken
                } else {
                    Verdict::NotNow
                }
            }
            other => Verdict::Reverts(format!("{other:?}")),
        };
    }
    if let Some(data) = e.as_revert_data() {
        return Verdict::Reverts(format!("revert data {data}"));
    }
    Verdict::Rpc(e.to_string())
}
