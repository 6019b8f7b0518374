//! A local chain for tests and demos: anvil (killed on drop) with Curia deployed by
//! [`crate::deploy`], its deterministic accounts, token minting and time travel.

use std::path::{Path, PathBuf};

use alloy::network::EthereumWallet;
use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy::primitives::{hex, Address, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::signers::local::PrivateKeySigner;

use crate::bindings::TestToken;
use crate::client::Client;
use crate::deployment::{deploy, Deployment, Terms};
use crate::error::CuriaError;
use crate::Result;

mod proxy;
pub use proxy::RangeLimitProxy;

/// Where `scripts/setup` installs anvil, relative to the workspace root.
pub const ANVIL_RELATIVE_PATH: &str = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

/// Finds the anvil binary installed by `scripts/setup` in `start` or one of its ancestors
/// (e.g. from a crate's `CARGO_MANIFEST_DIR`). The error says to run `scripts/setup`.
pub fn find_anvil(start: &Path) -> Result<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(ANVIL_RELATIVE_PATH))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            CuriaError::InvalidInput(format!(
                "anvil not found at {ANVIL_RELATIVE_PATH} above {}: run scripts/setup",
                start.display()
            ))
        })
}

/// Writes a small, deterministic model directory to `dir`: `model.safetensors` (`size` bytes, byte j =
/// `(seed + 7j + (j >> 12)) mod 256`, the rule of the MR1 vectors) and a `config.json` naming the seed.
/// Different seeds give different versions; for tests and demos.
pub fn write_weights(dir: &Path, seed: u64, size: u64) -> std::io::Result<()> {
    let content: Vec<u8> = (0..size)
        .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
        .collect();
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("model.safetensors"), content)?;
    std::fs::write(dir.join("config.json"), format!("{{\"seed\": {seed}}}"))
}

/// anvil with Curia deployed. Account 0 deployed it, owns the config and is the arbitrator.
/// Dropping it kills anvil.
#[derive(Debug)]
pub struct Devnet {
    anvil: AnvilInstance,
    provider: DynProvider,
    deployment: Deployment,
}

impl Devnet {
    /// Starts anvil (`anvil_bin`, on a free port, mining on every transaction) and deploys
    /// Curia with `terms`, account 0 as owner and arbitrator.
    pub async fn start(anvil_bin: &Path, terms: &Terms) -> Result<Devnet> {
        Self::start_with_args(anvil_bin, terms, &[]).await
    }

    /// [`Devnet::start`] with the anvil that `scripts/setup` installed in this checkout, found from the
    /// current directory or, failing that, from where this crate was built (for the workspace's tests).
    pub async fn start_local(terms: &Terms) -> Result<Devnet> {
        let anvil = std::env::current_dir()
            .map_err(|e| CuriaError::InvalidInput(e.to_string()))
            .and_then(|d| find_anvil(&d))
            .or_else(|_| find_anvil(Path::new(env!("CARGO_MANIFEST_DIR"))))?;
        Self::start(&anvil, terms).await
    }

    /// Like [`Devnet::start`], with extra anvil arguments (e.g. `["--chain-id", "1234"]`).
    pub async fn start_with_args(anvil_bin: &Path, terms: &Terms, args: &[&str]) -> Result<Devnet> {
        let anvil = Anvil::at(anvil_bin)
            .args(args.iter().copied())
            .try_spawn()
            .map_err(|e| {
                CuriaError::Chain(format!("starting anvil ({}): {e}", anvil_bin.display()))
            })?;
        let key = anvil
            .keys()
            .first()
            .cloned()
            .ok_or_else(|| CuriaError::Chain("anvil has no accounts".into()))?;
        let signer = PrivateKeySigner::from(key);
        let owner = signer.address();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(anvil.endpoint_url())
            .erased();
        let deployment = deploy(provider.clone(), owner, owner, terms).await?;
        Ok(Devnet {
            anvil,
            provider,
            deployment,
        })
    }

    /// The RPC URL.
    pub fn endpoint(&self) -> String {
        self.anvil.endpoint()
    }

    /// The deployment.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// A provider signing with account 0 (the deployer, owner and arbitrator).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The private key of anvil's account `i` as `0x…` hex.
    pub fn key(&self, i: usize) -> String {
        self.anvil
            .keys()
            .get(i)
            .map(|k| format!("0x{}", hex::encode(k.to_bytes())))
            .unwrap_or_default()
    }

    /// The address of anvil's account `i` (zero if there is none).
    pub fn address(&self, i: usize) -> Address {
        self.anvil.addresses().get(i).copied().unwrap_or_default()
    }

    /// Mints test tokens (wei) to `to`.
    pub async fn mint(&self, to: Address, amount: U256) -> Result<()> {
        let token = TestToken::new(self.deployment.token, &self.provider);
        let r = token
            .mint(to, amount)
            .send()
            .await
            .map_err(|e| CuriaError::chain("minting", e))?
            .get_receipt()
            .await
            .map_err(|e| CuriaError::chain("minting", e))?;
        if !r.status() {
            return Err(CuriaError::Chain("minting reverted".into()));
        }
        Ok(())
    }

    /// Moves the chain's clock forward by `secs` and mines a block.
    pub async fn increase_time(&self, secs: u64) -> Result<()> {
        self.provider
            .raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (secs,))
            .await
            .map_err(|e| CuriaError::chain("evm_increaseTime", e))?;
        self.mine().await
    }

    /// Mines one block.
    pub async fn mine(&self) -> Result<()> {
        self.provider
            .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
            .await
            .map_err(|e| CuriaError::chain("evm_mine", e))?;
        Ok(())
    }

    /// A [`Client`] of this devnet signing with anvil's account `i`, polling receipts every 10 ms.
    pub async fn client(&self, i: usize) -> Result<Client> {
        Client::builder(self.endpoint())
            .private_key(self.key(i))
            .deployment(self.deployment.clone())
            .poll_interval(std::time::Duration::from_millis(10))
            .connect()
            .await
    }
}
