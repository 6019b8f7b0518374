//! [`Client`]: a typed client of a Curia deployment.
//!
//! Every transaction is checked before it is sent: the token balance (a
//! [`CuriaError::InsufficientBalance`] naming the amounts), then a simulation (`eth_call`) whose
//! revert is decoded into a [`CuriaError`]; tokens are approved for the exact amount needed and
//! only when the allowance is short.
//!
//! ```no_run
//! # async fn run() -> curia_sdk::Result<()> {
//! use curia_sdk::{Client, Deployment, PublishOptions};
//! let client = Client::builder("http://127.0.0.1:8545")
//!     .private_key("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
//!     .deployment_file("deployments/local.json")
//!     .connect()
//!     .await?;
//! let model = client.create_model("llama-7b", "").await?;
//! let published = client
//!     .publish(
//!         "models/llama-7b",
//!         &PublishOptions {
//!             model_id: model.model_id,
//!             locations: vec!["hf://meta/llama@abc".into()],
//!             ..Default::default()
//!         },
//!     )
//!     .await?;
//! println!("published {}", published.version_id);
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use alloy::contract::SolCallBuilder;
use alloy::eips::BlockId;
use alloy::network::EthereumWallet;
use alloy::primitives::{keccak256, Address, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::client::RpcClient;
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{SolCall, SolEvent, SolValue};
use alloy::transports::http::reqwest::Url;
use alloy::transports::{RpcError, TransportErrorKind};
use tracing::{debug, info, warn};

use crate::amount::TokenInfo;
use crate::bindings::{
    CuriaChallenges, CuriaConfig, CuriaCuration, CuriaRegistry, ICuriaRegistry, TestToken,
};
use crate::deployment::{Deployment, Terms};
use crate::error::{decode_revert, is_insufficient_funds, CuriaError, Shortfall, Target};
use crate::logs::{logs_in, newest_log, DEFAULT_LOG_RANGE};
use crate::mr1::{self, Commitment, FileSet, Outboard};
use crate::types::*;
use crate::Result;

/// A progress callback: called with the number of bytes just processed.
pub type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// Where the signing key comes from.
#[derive(Clone)]
pub enum SignerSource {
    /// A hex private key (with or without `0x`).
    PrivateKey(String),
    /// An encrypted JSON keystore file (Web3 Secret Storage, as written by `cast wallet
    /// import` or geth) and its password.
    Keystore {
        /// The keystore file.
        path: PathBuf,
        /// Its password.
        password: String,
    },
    /// A signer built in code.
    Signer(PrivateKeySigner),
}

impl std::fmt::Debug for SignerSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignerSource::PrivateKey(_) => f.write_str("PrivateKey(<redacted>)"),
            SignerSource::Keystore { path, .. } => f
                .debug_struct("Keystore")
                .field("path", path)
                .finish_non_exhaustive(),
            SignerSource::Signer(s) => f.debug_tuple("Signer").field(&s.address()).finish(),
        }
    }
}

impl SignerSource {
    /// Builds the signer: parses the key or decrypts the keystore.
    pub fn into_signer(self) -> Result<PrivateKeySigner> {
        match self {
            SignerSource::PrivateKey(key) => {
                let key = key.trim();
                key.parse::<PrivateKeySigner>()
                    .map_err(|e| CuriaError::InvalidPrivateKey {
                        reason: e.to_string(),
                    })
            }
            SignerSource::Keystore { path, password } => {
                if !path.is_file() {
                    return Err(CuriaError::Keystore {
                        path,
                        reason: "no such file: pass the path of an encrypted JSON keystore".into(),
                    });
                }
                PrivateKeySigner::decrypt_keystore(&path, password.as_bytes()).map_err(|e| {
                    let text = e.to_string();
                    let reason = if text.to_ascii_lowercase().contains("mac") {
                        "wrong password (the keystore's MAC does not match): check --password or CURIA_KEYSTORE_PASSWORD".to_string()
                    } else {
                        format!("{text} (is it an encrypted JSON keystore?)")
                    };
                    CuriaError::Keystore { path, reason }
                })
            }
            SignerSource::Signer(s) => Ok(s),
        }
    }
}

/// Builds a [`Client`]: `Client::builder(url).private_key(..).deployment_file(..).connect()`.
#[derive(Debug)]
pub struct ClientBuilder {
    rpc_url: String,
    signer: Option<SignerSource>,
    deployment: Option<Deployment>,
    deployment_path: Option<PathBuf>,
    block_timeout: Duration,
    poll_interval: Option<Duration>,
    log_range: u64,
}

