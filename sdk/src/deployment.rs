//! The deployment file (`{"chainId","deploymentBlock","token","config","registry","curation","challenges"}`,
//! written by `contracts/script/Deploy.s.sol` and by [`deploy`]) and the protocol terms.

use std::path::Path;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use serde::{Deserialize, Deserializer, Serialize};
use tracing::info;

use crate::bindings::{
    CuriaChallenges, CuriaConfig, CuriaCuration, CuriaRegistry, ICuriaConfig, TestToken,
};
use crate::error::CuriaError;

/// Where Curia is deployed on one chain: what the SDK, indexer, keeper and CLI read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// The chain id the contracts live on.
    #[serde(deserialize_with = "number_or_string")]
    pub chain_id: u64,
    /// The block the deployment started in (where an indexer starts).
    #[serde(deserialize_with = "number_or_string")]
    pub deployment_block: u64,
    /// The bond token (ERC-20).
    pub token: Address,
    /// CuriaConfig: terms, pause switch, wiring.
    pub config: Address,
    /// CuriaRegistry: models, versions, publisher bonds.
    pub registry: Address,
    /// CuriaCuration: curator pools, rewards, claimables.
    pub curation: Address,
    /// CuriaChallenges: challenges, their bonds and payouts.
    pub challenges: Address,
}

fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(u64),
        Str(String),
    }
    match NumOrStr::deserialize(d)? {
        NumOrStr::Num(n) => Ok(n),
        NumOrStr::Str(s) => {
            let s = s.trim();
            let parsed = match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            parsed.map_err(|_| serde::de::Error::custom(format!("{s:?} is not a number")))
        }
    }
}

impl Deployment {
    /// Reads a deployment file. A missing file, unreadable file or malformed JSON is a
    /// [`CuriaError::DeploymentFile`] that names the path and says what to do.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, CuriaError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| CuriaError::DeploymentFile {
            path: path.to_path_buf(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "no such file: deploy Curia first (scripts/devnet), \
                     or pass the right file with --deployment or CURIA_DEPLOYMENT"
                        .to_string()
                }
                _ => e.to_string(),
            },
        })?;
        serde_json::from_str(&text).map_err(|e| CuriaError::DeploymentFile {
            path: path.to_path_buf(),
            reason: format!(
                "not a deployment file ({e}); expected \
                 {{\"chainId\",\"deploymentBlock\",\"token\",\"config\",\"registry\",\"curation\",\"challenges\"}}"
            ),
        })
    }

    /// Writes the deployment file (pretty JSON, keys in the order of [`Deployment`]), creating
    /// its directory if needed.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), CuriaError> {
        let path = path.as_ref();
        let fail = |reason: String| CuriaError::DeploymentFile {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create its directory: {e}")))?;
        }
        let mut json = serde_json::to_string_pretty(self).map_err(|e| fail(e.to_string()))?;
        json.push('\n');
        std::fs::write(path, json).map_err(|e| fail(format!("cannot write it: {e}")))
    }
}

/// The protocol parameters (`ICuriaConfig.Terms`); see `docs/protocol.md` for each one's bounds.
/// Bonds are in token wei, windows in seconds, shares in basis points (out of 10 000).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Terms {
    /// Minimum publisher bond.
    pub min_publisher_bond: U256,
    /// Minimum challenge bond.
    pub min_challenge_bond: U256,
    /// Seconds an availability challenge stays open for an answer.
    pub response_window: u32,
    /// Seconds the arbitrator has to rule on a dispute.
    pub ruling_window: u32,
    /// Seconds unsignalled stake and a retired version's bond thaw.
    pub thaw_period: u32,
    /// Seconds after a commit during which it can be revealed.
    pub reveal_window: u32,
    /// Curation tax on every signal, paid to the publisher.
    pub curation_tax_bps: u16,
    /// Publisher's share of every reward.
    pub reward_publisher_bps: u16,
    /// Challenge bond as a share of the stake at risk.
    pub challenge_bond_bps: u16,
    /// Share of the curator pool snapshot slashed when a challenge is upheld.
    pub curator_slash_bps: u16,
    /// Challenger's reward as a share of the slash.
    pub challenger_reward_bps: u16,
    /// Keeper bounty as a share of the loser's forfeit.
    pub keeper_bounty_bps: u16,
    /// Responder's share of a losing availability challenger's bond (after the bounty).
    pub responder_reward_bps: u16,
    /// Share of a losing challenger's bond (after the bounty) that is burned.
    pub loser_burn_bps: u16,
    /// Most chunk indices an availability challenge may name.
    pub max_challenge_chunks: u8,
    /// Who rules on disputes opened under these terms ([`deploy`] sets it).
    pub arbitrator: Address,
}