impl ClientBuilder {
    /// Signs with a hex private key.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.signer = Some(SignerSource::PrivateKey(key.into()));
        self
    }

    /// Signs with an encrypted JSON keystore.
    pub fn keystore(mut self, path: impl Into<PathBuf>, password: impl Into<String>) -> Self {
        self.signer = Some(SignerSource::Keystore {
            path: path.into(),
            password: password.into(),
        });
        self
    }

    /// Signs with a signer built in code.
    pub fn signer(mut self, signer: PrivateKeySigner) -> Self {
        self.signer = Some(SignerSource::Signer(signer));
        self
    }

    /// Signs with whatever `source` gives (`None`: read-only).
    pub fn signer_source(mut self, source: Option<SignerSource>) -> Self {
        self.signer = source;
        self
    }

    /// Uses this deployment.
    pub fn deployment(mut self, deployment: Deployment) -> Self {
        self.deployment = Some(deployment);
        self.deployment_path = None;
        self
    }

    /// Reads the deployment from this file on [`ClientBuilder::connect`].
    pub fn deployment_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.deployment = None;
        self.deployment_path = Some(path.into());
        self
    }

    /// How long to wait for a block after a challenge's commit (default 120 s).
    pub fn block_timeout(mut self, timeout: Duration) -> Self {
        self.block_timeout = timeout;
        self
    }

    /// The most blocks asked of `eth_getLogs` at once when the client scans history (default
    /// [`DEFAULT_LOG_RANGE`]; providers cap it); a range the node refuses is halved.
    pub fn log_range(mut self, blocks: u64) -> Self {
        self.log_range = blocks.max(1);
        self
    }

    /// How often to poll for receipts (default: alloy's, 250 ms for a local node).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = Some(interval);
        self
    }

    /// Connects: reads the deployment, builds the signer, checks that the node's chain id is
    /// the deployment's and that its contracts have code, and reads the token's symbol and
    /// decimals.
    pub async fn connect(self) -> Result<Client> {
        let url: Url =
            self.rpc_url
                .trim()
                .parse()
                .map_err(
                    |e: <Url as std::str::FromStr>::Err| CuriaError::InvalidRpcUrl {
                        url: self.rpc_url.clone(),
                        reason: e.to_string(),
                    },
                )?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CuriaError::InvalidRpcUrl {
                url: self.rpc_url,
                reason: "only http:// and https:// are supported".into(),
            });
        }
        let (deployment, label) = match (self.deployment, self.deployment_path) {
            (Some(d), _) => (d, "given".to_string()),
            (None, Some(p)) => (Deployment::load(&p)?, p.display().to_string()),
            (None, None) => {
                return Err(CuriaError::InvalidInput(
                    "no deployment: pass --deployment FILE (or CURIA_DEPLOYMENT)".into(),
                ))
            }
        };
        let signer = self.signer.map(SignerSource::into_signer).transpose()?;
        let address = signer.as_ref().map(|s| s.address());

        let rpc = RpcClient::new_http(url.clone());
        if let Some(interval) = self.poll_interval {
            rpc.set_poll_interval(interval);
        }
        let provider = match signer {
            Some(s) => ProviderBuilder::new()
                .wallet(EthereumWallet::from(s))
                .connect_client(rpc)
                .erased(),
            None => ProviderBuilder::new().connect_client(rpc).erased(),
        };
        let url_text = self.rpc_url.clone();
        let unreachable = |e: RpcError<TransportErrorKind>| match e {
            RpcError::Transport(t) => CuriaError::Unreachable {
                url: url_text.clone(),
                reason: t.to_string(),
            },
            other => CuriaError::chain("reading the chain id", other),
        };
        let chain_id = provider.get_chain_id().await.map_err(unreachable)?;
        if chain_id != deployment.chain_id {
            return Err(CuriaError::WrongChain {
                deployment: label,
                expected: deployment.chain_id,
                actual: chain_id,
                url: self.rpc_url,
            });
        }
        for (contract, addr) in [
            ("token", deployment.token),
            ("CuriaConfig", deployment.config),
            ("CuriaRegistry", deployment.registry),
            ("CuriaCuration", deployment.curation),
            ("CuriaChallenges", deployment.challenges),
        ] {
            let code = provider.get_code_at(addr).await.map_err(unreachable)?;
            if code.is_empty() {
                return Err(CuriaError::NotDeployed {
                    deployment: label,
                    contract,
                    address: addr,
                    chain_id,
                });
            }
        }
        let token_c = TestToken::new(deployment.token, provider.clone());
        let symbol = token_c
            .symbol()
            .call()
            .await
            .map_err(|e| CuriaError::chain("reading the token's symbol", e))?;
        let decimals = token_c
            .decimals()
            .call()
            .await
            .map_err(|e| CuriaError::chain("reading the token's decimals", e))?;
        let token = TokenInfo {
            address: deployment.token,
            symbol,
            decimals,
        };
        debug!(%chain_id, ?address, ?token, "connected");
        Ok(Client {
            registry: CuriaRegistry::new(deployment.registry, provider.clone()),
            curation: CuriaCuration::new(deployment.curation, provider.clone()),
            challenges: CuriaChallenges::new(deployment.challenges, provider.clone()),
            config: CuriaConfig::new(deployment.config, provider.clone()),
            token_contract: token_c,
            provider,
            deployment,
            rpc_url: self.rpc_url,
            address,
            token,
            block_timeout: self.block_timeout,
            log_range: self.log_range,
        })
    }
}

/// A connected client of one Curia deployment, with an optional signer (without one, only the
/// reads work; a write returns [`CuriaError::NoSigner`]).
#[derive(Clone, Debug)]
pub struct Client {
    provider: DynProvider,
    deployment: Deployment,
    rpc_url: String,
    address: Option<Address>,
    token: TokenInfo,
    block_timeout: Duration,
    log_range: u64,
    registry: CuriaRegistry::CuriaRegistryInstance<DynProvider>,
    curation: CuriaCuration::CuriaCurationInstance<DynProvider>,
    challenges: CuriaChallenges::CuriaChallengesInstance<DynProvider>,
    config: CuriaConfig::CuriaConfigInstance<DynProvider>,
    token_contract: TestToken::TestTokenInstance<DynProvider>,
}

/// Parses a 32-byte id (`0x` and 64 hex digits); `what` names it in the error.
pub fn parse_id(what: &'static str, input: &str) -> Result<B256> {
    let s = input.trim();
    let hex = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CuriaError::InvalidId {
            what,
            input: input.to_string(),
            expected: "0x followed by 64 hex digits",
        });
    }
    hex.parse::<B256>().map_err(|_| CuriaError::InvalidId {
        what,
        input: input.to_string(),
        expected: "0x followed by 64 hex digits",
    })
}

/// Parses a challenge id: a positive decimal number.
pub fn parse_challenge_id(input: &str) -> Result<U256> {
    let s = input.trim();
    let bad = || CuriaError::InvalidId {
        what: "challenge id",
        input: input.to_string(),
        expected: "a positive whole number, like 1",
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let id = U256::from_str_radix(s, 10).map_err(|_| bad())?;
    if id.is_zero() {
        return Err(bad());
    }
    Ok(id)
}

/// Parses an address (`0x` and 40 hex digits).
pub fn parse_address(input: &str) -> Result<Address> {
    let s = input.trim();
    let hex = s.strip_prefix("0x").unwrap_or(s);
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CuriaError::InvalidId {
            what: "address",
            input: input.to_string(),
            expected: "0x followed by 40 hex digits",
        });
    }
    hex.parse::<Address>().map_err(|_| CuriaError::InvalidId {
        what: "address",
        input: input.to_string(),
        expected: "0x followed by 40 hex digits",
    })
}

fn tx_info(r: &TransactionReceipt) -> TxInfo {
    TxInfo {
        hash: r.transaction_hash,
        block_number: r.block_number.unwrap_or_default(),
        gas_used: r.gas_used,
    }
}

/// The first event `E` emitted by `address` in the receipt.
fn event<E: SolEvent>(r: &TransactionReceipt, address: Address) -> Option<E> {
    r.inner
        .logs()
        .iter()
        .filter(|l| l.address() == address)
        .find_map(|l| E::decode_log_data(l.data()).ok())
}

fn missing_event(action: &str, name: &str) -> CuriaError {
    CuriaError::Chain(format!(
        "{action}: the transaction succeeded but emitted no {name} event"
    ))
}