const TOKEN: u128 = 1_000_000_000_000_000_000;

impl Default for Terms {
    /// The defaults of `Deploy.s.sol` (100-token publisher bond, 10-token challenge bond, 7-day
    /// thaw, 1-day response and reveal windows, 3-day ruling window, …), with no arbitrator yet.
    fn default() -> Self {
        Terms {
            min_publisher_bond: U256::from(100 * TOKEN),
            min_challenge_bond: U256::from(10 * TOKEN),
            response_window: 86_400,
            ruling_window: 3 * 86_400,
            thaw_period: 7 * 86_400,
            reveal_window: 86_400,
            curation_tax_bps: 100,
            reward_publisher_bps: 1_000,
            challenge_bond_bps: 500,
            curator_slash_bps: 5_000,
            challenger_reward_bps: 5_000,
            keeper_bounty_bps: 100,
            responder_reward_bps: 5_000,
            loser_burn_bps: 1_000,
            max_challenge_chunks: 16,
            arbitrator: Address::ZERO,
        }
    }
}

impl Terms {
    /// The devnet terms of `scripts/devnet`: the defaults with short windows (response 120 s,
    /// ruling and reveal 300 s, thaw 900 s).
    pub fn devnet() -> Self {
        Terms {
            response_window: 120,
            ruling_window: 300,
            reveal_window: 300,
            thaw_period: 900,
            ..Terms::default()
        }
    }

    /// The terms as the contracts' struct. Bonds above 2^96 − 1 wei are refused by
    /// [`CuriaError::InvalidInput`].
    pub fn to_sol(&self) -> Result<ICuriaConfig::Terms, CuriaError> {
        let bond = |v: U256, name: &str| {
            u128::try_from(v)
                .ok()
                .filter(|b| *b < (1u128 << 96))
                .map(alloy::primitives::Uint::<96, 2>::from)
                .ok_or_else(|| {
                    CuriaError::InvalidInput(format!("{name} {v} does not fit in 96 bits"))
                })
        };
        Ok(ICuriaConfig::Terms {
            minPublisherBond: bond(self.min_publisher_bond, "minPublisherBond")?,
            minChallengeBond: bond(self.min_challenge_bond, "minChallengeBond")?,
            responseWindow: self.response_window,
            rulingWindow: self.ruling_window,
            thawPeriod: self.thaw_period,
            revealWindow: self.reveal_window,
            curationTaxBps: self.curation_tax_bps,
            rewardPublisherBps: self.reward_publisher_bps,
            challengeBondBps: self.challenge_bond_bps,
            curatorSlashBps: self.curator_slash_bps,
            challengerRewardBps: self.challenger_reward_bps,
            keeperBountyBps: self.keeper_bounty_bps,
            responderRewardBps: self.responder_reward_bps,
            loserBurnBps: self.loser_burn_bps,
            maxChallengeChunks: self.max_challenge_chunks,
            arbitrator: self.arbitrator,
        })
    }

    /// The terms from the contracts' struct.
    pub fn from_sol(t: &ICuriaConfig::Terms) -> Self {
        Terms {
            min_publisher_bond: U256::from(t.minPublisherBond),
            min_challenge_bond: U256::from(t.minChallengeBond),
            response_window: t.responseWindow,
            ruling_window: t.rulingWindow,
            thaw_period: t.thawPeriod,
            reveal_window: t.revealWindow,
            curation_tax_bps: t.curationTaxBps,
            reward_publisher_bps: t.rewardPublisherBps,
            challenge_bond_bps: t.challengeBondBps,
            curator_slash_bps: t.curatorSlashBps,
            challenger_reward_bps: t.challengerRewardBps,
            keeper_bounty_bps: t.keeperBountyBps,
            responder_reward_bps: t.responderRewardBps,
            loser_burn_bps: t.loserBurnBps,
            max_challenge_chunks: t.maxChallengeChunks,
            arbitrator: t.arbitrator,
        }
    }
}

/// Deploys a mintable TestToken ("Curia Test Token", "CURIA") and the four protocol contracts
/// from the artifacts' bytecode, and wires them, as `contracts/script/Deploy.s.sol` does.
///
/// The provider's signer is the deployer: it owns CuriaConfig while wiring; ownership then
/// goes to `owner` (in two steps when they differ: `owner` must call `acceptOwnership`).
/// `terms.arbitrator` is replaced by `arbitrator`. Returns the addresses, the chain id and the
/// block of the first deployment transaction. Used by tests and devnets; never deploy the
/// TestToken to a public chain (anyone can mint it).
pub async fn deploy<P: Provider + Clone>(
    provider: P,
    owner: Address,
    arbitrator: Address,
    terms: &Terms,
) -> Result<Deployment, CuriaError> {
    let terms = Terms {
        arbitrator,
        ..terms.clone()
    }
    .to_sol()?;
    let chain_id = provider
        .get_chain_id()
        .await
        .map_err(|e| CuriaError::chain("eth_chainId", e))?;
    let fail =
        |what: &'static str| move |e: alloy::contract::Error| CuriaError::from_contract(what, e);

    let receipt =
        TestToken::deploy_builder(provider.clone(), "Curia Test Token".into(), "CURIA".into())
            .send()
            .await
            .map_err(fail("deploying TestToken"))?
            .get_receipt()
            .await
            .map_err(|e| CuriaError::chain("deploying TestToken", e))?;
    let token = receipt
        .contract_address
        .filter(|_| receipt.status())
        .ok_or_else(|| CuriaError::Chain("deploying TestToken: the transaction reverted".into()))?;
    let deployer = receipt.from;
    let deployment_block = receipt.block_number.unwrap_or_default();

    let config = CuriaConfig::deploy(provider.clone(), deployer, terms)
        .await
        .map_err(fail("deploying CuriaConfig"))?;
    let registry = CuriaRegistry::deploy(provider.clone(), token, *config.address())
        .await
        .map_err(fail("deploying CuriaRegistry"))?;
    let curation = CuriaCuration::deploy(
        provider.clone(),
        token,
        *config.address(),
        *registry.address(),
    )
    .await
    .map_err(fail("deploying CuriaCuration"))?;
    let challenges = CuriaChallenges::deploy(
        provider.clone(),
        token,
        *config.address(),
        *registry.address(),
        *curation.address(),
    )
    .await
    .map_err(fail("deploying CuriaChallenges"))?;

    let wire = config.wire(
        *registry.address(),
        *curation.address(),
        *challenges.address(),
    );
    let r = wire
        .send()
        .await
        .map_err(fail("wiring"))?
        .get_receipt()
        .await
        .map_err(|e| CuriaError::chain("wiring", e))?;
    if !r.status() {
        return Err(CuriaError::Chain("wiring the contracts reverted".into()));
    }
    if owner != deployer {
        let r = config
            .transferOwnership(owner)
            .send()
            .await
            .map_err(fail("transferring ownership"))?
            .get_receipt()
            .await
            .map_err(|e| CuriaError::chain("transferring ownership", e))?;
        if !r.status() {
            return Err(CuriaError::Chain(
                "transferring the config's ownership reverted".into(),
            ));
        }
    }
    let d = Deployment {
        chain_id,
        deployment_block,
        token,
        config: *config.address(),
        registry: *registry.address(),
        curation: *curation.address(),
        challenges: *challenges.address(),
    };
    info!(?d, "deployed Curia");
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forge_output_and_round_trips() {
        let json = r#"{
  "chainId": 31337,
  "challenges": "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  "config": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  "curation": "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  "deploymentBlock": "0x10",
  "registry": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  "token": "0x5FbDB2315678afecb367f032d93F642f64180aa3"
}"#;
        let d: Deployment = serde_json::from_str(json).expect("parse");
        assert_eq!(d.chain_id, 31337);
        assert_eq!(d.deployment_block, 16);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/d.json");
        d.save(&path).expect("save");
        assert_eq!(Deployment::load(&path).expect("load"), d);
    }

    #[test]
    fn load_errors_name_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nope.json");
        let err = Deployment::load(&missing).expect_err("missing");
        let msg = err.to_string();
        assert!(
            msg.contains("nope.json") && msg.contains("--deployment"),
            "{msg}"
        );
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"chainId\": 1}").expect("write");
        let msg = Deployment::load(&bad).expect_err("bad").to_string();
        assert!(
            msg.contains("bad.json") && msg.contains("not a deployment file"),
            "{msg}"
        );
    }

    #[test]
    fn terms_round_trip() {
        let t = Terms::devnet();
        assert_eq!(t.response_window, 120);
        assert_eq!(Terms::from_sol(&t.to_sol().expect("sol")), t);
    }
}