impl Client {
    /// Starts building a client for the node at `rpc_url`.
    pub fn builder(rpc_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            rpc_url: rpc_url.into(),
            signer: None,
            deployment: None,
            deployment_path: None,
            block_timeout: Duration::from_secs(120),
            poll_interval: None,
            log_range: DEFAULT_LOG_RANGE,
        }
    }

    /// The signer's address, if any.
    pub fn address(&self) -> Option<Address> {
        self.address
    }

    /// The deployment.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The provider (with the signer's wallet, if any).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The bond token.
    pub fn token(&self) -> &TokenInfo {
        &self.token
    }

    /// The RPC URL.
    pub fn rpc_url(&self) -> &str {
        &self.rpc_url
    }

    fn signer(&self) -> Result<Address> {
        self.address.ok_or(CuriaError::NoSigner)
    }

    fn target_address(&self, target: Target) -> Address {
        match target {
            Target::Config => self.deployment.config,
            Target::Registry => self.deployment.registry,
            Target::Curation => self.deployment.curation,
            Target::Challenges => self.deployment.challenges,
            Target::Token => self.deployment.token,
        }
    }

    // ------------------------------------------------------------------ error mapping

    /// The chain's head block number.
    async fn head(&self, action: &str) -> Result<u64> {
        self.provider
            .get_block_number()
            .await
            .map_err(|e| self.rpc_error(action, e))
    }

    fn rpc_error(&self, action: &str, e: RpcError<TransportErrorKind>) -> CuriaError {
        if is_insufficient_funds(&e) {
            return CuriaError::InsufficientGas {
                account: self.address.unwrap_or_default(),
                action: action.to_string(),
            };
        }
        match e {
            RpcError::Transport(t) => CuriaError::Unreachable {
                url: self.rpc_url.clone(),
                reason: t.to_string(),
            },
            RpcError::ErrorResp(p) if p.message.contains("revert") => CuriaError::Reverted {
                action: action.to_string(),
                reason: p.message.to_string(),
            },
            other => CuriaError::chain(action, other),
        }
    }

    async fn contract_error(
        &self,
        action: &str,
        target: Target,
        e: alloy::contract::Error,
    ) -> CuriaError {
        if let Some(data) = e.as_revert_data() {
            let now = self.now().await.ok();
            return decode_revert(
                action,
                &data,
                target,
                &self.token,
                now,
                self.address.unwrap_or_default(),
            );
        }
        match e {
            alloy::contract::Error::TransportError(rpc) => self.rpc_error(action, rpc),
            alloy::contract::Error::ZeroData(..) => CuriaError::NotDeployed {
                deployment: "in use".into(),
                contract: match target {
                    Target::Config => "CuriaConfig",
                    Target::Registry => "CuriaRegistry",
                    Target::Curation => "CuriaCuration",
                    Target::Challenges => "CuriaChallenges",
                    Target::Token => "token",
                },
                address: self.target_address(target),
                chain_id: self.deployment.chain_id,
            },
            other => CuriaError::chain(action, other),
        }
    }

    /// Runs a read-only call and decodes its output.
    async fn read<C: SolCall>(
        &self,
        action: &str,
        target: Target,
        call: SolCallBuilder<&DynProvider, C>,
    ) -> Result<C::Return> {
        match call.call().await {
            Ok(v) => Ok(v),
            Err(e) => Err(self.contract_error(action, target, e).await),
        }
    }

    /// The latest block's timestamp (the chain's clock).
    pub async fn now(&self) -> Result<u64> {
        let block = self
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await
            .map_err(|e| self.rpc_error("reading the latest block", e))?
            .ok_or_else(|| CuriaError::Chain("the node returned no latest block".into()))?;
        Ok(block.header.timestamp)
    }

    // ------------------------------------------------------------------ sending

    /// Simulates `call` from the signer and decodes a revert.
    async fn simulate<C: SolCall>(
        &self,
        action: &str,
        target: Target,
        call: &SolCallBuilder<&DynProvider, C>,
    ) -> Result<()> {
        debug!(action, "simulating");
        match call.call_raw().await {
            Ok(_) => Ok(()),
            Err(e) => Err(self.contract_error(action, target, e).await),
        }
    }

    /// Simulates, sends and waits for the receipt of `call`.
    async fn send<C: SolCall>(
        &self,
        action: &str,
        target: Target,
        call: SolCallBuilder<&DynProvider, C>,
    ) -> Result<TransactionReceipt> {
        let call = call.from(self.signer()?);
        self.simulate(action, target, &call).await?;
        self.send_unchecked(action, target, call).await
    }

    async fn send_unchecked<C: SolCall>(
        &self,
        action: &str,
        target: Target,
        call: SolCallBuilder<&DynProvider, C>,
    ) -> Result<TransactionReceipt> {
        let pending = match call.send().await {
            Ok(p) => p,
            Err(e) => return Err(self.contract_error(action, target, e).await),
        };
        let hash = *pending.tx_hash();
        info!(action, %hash, "sent");
        let receipt = pending.get_receipt().await.map_err(|e| {
            CuriaError::chain(&format!("{action}: waiting for transaction {hash}"), e)
        })?;
        if !receipt.status() {
            return Err(CuriaError::TransactionFailed {
                action: action.to_string(),
                tx_hash: hash,
            });
        }
        debug!(action, %hash, block = ?receipt.block_number, gas = receipt.gas_used, "mined");
        Ok(receipt)
    }

    /// Checks the balance for `amount`, approves `spender` for exactly `amount` if the
    /// allowance is short, then simulates and sends `call`. The call is simulated before the
    /// approval too, so that a revert for another reason sends nothing.
    async fn send_paying<C: SolCall>(
        &self,
        action: &str,
        target: Target,
        call: SolCallBuilder<&DynProvider, C>,
        amount: U256,
        purpose: &str,
    ) -> Result<(Option<TxInfo>, TransactionReceipt)> {
        let from = self.signer()?;
        let spender = self.target_address(target);
        self.check_balance(from, amount, purpose).await?;
        let allowance = self.allowance(from, spender).await?;
        let short = allowance < amount;
        let call = call.from(from);
        if let Err(err) = self.simulate(action, target, &call).await {
            let for_allowance = matches!(err, CuriaError::InsufficientAllowance { .. })
                || matches!(&err, CuriaError::Reverted { reason, .. } if reason.contains("SafeERC20FailedOperation"));
            if !(short && for_allowance) {
                return Err(err);
            }
        }
        let approval = if short {
            Some(self.approve(spender, amount).await?)
        } else {
            None
        };
        let receipt = self.send(action, target, call).await?;
        Ok((approval, receipt))
    }

    async fn check_balance(&self, account: Address, amount: U256, purpose: &str) -> Result<()> {
        let balance = self.balance(account).await?;
        if balance < amount {
            return Err(CuriaError::InsufficientBalance(Box::new(Shortfall {
                account,
                purpose: purpose.to_string(),
                needed: self.token.amount(amount),
                balance: self.token.amount(balance),
            })));
        }
        Ok(())
    }

    /// Approves `spender` to take exactly `amount` of the signer's tokens.
    pub async fn approve(&self, spender: Address, amount: U256) -> Result<TxInfo> {
        info!(%spender, amount = %self.token.format(amount), "approving");
        let r = self
            .send(
                "approving the token",
                Target::Token,
                self.token_contract.approve(spender, amount),
            )
            .await?;
        Ok(tx_info(&r))
    }

    // ------------------------------------------------------------------ models and versions

    /// The model id `creator` gets for `name`: `keccak256(abi.encode(creator, name))`.
    pub fn model_id_of(creator: Address, name: &str) -> B256 {
        keccak256((creator, name.to_string()).abi_encode_params())
    }

    /// Creates a model owned by the signer.
    pub async fn create_model(&self, name: &str, metadata_uri: &str) -> Result<ModelCreated> {
        let from = self.signer()?;
        if name.is_empty() || name.len() > 128 {
            return Err(CuriaError::InvalidModelName);
        }
        let model_id = Self::model_id_of(from, name);
        let existing = self.model(model_id).await?;
        if existing.owner != Address::ZERO {
            return Err(CuriaError::ModelExists { model_id });
        }
        let action = "creating the model";
        let r = self
            .send(
                action,
                Target::Registry,
                self.registry
                    .createModel(name.to_string(), metadata_uri.to_string()),
            )
            .await?;
        let ev = event::<CuriaRegistry::ModelCreated>(&r, self.deployment.registry)
            .ok_or_else(|| missing_event(action, "ModelCreated"))?;
        Ok(ModelCreated {
            model_id: ev.modelId,
            tx: tx_info(&r),
        })
    }

    /// Computes the MR1 commitment of `path` (a directory or one file) and publishes it: see
    /// [`Client::publish_commitment`]. Checks first that the signer owns the model.
    pub async fn publish(
        &self,
        path: impl AsRef<Path>,
        options: &PublishOptions,
    ) -> Result<Published> {
        self.publish_with_progress(path, options, None).await
    }

    /// [`Client::publish`], calling `progress` with the number of bytes hashed as the weights
    /// are hashed (for progress bars).
    pub async fn publish_with_progress(
        &self,
        path: impl AsRef<Path>,
        options: &PublishOptions,
        progress: Option<Progress>,
    ) -> Result<Published> {
        let from = self.signer()?;
        let model = self.model(options.model_id).await?;
        if model.owner == Address::ZERO {
            return Err(CuriaError::UnknownModel {
                model_id: options.model_id,
            });
        }
        if model.owner != from {
            return Err(CuriaError::NotModelOwner {
                model_id: options.model_id,
                caller: from,
            });
        }
        let path = path.as_ref().to_path_buf();
        info!(path = %path.display(), "hashing the weights");
        let commitment = tokio::task::spawn_blocking(move || {
            let files = FileSet::scan(&path)?;
            let inc = |n: u64| {
                if let Some(p) = &progress {
                    p(n)
                }
            };
            files.commit_with(&mr1::CommitOptions {
                outboard: None,
                progress: Some(&inc),
            })
        })
        .await
        .map_err(|e| CuriaError::Chain(format!("hashing the weights: {e}")))??;
        self.publish_commitment(&commitment, options).await
    }

    /// Publishes a version with this commitment. Refuses before sending anything if the version
    /// id is already registered ([`CuriaError::VersionExists`]), if the locations are invalid,
    /// or if the balance is short of the bond (by default the minimum of the terms in force).
    pub async fn publish_commitment(
        &self,
        c: &Commitment,
        options: &PublishOptions,
    ) -> Result<Published> {
        let from = self.signer()?;
        let existing = self.version_raw(c.version_id).await?;
        if existing.publisher != Address::ZERO {
            return Err(CuriaError::VersionExists {
                version_id: c.version_id,
            });
        }
        if options.locations.is_empty()
            || options.locations.len() > 16
            || options
                .locations
                .iter()
                .any(|l| l.is_empty() || l.len() > 512)
        {
            return Err(CuriaError::InvalidLocations);
        }
        let bond = match options.bond {
            Some(b) => b,
            None => self.terms().await?.min_publisher_bond,
        };
        let params = ICuriaRegistry::PublishParams {
            modelId: options.model_id,
            contentRoot: c.content_root,
            manifestDigest: c.manifest_digest,
            numChunks: c.num_chunks,
            totalBytes: c.total_bytes,
            locations: options.locations.clone(),
            parent: options.parent.unwrap_or_default(),
            metadataURI: options.metadata_uri.clone(),
            bond,
        };
        let action = "publishing";
        info!(version = %c.version_id, %from, bond = %self.token.format(bond), "publishing");
        let (approval, r) = self
            .send_paying(
                action,
                Target::Registry,
                self.registry.publish(params),
                bond,
                "the publisher bond",
            )
            .await?;
        let ev = event::<CuriaRegistry::VersionPublished>(&r, self.deployment.registry)
            .ok_or_else(|| missing_event(action, "VersionPublished"))?;
        Ok(Published {
            version_id: ev.versionId,
            commitment: *c,
            bond,
            approval,
            tx: tx_info(&r),
        })
    }

    // ------------------------------------------------------------------ curation

    /// Stakes `amount` tokens (tax included) on an Active version. `min_shares` defaults to the
    /// shares the terms in force mint (a guard against a tax change before inclusion).
    pub async fn signal(
        &self,
        version_id: B256,
        amount: U256,
        min_shares: Option<U256>,
    ) -> Result<Signalled> {
        self.signer()?;
        if amount.is_zero() {
            return Err(CuriaError::ZeroAmount);
        }
        let min_shares = match min_shares {
            Some(m) => m,
            None => {
                let tax_bps = U256::from(self.terms().await?.curation_tax_bps);
                let tax = (amount * tax_bps).div_ceil(U256::from(10_000));
                amount.saturating_sub(tax)
            }
        };
        let action = "signalling";
        let (approval, r) = self
            .send_paying(
                action,
                Target::Curation,
                self.curation.signal(version_id, amount, min_shares),
                amount,
                "the signal",
            )
            .await?;
        let ev = event::<CuriaCuration::Signalled>(&r, self.deployment.curation)
            .ok_or_else(|| missing_event(action, "Signalled"))?;
        Ok(Signalled {
            version_id,
            amount: ev.tokens,
            tax: ev.tax,
            shares: ev.shares,
            approval,
            tx: tx_info(&r),
        })
    }

    /// Moves `shares` of the signer's position into thawing.
    pub async fn unsignal(&self, version_id: B256, shares: U256) -> Result<Unsignalled> {
        self.signer()?;
        let action = "unsignalling";
        let r = self
            .send(
                action,
                Target::Curation,
                self.curation.unsignal(version_id, shares),
            )
            .await?;
        let ev = event::<CuriaCuration::Unsignalled>(&r, self.deployment.curation)
            .ok_or_else(|| missing_event(action, "Unsignalled"))?;
        Ok(Unsignalled {
            version_id,
            shares: ev.shares,
            thawing: ev.thawing,
            thaw_end: ev.thawEnd.to::<u64>(),
            tx: tx_info(&r),
        })
    }

    /// Withdraws the signer's thawed stake.
    pub async fn withdraw(&self, version_id: B256) -> Result<Withdrawn> {
        self.signer()?;
        let action = "withdrawing";
        let r = self
            .send(action, Target::Curation, self.curation.withdraw(version_id))
            .await?;
        let ev = event::<CuriaCuration::Withdrawn>(&r, self.deployment.curation)
            .ok_or_else(|| missing_event(action, "Withdrawn"))?;
        Ok(Withdrawn {
            version_id,
            nominal: ev.nominal,
            amount: ev.amount,
            tx: tx_info(&r),
        })
    }

    /// Pays `amount` tokens into a version's rewards.
    pub async fn reward(&self, version_id: B256, amount: U256) -> Result<Rewarded> {
        self.signer()?;
        if amount.is_zero() {
            return Err(CuriaError::ZeroAmount);
        }
        let action = "rewarding";
        let (approval, r) = self
            .send_paying(
                action,
                Target::Curation,
                self.curation.reward(version_id, amount),
                amount,
                "the reward",
            )
            .await?;
        let ev = event::<CuriaCuration::Rewarded>(&r, self.deployment.curation)
            .ok_or_else(|| missing_event(action, "Rewarded"))?;
        Ok(Rewarded {
            version_id,
            amount: ev.amount,
            publisher_share: ev.publisherShare,
            curator_share: ev.curatorShare,
            approval,
            tx: tx_info(&r),
        })
    }

    /// The versions `account` ever signalled (from `Signalled` events since the deployment block).
    pub async fn signalled_versions(&self, account: Address) -> Result<Vec<B256>> {
        let filter = Filter::new()
            .address(self.deployment.curation)
            .event_signature(CuriaCuration::Signalled::SIGNATURE_HASH)
            .topic2(account.into_word());
        let action = "reading Signalled events";
        let head = self.head(action).await?;
        let from = self.deployment.deployment_block;
        let logs = logs_in(&self.provider, &filter, from, head, self.log_range)
            .await
            .map_err(|e| self.rpc_error(action, e))?;
        let mut versions: Vec<B256> = logs
            .iter()
            .filter_map(|l| l.topics().get(1).copied())
            .collect();
        versions.sort();
        versions.dedup();
        Ok(versions)
    }

    /// Claims everything due to the signer: CuriaCuration's claimable balance with the rewards
    /// accrued in `versions` (when empty: every version the signer signalled), and
    /// CuriaChallenges' payouts when there are any. [`CuriaError::NothingToClaim`] if nothing is
    /// due.
    pub async fn claim(&self, versions: &[B256]) -> Result<Claimed> {
        let account = self.signer()?;
        let candidates = if versions.is_empty() {
            self.signalled_versions(account).await?
        } else {
            versions.to_vec()
        };
        let mut with_rewards = Vec::new();
        for v in &candidates {
            if !self.pending_rewards(*v, account).await?.is_zero() {
                with_rewards.push(*v);
            }
        }
        let c = self.claimables(account, &with_rewards).await?;
        if c.total().is_zero() {
            return Err(CuriaError::NothingToClaim { account });
        }
        let mut out = Claimed {
            account,
            versions: with_rewards.clone(),
            ..Default::default()
        };
        if !(c.curation + c.pending_rewards).is_zero() {
            let action = "claiming curation rewards";
            let r = self
                .send(action, Target::Curation, self.curation.claim(with_rewards))
                .await?;
            let ev = event::<CuriaCuration::Claimed>(&r, self.deployment.curation)
                .ok_or_else(|| missing_event(action, "Claimed"))?;
            out.curation = ev.amount;
            out.txs.push(tx_info(&r));
        }
        if !c.challenges.is_zero() {
            let action = "claiming challenge payouts";
            let r = self
                .send(action, Target::Challenges, self.challenges.claim())
                .await?;
            let ev = event::<CuriaChallenges::Claimed>(&r, self.deployment.challenges)
                .ok_or_else(|| missing_event(action, "Claimed"))?;
            out.challenges = ev.amount;
            out.txs.push(tx_info(&r));
        }
        Ok(out)
    }

    // ------------------------------------------------------------------ challenges

    /// Opens an availability challenge naming `chunk_indices` (1 to `maxChallengeChunks`,
    /// strictly increasing, each below the version's chunk count): commits, waits for a later
    /// block, then reveals with `maxBond` = the required bond, approving it if needed.
    pub async fn challenge_availability(
        &self,
        version_id: B256,
        chunk_indices: &[u32],
    ) -> Result<ChallengeOpened> {
        let from = self.signer()?;
        let version = self.version(version_id).await?;
        self.check_challengeable(&version)?;
        let terms = self.terms().await?;
        check_indices(
            chunk_indices,
            version.num_chunks,
            terms.max_challenge_chunks,
        )?;
        let salt = B256::random();
        let commitment = self
            .read(
                "computing the commitment",
                Target::Challenges,
                self.challenges.availabilityCommitment(
                    from,
                    version_id,
                    chunk_indices.to_vec(),
                    salt,
                ),
            )
            .await?;
        let reveal = |max_bond: U256| {
            self.challenges
                .revealAvailability(version_id, chunk_indices.to_vec(), salt, max_bond)
        };
        self.open_challenge(version_id, commitment, reveal, ChallengeKind::Availability)
            .await
    }

    /// Opens a dispute with `evidence_uri` (1 to 2048 bytes), ruled by the arbitrator: commits,
    /// waits for a later block, then reveals with `maxBond` = the required bond.
    pub async fn challenge_dispute(
        &self,
        version_id: B256,
        evidence_uri: &str,
    ) -> Result<ChallengeOpened> {
        let from = self.signer()?;
        if evidence_uri.is_empty() || evidence_uri.len() > 2048 {
            return Err(CuriaError::InvalidEvidence);
        }
        let version = self.version(version_id).await?;
        self.check_challengeable(&version)?;
        let salt = B256::random();
        let commitment = self
            .read(
                "computing the commitment",
                Target::Challenges,
                self.challenges
                    .disputeCommitment(from, version_id, evidence_uri.to_string(), salt),
            )
            .await?;
        let reveal = |max_bond: U256| {
            self.challenges
                .revealDispute(version_id, evidence_uri.to_string(), salt, max_bond)
        };
        self.open_challenge(version_id, commitment, reveal, ChallengeKind::Dispute)
            .await
    }

    fn check_challengeable(&self, v: &VersionInfo) -> Result<()> {
        match v.status {
            VersionStatus::Active | VersionStatus::Retired => Ok(()),
            VersionStatus::None => Err(CuriaError::UnknownVersion {
                version_id: v.version_id,
            }),
            _ => Err(CuriaError::NotChallengeable {
                version_id: v.version_id,
            }),
        }
    }

    async fn open_challenge<'a, C, F>(
        &'a self,
        version_id: B256,
        commitment: B256,
        reveal: F,
        kind: ChallengeKind,
    ) -> Result<ChallengeOpened>
    where
        C: SolCall,
        F: Fn(U256) -> SolCallBuilder<&'a DynProvider, C>,
    {
        let from = self.signer()?;
        let bond = self.required_bond(version_id).await?;
        self.check_balance(from, bond, "the challenge bond").await?;
        let commit_tx = self
            .send(
                "committing the challenge",
                Target::Challenges,
                self.challenges.commit(commitment),
            )
            .await?;
        let commit_block = commit_tx.block_number.unwrap_or_default();
        info!(%commitment, block = commit_block, "committed");

        // The bond may have changed since (a signal in between): read it again.
        let bond = self.required_bond(version_id).await?;
        self.check_balance(from, bond, "the challenge bond").await?;
        let allowance = self.allowance(from, self.deployment.challenges).await?;
        let approval = if allowance < bond {
            Some(self.approve(self.deployment.challenges, bond).await?)
        } else {
            None
        };
        let block = self.wait_for_block_after(commit_block).await?;

        let action = "revealing the challenge";
        let call = reveal(bond).from(from).block(block);
        self.simulate(action, Target::Challenges, &call).await.inspect_err(|_| {
            warn!(%commitment, "the challenge was committed but not revealed; the commitment expires unused");
        })?;
        let r = self
            .send_unchecked(action, Target::Challenges, call.block(BlockId::latest()))
            .await?;
        let ev = event::<CuriaChallenges::ChallengeOpened>(&r, self.deployment.challenges)
            .ok_or_else(|| missing_event(action, "ChallengeOpened"))?;
        info!(challenge = %ev.challengeId, "challenge opened");
        Ok(ChallengeOpened {
            challenge_id: ev.challengeId,
            version_id,
            kind,
            bond: ev.bond,
            deadline: ev.deadline.to::<u64>(),
            chunk_indices: ev.chunkIndices,
            evidence_uri: ev.evidenceURI,
            commit_tx: tx_info(&commit_tx),
            approval,
            reveal_tx: tx_info(&r),
        })
    }

    /// Waits until a block after `block` is mined and returns the block to simulate the reveal
    /// on. On a node that mines on every transaction (anvil's automine), the reveal itself will be
    /// mined in a later block: nothing is sent to move the chain, and the reveal is simulated on
    /// the pending block.
    async fn wait_for_block_after(&self, block: u64) -> Result<BlockId> {
        let start = Instant::now();
        let mut automine: Option<bool> = None;
        loop {
            let latest = self
                .provider
                .get_block_number()
                .await
                .map_err(|e| self.rpc_error("reading the block number", e))?;
            if latest > block {
                return Ok(BlockId::latest());
            }
            if automine.is_none() {
                let am = self
                    .provider
                    .raw_request::<_, bool>("anvil_getAutomine".into(), ())
                    .await
                    .unwrap_or(false);
                automine = Some(am);
                if am {
                    debug!("automine: the reveal goes in the next block");
                    return Ok(BlockId::pending());
                }
            }
            if start.elapsed() >= self.block_timeout {
                return Err(CuriaError::ChainStalled {
                    block,
                    waited_secs: self.block_timeout.as_secs(),
                });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// The `ChallengeOpened` event of a challenge.
    async fn opened_event(&self, challenge_id: U256) -> Result<CuriaChallenges::ChallengeOpened> {
        let filter = Filter::new()
            .address(self.deployment.challenges)
            .event_signature(CuriaChallenges::ChallengeOpened::SIGNATURE_HASH)
            .topic1(B256::from(challenge_id));
        let action = "reading the ChallengeOpened event";
        let head = self.head(action).await?;
        let from = self.deployment.deployment_block;
        // An open challenge is recent: scan back from the head.
        newest_log(&self.provider, &filter, from, head, self.log_range)
            .await
            .map_err(|e| self.rpc_error(action, e))?
            .and_then(|l| CuriaChallenges::ChallengeOpened::decode_log_data(l.data()).ok())
            .ok_or(CuriaError::UnknownChallenge { challenge_id })
    }

    /// Answers an open availability challenge with the named chunks of the local weights and
    /// their proofs. Checks first that the weights are the version's (their content root, and
    /// every answered chunk against its proof): [`CuriaError::WeightsMismatch`] otherwise.
    pub async fn respond(&self, challenge_id: U256, weights: &Weights) -> Result<Responded> {
        self.signer()?;
        let ch = self.challenge(challenge_id).await?;
        if ch.kind != ChallengeKind::Availability {
            return Err(CuriaError::WrongKind { challenge_id });
        }
        if ch.status != ChallengeStatus::Open {
            return Err(CuriaError::WrongChallengeStatus {
                challenge_id,
                status: ch.status,
            });
        }
        if self.now().await? > ch.deadline {
            return Err(CuriaError::DeadlinePassed {
                deadline: ch.deadline,
            });
        }
        let version = self.version(ch.version_id).await?;
        let indices = ch.chunk_indices.clone();
        let weights = weights.clone();
        let vid = ch.version_id;
        let (chunks, proofs) = tokio::task::spawn_blocking(move || {
            build_answer(
                &weights,
                vid,
                version.content_root,
                version.num_chunks,
                &indices,
            )
        })
        .await
        .map_err(|e| CuriaError::Chain(format!("building the proofs: {e}")))??;
        let action = "responding to the challenge";
        let r = self
            .send(
                action,
                Target::Challenges,
                self.challenges
                    .respond(challenge_id, ch.chunk_indices.clone(), chunks, proofs),
            )
            .await?;
        Ok(Responded {
            challenge_id,
            version_id: ch.version_id,
            chunk_indices: ch.chunk_indices,
            tx: tx_info(&r),
        })
    }

    /// Settles a challenge (after its deadline, or once answered or ruled); the signer earns the
    /// keeper bounty.
    pub async fn settle(&self, challenge_id: U256) -> Result<Settled> {
        self.signer()?;
        let action = "settling the challenge";
        let r = self
            .send(
                action,
                Target::Challenges,
                self.challenges.settle(challenge_id),
            )
            .await?;
        let ev = event::<CuriaChallenges::ChallengeSettled>(&r, self.deployment.challenges)
            .ok_or_else(|| missing_event(action, "ChallengeSettled"))?;
        let a = ev.amounts;
        Ok(Settled {
            challenge_id,
            version_id: ev.versionId,
            outcome: ChallengeStatus::from_u8(ev.outcome),
            keeper_bounty: a.keeperBounty,
            challenger_payout: a.challengerPayout,
            responder_payout: a.responderPayout,
            curator_reward: a.curatorReward,
            publisher_slashed: a.publisherSlashed,
            curators_slashed: a.curatorsSlashed,
            burned: a.burned,
            tx: tx_info(&r),
        })
    }

    // ------------------------------------------------------------------ reads

    /// A model (owner zero if it does not exist).
    pub async fn model(&self, model_id: B256) -> Result<ModelInfo> {
        let m = self
            .read(
                "reading the model",
                Target::Registry,
                self.registry.getModel(model_id),
            )
            .await?;
        Ok(ModelInfo {
            model_id,
            owner: m.owner,
            pending_owner: m.pendingOwner,
        })
    }

    async fn version_raw(&self, version_id: B256) -> Result<ICuriaRegistry::Version> {
        self.read(
            "reading the version",
            Target::Registry,
            self.registry.getVersion(version_id),
        )
        .await
    }

    /// A registered version; [`CuriaError::UnknownVersion`] if there is none.
    pub async fn version(&self, version_id: B256) -> Result<VersionInfo> {
        let v = self.version_raw(version_id).await?;
        if v.publisher == Address::ZERO {
            return Err(CuriaError::UnknownVersion { version_id });
        }
        Ok(VersionInfo {
            version_id,
            model_id: v.modelId,
            content_root: v.contentRoot,
            publisher: v.publisher,
            status: VersionStatus::from_u8(v.status),
            terms_id: v.termsId,
            published_at: v.publishedAt.to::<u64>(),
            bond: U256::from(v.bond),
            num_chunks: v.numChunks,
            thaw_end: v.thawEnd.to::<u64>(),
        })
    }

    /// A version's curation pool.
    pub async fn pool(&self, version_id: B256) -> Result<PoolInfo> {
        let p = self
            .read(
                "reading the pool",
                Target::Curation,
                self.curation.getPool(version_id),
            )
            .await?;
        Ok(PoolInfo {
            shares: U256::from(p.shares),
            thawing: U256::from(p.thawing),
            tokens: U256::from(p.tokens),
            reward_reserve: U256::from(p.rewardReserve),
            acc_reward_per_share: p.accRewardPerShare,
            slash_numerator: U256::from(p.slashNumerator),
            slash_denominator: U256::from(p.slashDenominator),
        })
    }

    /// A curator's position, with its pending rewards and what its thawing stake pays out.
    pub async fn position(&self, version_id: B256, account: Address) -> Result<PositionInfo> {
        let p = self
            .read(
                "reading the position",
                Target::Curation,
                self.curation.getPosition(version_id, account),
            )
            .await?;
        let pending_rewards = self.pending_rewards(version_id, account).await?;
        let pool = self.pool(version_id).await?;
        let thawing = U256::from(p.thawing);
        let thawing_value = if pool.slash_denominator.is_zero() {
            thawing
        } else {
            thawing * pool.slash_numerator / pool.slash_denominator
        };
        Ok(PositionInfo {
            version_id,
            account,
            shares: U256::from(p.shares),
            thawing,
            thaw_end: p.thawEnd.to::<u64>(),
            pending_rewards,
            thawing_value,
        })
    }

    /// Rewards `account` accrued in a version and has not settled yet.
    pub async fn pending_rewards(&self, version_id: B256, account: Address) -> Result<U256> {
        self.read(
            "reading pending rewards",
            Target::Curation,
            self.curation.pendingRewards(version_id, account),
        )
        .await
    }

    /// What `account` can claim: both contracts' claimable balances and the rewards pending in
    /// `versions`.
    pub async fn claimables(&self, account: Address, versions: &[B256]) -> Result<Claimables> {
        let curation = self
            .read(
                "reading the claimable balance",
                Target::Curation,
                self.curation.claimable(account),
            )
            .await?;
        let challenges = self
            .read(
                "reading the claimable balance",
                Target::Challenges,
                self.challenges.claimable(account),
            )
            .await?;
        let mut pending = U256::ZERO;
        for v in versions {
            pending += self.pending_rewards(*v, account).await?;
        }
        Ok(Claimables {
            account,
            curation,
            pending_rewards: pending,
            challenges,
        })
    }

    /// A challenge with its chunk indices or evidence; [`CuriaError::UnknownChallenge`] if
    /// there is none.
    pub async fn challenge(&self, challenge_id: U256) -> Result<ChallengeInfo> {
        let c = self
            .read(
                "reading the challenge",
                Target::Challenges,
                self.challenges.getChallenge(challenge_id),
            )
            .await?;
        if c.challenger == Address::ZERO {
            return Err(CuriaError::UnknownChallenge { challenge_id });
        }
        let ev = self.opened_event(challenge_id).await?;
        let settleable = self
            .read(
                "reading the challenge",
                Target::Challenges,
                self.challenges.isSettleable(challenge_id),
            )
            .await?;
        Ok(ChallengeInfo {
            challenge_id,
            version_id: c.versionId,
            challenger: c.challenger,
            kind: ChallengeKind::from_u8(c.kind),
            status: ChallengeStatus::from_u8(c.status),
            terms_id: c.termsId,
            deadline: c.deadline.to::<u64>(),
            bond: U256::from(c.bond),
            pool_snapshot: U256::from(c.poolSnapshot),
            publisher_bond: ev.publisherBond,
            responder: c.responder,
            chunk_indices: ev.chunkIndices,
            evidence_uri: ev.evidenceURI,
            settleable,
        })
    }

    /// Number of challenges opened so far (ids run from 1).
    pub async fn challenge_count(&self) -> Result<U256> {
        self.read(
            "reading the challenge count",
            Target::Challenges,
            self.challenges.challengeCount(),
        )
        .await
    }

    /// The terms in force.
    pub async fn terms(&self) -> Result<Terms> {
        let t = self
            .read(
                "reading the terms",
                Target::Config,
                self.config.currentTerms(),
            )
            .await?;
        Ok(Terms::from_sol(&t))
    }

    /// Whether new entries are paused.
    pub async fn paused(&self) -> Result<bool> {
        self.read(
            "reading the pause switch",
            Target::Config,
            self.config.paused(),
        )
        .await
    }

    /// The bond a challenge against the version would lock now.
    pub async fn required_bond(&self, version_id: B256) -> Result<U256> {
        self.read(
            "reading the required bond",
            Target::Challenges,
            self.challenges.requiredBond(version_id),
        )
        .await
    }

    /// The token balance of `account`.
    pub async fn balance(&self, account: Address) -> Result<U256> {
        self.read(
            "reading the token balance",
            Target::Token,
            self.token_contract.balanceOf(account),
        )
        .await
    }

    /// The token allowance `owner` gave `spender`.
    pub async fn allowance(&self, owner: Address, spender: Address) -> Result<U256> {
        self.read(
            "reading the token allowance",
            Target::Token,
            self.token_contract.allowance(owner, spender),
        )
        .await
    }
}

/// Picks `n` distinct chunk indices of a version with `num_chunks` chunks at random (fewer if
/// the version has fewer chunks), in increasing order, as an availability challenge names them.
pub fn random_chunk_indices(num_chunks: u64, n: usize) -> Vec<u32> {
    let limit = num_chunks.min(u64::from(u32::MAX) + 1);
    let n = n.min(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < n {
        let r = U256::from_be_bytes(B256::random().0);
        let i = (r % U256::from(limit)).to::<u64>();
        picked.insert(i as u32);
    }
    picked.into_iter().collect()
}

/// Checks availability chunk indices before committing.
fn check_indices(indices: &[u32], num_chunks: u64, max: u8) -> Result<()> {
    let bad = |reason: String| Err(CuriaError::InvalidChunkIndices { reason });
    if indices.is_empty() {
        return bad("name at least one chunk (--chunks 0,5,9 or --random N)".into());
    }
    if indices.len() > usize::from(max) {
        return bad(format!(
            "{} indices given, at most {max} allowed",
            indices.len()
        ));
    }
    if indices.windows(2).any(|w| w[0] >= w[1]) {
        return bad("they must be strictly increasing, without repeats".into());
    }
    if let Some(i) = indices.iter().find(|i| u64::from(**i) >= num_chunks) {
        return bad(format!(
            "chunk {i} does not exist: the version has {num_chunks} chunk{} (0 to {})",
            if num_chunks == 1 { "" } else { "s" },
            num_chunks.saturating_sub(1)
        ));
    }
    Ok(())
}

/// The chunks and proofs that answer an availability challenge (the arguments of `respond`).
pub type Answer = (Vec<alloy::primitives::Bytes>, Vec<Vec<B256>>);

/// Reads the chunks `indices` of `weights` and builds their proofs, checking the weights against the
/// version (`content_root`, `num_chunks`): from the outboard file when there is one, else by hashing the
/// directory once. What [`Client::respond`] sends; public for callers that sign their own transactions.
pub fn build_answer(
    weights: &Weights,
    version_id: B256,
    content_root: B256,
    num_chunks: u64,
    indices: &[u32],
) -> Result<Answer> {
    let files = FileSet::scan(&weights.dir)?;
    let mismatch = |path: &Path, reason: String| CuriaError::WeightsMismatch {
        path: path.to_path_buf(),
        version_id,
        reason,
    };
    let _temp;
    let outboard = match &weights.outboard {
        Some(path) => {
            let ob = Outboard::open(path)?;
            if ob.content_root() != content_root {
                return Err(mismatch(
                    path,
                    format!(
                        "the outboard's contentRoot is {} but the version's is {content_root}",
                        ob.content_root()
                    ),
                ));
            }
            if files.num_chunks() != ob.num_chunks() || files.total_bytes() != ob.total_bytes() {
                return Err(mismatch(
                    &weights.dir,
                    format!(
                        "the directory has {} chunks ({} bytes) but the outboard {} ({} bytes)",
                        files.num_chunks(),
                        files.total_bytes(),
                        ob.num_chunks(),
                        ob.total_bytes()
                    ),
                ));
            }
            ob
        }
        None => {
            let dir = tempfile::tempdir()
                .map_err(|e| CuriaError::Chain(format!("creating a temporary directory: {e}")))?;
            let path = dir.path().join("weights.mr1ob");
            let c = files.commit_with(&mr1::CommitOptions {
                outboard: Some(&path),
                progress: None,
            })?;
            if c.content_root != content_root {
                return Err(mismatch(
                    &weights.dir,
                    format!(
                        "their contentRoot is {} but the version's is {content_root}",
                        c.content_root
                    ),
                ));
            }
            let ob = Outboard::open(&path)?;
            _temp = dir;
            ob
        }
    };
    if outboard.num_chunks() != num_chunks {
        return Err(mismatch(
            &weights.dir,
            format!(
                "they have {} chunks, the version {num_chunks}",
                outboard.num_chunks()
            ),
        ));
    }
    let mut chunks = Vec::with_capacity(indices.len());
    let mut proofs = Vec::with_capacity(indices.len());
    for &i in indices {
        let i = u64::from(i);
        let chunk = files.read_chunk(i)?;
        let proof = outboard.proof(i)?;
        if !mr1::verify(content_root, num_chunks, i, &chunk, &proof) {
            return Err(mismatch(
                &weights.dir,
                format!("chunk {i} of the directory does not verify against the content root (a file changed?)"),
            ));
        }
        chunks.push(chunk.into());
        proofs.push(proof);
    }
    Ok((chunks, proofs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let id = format!("0x{}", "ab".repeat(32));
        assert!(parse_id("version id", &id).is_ok());
        assert!(parse_id("version id", &"ab".repeat(32)).is_ok());
        for bad in ["", "0x12", "hello", &format!("0x{}", "zz".repeat(32))] {
            let err = parse_id("version id", bad).expect_err(bad);
            assert!(err.to_string().contains("64 hex digits"), "{err}");
        }
        assert_eq!(parse_challenge_id("12").ok(), Some(U256::from(12)));
        for bad in ["0", "-1", "x", "", "1.5"] {
            assert!(parse_challenge_id(bad).is_err(), "{bad}");
        }
        assert!(parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").is_ok());
        assert!(parse_address("0x7099").is_err());
    }

    #[test]
    fn random_indices() {
        for _ in 0..20 {
            let v = random_chunk_indices(20, 5);
            assert_eq!(v.len(), 5);
            assert!(v.windows(2).all(|w| w[0] < w[1]) && v.iter().all(|i| *i < 20));
        }
        assert_eq!(random_chunk_indices(3, 16), vec![0, 1, 2]);
        assert_eq!(random_chunk_indices(1, 1), vec![0]);
    }

    #[test]
    fn indices() {
        assert!(check_indices(&[0, 5, 9], 10, 16).is_ok());
        assert!(check_indices(&[], 10, 16).is_err());
        assert!(check_indices(&[5, 5], 10, 16).is_err());
        assert!(check_indices(&[9, 5], 10, 16).is_err());
        let e = check_indices(&[10], 10, 16).expect_err("out of range");
        assert!(e.to_string().contains("0 to 9"), "{e}");
        assert!(check_indices(&[0, 1, 2], 10, 2).is_err());
    }
}
