//! [`CuriaError`]: every error of the SDK, with messages that say what went wrong and what to
//! do, and the decoding of the contracts' custom errors into it.

use std::path::PathBuf;

use alloy::primitives::{Address, TxHash, B256, U256};
use alloy::sol_types::{Revert, SolError, SolInterface};
use alloy::transports::{RpcError, TransportErrorKind};

use crate::amount::{TokenAmount, TokenInfo};
use crate::bindings::{CuriaChallenges, CuriaConfig, CuriaCuration, CuriaRegistry, TestToken};
use crate::mr1::Mr1Error;
use crate::types::{ChallengeStatus, VersionStatus};

/// What is still thawing in [`CuriaError::StillThawing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thawing {
    /// A curator's unsignalled stake.
    Stake,
    /// A retired version's publisher bond.
    Bond,
}

impl Thawing {
    fn as_str(self) -> &'static str {
        match self {
            Thawing::Stake => "the unsignalled stake",
            Thawing::Bond => "the publisher bond",
        }
    }
}

/// What [`CuriaError::InsufficientBalance`] says: who lacks how much, for what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("insufficient balance: {purpose} needs {needed}, but {account} holds {balance}: get {} more first", needed.saturating_sub(balance))]
pub struct Shortfall {
    /// The account.
    pub account: Address,
    /// What the tokens are for ("the publisher bond", …).
    pub purpose: String,
    /// What is needed.
    pub needed: TokenAmount,
    /// What the account holds.
    pub balance: TokenAmount,
}

/// Every error of the SDK. Contract reverts are decoded into their own variants; the
/// messages are meant for people and say what to do. [`CuriaError::is_user_error`] tells a
/// mistake the user can fix (bad input, a revert, too little balance, the wrong chain) from a
/// failure of the environment (the node is down, an I/O error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CuriaError {
    // ------------------------------------------------------------------ set-up and input
    /// The RPC URL does not parse.
    #[error("invalid RPC URL {url:?}: {reason}; pass e.g. --rpc-url http://127.0.0.1:8545")]
    InvalidRpcUrl {
        /// The URL given.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The node cannot be reached.
    #[error("cannot reach the node at {url} ({reason}): is it running? Point --rpc-url (or ETH_RPC_URL) at a running node")]
    Unreachable {
        /// The RPC URL.
        url: String,
        /// The transport error.
        reason: String,
    },
    /// The deployment file is missing or malformed.
    #[error("deployment file {}: {reason}", path.display())]
    DeploymentFile {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The deployment is for another chain than the node's.
    #[error("the deployment {deployment} is for chain {expected}, but the node at {url} is chain {actual}: \
             pass the deployment file of chain {actual} (--deployment or CURIA_DEPLOYMENT), or the RPC URL of chain {expected} (--rpc-url)")]
    WrongChain {
        /// The deployment file (or "given" when built in code).
        deployment: String,
        /// Its chain id.
        expected: u64,
        /// The node's chain id.
        actual: u64,
        /// The RPC URL.
        url: String,
    },
    /// A contract of the deployment has no code on the chain.
    #[error("no {contract} contract at {address} on chain {chain_id}: the deployment {deployment} is stale \
             (was the devnet restarted?); deploy again, or pass the right file with --deployment")]
    NotDeployed {
        /// The deployment file.
        deployment: String,
        /// Which contract.
        contract: &'static str,
        /// Its address.
        address: Address,
        /// The chain.
        chain_id: u64,
    },
    /// A transaction is needed but no signer was given.
    #[error("this sends a transaction and needs an account: pass --private-key (or CURIA_PRIVATE_KEY), \
             or --keystore FILE with --password (or CURIA_KEYSTORE_PASSWORD)")]
    NoSigner,
    /// The private key does not parse.
    #[error("invalid private key: {reason}; expected 64 hex digits, with or without 0x")]
    InvalidPrivateKey {
        /// Why.
        reason: String,
    },
    /// The keystore cannot be opened or decrypted.
    #[error("cannot open the keystore {}: {reason}", path.display())]
    Keystore {
        /// The keystore file.
        path: PathBuf,
        /// Why (a wrong password reads as a MAC mismatch).
        reason: String,
    },
    /// An amount does not parse.
    #[error("invalid amount {input:?}: {reason}")]
    InvalidAmount {
        /// What was typed.
        input: String,
        /// Why it is refused.
        reason: String,
    },
    /// An id (version, model, challenge) does not parse.
    #[error("invalid {what} {input:?}: expected {expected}")]
    InvalidId {
        /// "version id", "model id", "challenge id", "address".
        what: &'static str,
        /// What was typed.
        input: String,
        /// The expected form.
        expected: &'static str,
    },
    /// Any other bad input, with a message that says what to do.
    #[error("{0}")]
    InvalidInput(String),
    /// The account holds too few tokens (checked before sending anything).
    #[error("{0}")]
    InsufficientBalance(Box<Shortfall>),
    /// The account has too little ETH to pay for gas.
    #[error("{account} has too little ETH to pay for the gas of {action}: fund it first")]
    InsufficientGas {
        /// The account.
        account: Address,
        /// What was being sent.
        action: String,
    },
    /// An MR1 error (reading or hashing the weights, an outboard).
    #[error(transparent)]
    Mr1(#[from] Mr1Error),
    /// The local weights are not those of the version.
    #[error("the weights in {} do not match version {version_id}: {reason}; pass the directory (and outboard) of the weights that were published", path.display())]
    WeightsMismatch {
        /// The directory or outboard.
        path: PathBuf,
        /// The version.
        version_id: B256,
        /// What differs.
        reason: String,
    },
    /// No block was mined after a commit within the timeout.
    #[error("the chain did not mine a block after the commit (block {block}) within {waited_secs} s: is the node producing blocks? \
             Try again once it does (a fresh commitment is made)")]
    ChainStalled {
        /// The commit's block.
        block: u64,
        /// How long we waited.
        waited_secs: u64,
    },
    /// There is nothing to claim.
    #[error(
        "nothing to claim for {account}: no curation rewards, tax or challenge payouts are due"
    )]
    NothingToClaim {
        /// The account.
        account: Address,
    },

    // ------------------------------------------------------------------ decoded reverts
    /// `ProtocolPaused`.
    #[error("the protocol is paused: new models, versions, signals and challenges are refused until governance unpauses it (exits, claims and settlement still work)")]
    ProtocolPaused,
    /// `NotModelOwner`.
    #[error("{caller} does not own model {model_id}: only the model's owner publishes its versions (create your own with `curia model create`)")]
    NotModelOwner {
        /// The model.
        model_id: B256,
        /// The caller.
        caller: Address,
    },
    /// `NotPendingOwner`.
    #[error("{caller} is not the pending owner of model {model_id}")]
    NotPendingOwner {
        /// The model.
        model_id: B256,
        /// The caller.
        caller: Address,
    },
    /// `UnknownModel`.
    #[error("no model has id {model_id}: check the id (`curia model create` prints it)")]
    UnknownModel {
        /// The id.
        model_id: B256,
    },
    /// `ModelExists`.
    #[error(
        "you already created a model with this name (id {model_id}): use it, or pick another name"
    )]
    ModelExists {
        /// Its id.
        model_id: B256,
    },
    /// `InvalidModelName`.
    #[error("a model name must be 1 to 128 bytes")]
    InvalidModelName,
    /// `UnknownVersion`.
    #[error("no version has id {version_id}: check the id (`curia hash DIR` computes it)")]
    UnknownVersion {
        /// The id.
        version_id: B256,
    },
    /// `VersionExists` (also checked before sending).
    #[error("version {version_id} is already registered: the same weights were published before, so there is nothing to publish; \
             signal it with `curia signal {version_id} AMOUNT`, or publish different weights")]
    VersionExists {
        /// The id.
        version_id: B256,
    },
    /// `UnknownParent`.
    #[error("the parent {parent} is not a registered version: pass the id of a published version, or no --parent")]
    UnknownParent {
        /// The parent given.
        parent: B256,
    },
    /// `InvalidCommitment`.
    #[error("the MR1 commitment is inconsistent (zero root or chunks, or a size the chunks cannot hold)")]
    InvalidCommitment,
    /// `InvalidLocations`.
    #[error("1 to 16 locations of 1 to 512 bytes each are required: pass --location URI (hf://repo@commit, ipfs://, ar://, https://, s3://)")]
    InvalidLocations,
    /// `BondTooLow`.
    #[error("the bond {bond} is below the minimum {minimum}: pass --bond {}", minimum.plain())]
    BondTooLow {
        /// The bond given.
        bond: TokenAmount,
        /// The minimum of the terms in force.
        minimum: TokenAmount,
    },
    /// `NotPublisher`.
    #[error("{caller} is not the publisher of version {version_id}")]
    NotPublisher {
        /// The version.
        version_id: B256,
        /// The caller.
        caller: Address,
    },
    /// `WrongStatus`.
    #[error("version {version_id} is {status}, which does not allow this")]
    WrongStatus {
        /// The version.
        version_id: B256,
        /// Its status.
        status: VersionStatus,
    },
    /// `StillThawing` (curation or registry).
    #[error("{} is still thawing until {} ({}): try again then", what.as_str(), format_time(*until), remaining.map_or_else(|| "later".to_string(), |s| format!("{} from now", format_duration(s))))]
    StillThawing {
        /// Stake or bond.
        what: Thawing,
        /// The thaw's end (unix seconds).
        until: u64,
        /// Seconds left by the chain's clock, when known.
        remaining: Option<u64>,
    },
    /// `NothingToWithdraw`.
    #[error("nothing to withdraw")]
    NothingToWithdraw,
    /// `ZeroAmount`.
    #[error("the amount must be more than zero")]
    ZeroAmount,
    /// `NotSignallable`.
    #[error("version {version_id} does not accept signals: only an Active version does (see `curia version {version_id}`)")]
    NotSignallable {
        /// The version.
        version_id: B256,
    },
    /// `NotRewardable`.
    #[error("version {version_id} does not accept rewards: it is unknown or slashed")]
    NotRewardable {
        /// The version.
        version_id: B256,
    },
    /// `SlippageExceeded`.
    #[error("the signal would mint {} shares, fewer than --min-shares {} (the curation tax changed?): lower --min-shares or signal more", shares.plain(), min_shares.plain())]
    SlippageExceeded {
        /// Shares that would be minted.
        shares: TokenAmount,
        /// The minimum asked.
        min_shares: TokenAmount,
    },
    /// `InsufficientShares`.
    #[error("you hold {} active shares but asked to unsignal {}: see `curia position VERSION`", available.plain(), requested.plain())]
    InsufficientShares {
        /// Shares held.
        available: TokenAmount,
        /// Shares asked.
        requested: TokenAmount,
    },
    /// `VersionChallenged`.
    #[error("version {version_id} has an open challenge: the thawed stake stays slashable until it is settled; withdraw after `curia settle`")]
    VersionChallenged {
        /// The version.
        version_id: B256,
    },
    /// `NothingThawing`.
    #[error(
        "nothing is thawing in this version: unsignal first (`curia unsignal VERSION SHARES`)"
    )]
    NothingThawing,
    /// `UnknownCommitment`.
    #[error("no matching challenge commitment from this account (wrong salt, sender or parameters, or already revealed)")]
    UnknownCommitment,
    /// `CommitmentExists`.
    #[error("this challenge commitment exists already: commit again with a fresh salt")]
    CommitmentExists,
    /// `RevealTooEarly`.
    #[error("a commitment can be revealed only in a later block than the commit: wait for the next block")]
    RevealTooEarly,
    /// `CommitmentExpired`.
    #[error(
        "the commitment's reveal deadline has passed: challenge again (a fresh commitment is made)"
    )]
    CommitmentExpired,
    /// `NotChallengeable` (also checked before committing).
    #[error("version {version_id} cannot be challenged now: only an Active or Retired version can, and only one challenge is open at a time (see `curia version {version_id}`)")]
    NotChallengeable {
        /// The version.
        version_id: B256,
    },
    /// `InvalidChunkIndices` (also checked before committing).
    #[error("invalid chunk indices: {reason}")]
    InvalidChunkIndices {
        /// What is wrong.
        reason: String,
    },
    /// `InvalidEvidence`.
    #[error("the evidence URI must be 1 to 2048 bytes")]
    InvalidEvidence,
    /// `BondAboveMax`.
    #[error("the challenge bond is now {required}, above the {max} agreed: the stake at risk grew; challenge again")]
    BondAboveMax {
        /// The bond required.
        required: TokenAmount,
        /// The maximum agreed.
        max: TokenAmount,
    },
    /// `UnknownChallenge`.
    #[error("no challenge has id {challenge_id}")]
    UnknownChallenge {
        /// The id.
        challenge_id: U256,
    },
    /// `WrongChallengeStatus`.
    #[error("challenge {challenge_id} is {status}, which does not allow this (see `curia challenge-info {challenge_id}`)")]
    WrongChallengeStatus {
        /// The challenge.
        challenge_id: U256,
        /// Its status.
        status: ChallengeStatus,
    },
    /// `WrongKind`.
    #[error("challenge {challenge_id} is not of the kind this needs (only availability challenges are answered with chunks; disputes are ruled by the arbitrator)")]
    WrongKind {
        /// The challenge.
        challenge_id: U256,
    },
    /// `DeadlinePassed`.
    #[error("the challenge's deadline {} has passed: it can only be settled now (`curia settle`)", format_time(*deadline))]
    DeadlinePassed {
        /// The deadline (unix seconds).
        deadline: u64,
    },
    /// `NotYetSettleable`.
    #[error("the challenge can be settled only after its deadline {} ({}), or once answered or ruled: try again then", format_time(*deadline), remaining.map_or_else(|| "later".to_string(), |s| format!("{} from now", format_duration(s))))]
    NotYetSettleable {
        /// The deadline (unix seconds).
        deadline: u64,
        /// Seconds left by the chain's clock, when known.
        remaining: Option<u64>,
    },
    /// `AnswerMismatch`.
    #[error("the answer's chunk indices do not match the challenge's")]
    AnswerMismatch,
    /// `InvalidProof`.
    #[error("chunk {chunk_index} or its proof does not verify against the version's content root: these are not the published weights")]
    InvalidProof {
        /// The chunk.
        chunk_index: U256,
    },
    /// `NotArbitrator`.
    #[error("{caller} is not the arbitrator of this challenge's terms")]
    NotArbitrator {
        /// The caller.
        caller: Address,
    },
    /// `InvalidRuling`.
    #[error("a ruling must be Upheld or Rejected")]
    InvalidRuling,
    /// `InvalidTerms`.
    #[error("invalid terms: {field} is out of its bounds (see docs/protocol.md)")]
    InvalidTerms {
        /// The field.
        field: String,
    },
    /// `OwnableUnauthorizedAccount`.
    #[error("{account} is not the owner (governance) of the protocol")]
    NotOwner {
        /// The caller.
        account: Address,
    },
    /// `ERC20InsufficientAllowance` (normally prevented by the client's approvals).
    #[error(
        "the token allowance of {spender} is {allowance} but {needed} is needed: approve it first"
    )]
    InsufficientAllowance {
        /// The spender.
        spender: Address,
        /// The allowance.
        allowance: TokenAmount,
        /// The amount needed.
        needed: TokenAmount,
    },
    /// Any other revert (a string reason, a panic, or an error the SDK does not know).
    #[error("{action} reverted: {reason}")]
    Reverted {
        /// What was being done.
        action: String,
        /// The decoded reason or the raw revert data.
        reason: String,
    },
    /// A transaction was mined but failed.
    #[error("{action}: transaction {tx_hash} was mined but reverted")]
    TransactionFailed {
        /// What was being done.
        action: String,
        /// The transaction.
        tx_hash: TxHash,
    },
    /// Any other failure talking to the chain.
    #[error("{0}")]
    Chain(String),
}

impl CuriaError {
    /// Whether the user can fix this (exit code 1 in the CLI): bad input, a revert, too little
    /// balance, the wrong chain, a missing file. False for failures of the environment: the
    /// node is unreachable or stalled, other RPC failures, I/O errors.
    pub fn is_user_error(&self) -> bool {
        match self {
            CuriaError::Unreachable { .. }
            | CuriaError::ChainStalled { .. }
            | CuriaError::Chain(_) => false,
            CuriaError::Mr1(e) => e.is_user_error(),
            _ => true,
        }
    }

    /// Any other chain failure while doing `action`.
    pub(crate) fn chain(action: &str, e: impl std::fmt::Display) -> Self {
        CuriaError::Chain(format!("{action}: {e}"))
    }

    /// A contract error without the client's context (token, target contract): used by
    /// [`crate::deploy`].
    pub(crate) fn from_contract(action: &str, e: alloy::contract::Error) -> Self {
        match e.as_revert_data() {
            Some(data) => {
                let token = TokenInfo {
                    address: Address::ZERO,
                    symbol: "wei".into(),
                    decimals: 0,
                };
                decode_revert(action, &data, Target::Config, &token, None, Address::ZERO)
            }
            None => CuriaError::chain(action, e),
        }
    }
}

/// The contract a call was sent to, to decode its errors first (some selectors are shared,
/// e.g. `StillThawing` of the registry and of curation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Config,
    Registry,
    Curation,
    Challenges,
    Token,
}

/// Decodes revert data into a [`CuriaError`]: the target contract's errors first, then the
/// others', then `Error(string)` and `Panic(uint256)`.
pub(crate) fn decode_revert(
    action: &str,
    data: &[u8],
    target: Target,
    token: &TokenInfo,
    now: Option<u64>,
    caller: Address,
) -> CuriaError {
    let order: &[Target] = match target {
        Target::Registry => &[
            Target::Registry,
            Target::Curation,
            Target::Challenges,
            Target::Config,
            Target::Token,
        ],
        Target::Curation => &[
            Target::Curation,
            Target::Registry,
            Target::Challenges,
            Target::Config,
            Target::Token,
        ],
        Target::Challenges => &[
            Target::Challenges,
            Target::Registry,
            Target::Curation,
            Target::Config,
            Target::Token,
        ],
        Target::Config => &[
            Target::Config,
            Target::Registry,
            Target::Curation,
            Target::Challenges,
            Target::Token,
        ],
        Target::Token => &[
            Target::Token,
            Target::Registry,
            Target::Curation,
            Target::Challenges,
            Target::Config,
        ],
    };
    let amt = |w: U256| token.amount(w);
    let remaining = |until: u64| now.map(|n| until.saturating_sub(n));
    let other = |reason: String| CuriaError::Reverted {
        action: action.to_string(),
        reason,
    };
    for t in order {
        let decoded = match t {
            Target::Registry => CuriaRegistry::CuriaRegistryErrors::abi_decode(data).ok().map(|e| {
                use CuriaRegistry::CuriaRegistryErrors as E;
                match e {
                    E::NotModelOwner(e) => CuriaError::NotModelOwner { model_id: e.modelId, caller: e.caller },
                    E::NotPendingOwner(e) => CuriaError::NotPendingOwner { model_id: e.modelId, caller: e.caller },
                    E::UnknownModel(e) => CuriaError::UnknownModel { model_id: e.modelId },
                    E::ModelExists(e) => CuriaError::ModelExists { model_id: e.modelId },
                    E::InvalidModelName(_) => CuriaError::InvalidModelName,
                    E::UnknownVersion(e) => CuriaError::UnknownVersion { version_id: e.versionId },
                    E::VersionExists(e) => CuriaError::VersionExists { version_id: e.versionId },
                    E::UnknownParent(e) => CuriaError::UnknownParent { parent: e.parent },
                    E::InvalidCommitment(_) => CuriaError::InvalidCommitment,
                    E::InvalidLocations(_) => CuriaError::InvalidLocations,
                    E::BondTooLow(e) => CuriaError::BondTooLow { bond: amt(e.bond), minimum: amt(e.minimum) },
                    E::NotPublisher(e) => CuriaError::NotPublisher { version_id: e.versionId, caller: e.caller },
                    E::WrongStatus(e) => CuriaError::WrongStatus {
                        version_id: e.versionId,
                        status: VersionStatus::from_u8(e.status),
                    },
                    E::StillThawing(e) => {
                        let until = e.thawEnd.to::<u64>();
                        CuriaError::StillThawing { what: Thawing::Bond, until, remaining: remaining(until) }
                    }
                    E::NothingToWithdraw(_) => CuriaError::NothingToWithdraw,
                    E::ProtocolPaused(_) => CuriaError::ProtocolPaused,
                    E::SafeERC20FailedOperation(e) => other(format!(
                        "the token transfer failed (SafeERC20FailedOperation on {}): check your balance and allowance",
                        e.token
                    )),
                    e => other(format!("{e:?}")),
                }
            }),
            Target::Curation => CuriaCuration::CuriaCurationErrors::abi_decode(data).ok().map(|e| {
                use CuriaCuration::CuriaCurationErrors as E;
                match e {
                    E::ZeroAmount(_) => CuriaError::ZeroAmount,
                    E::NotSignallable(e) => CuriaError::NotSignallable { version_id: e.versionId },
                    E::NotRewardable(e) => CuriaError::NotRewardable { version_id: e.versionId },
                    E::SlippageExceeded(e) => CuriaError::SlippageExceeded {
                        shares: amt(e.shares),
                        min_shares: amt(e.minShares),
                    },
                    E::InsufficientShares(e) => CuriaError::InsufficientShares {
                        available: amt(e.available),
                        requested: amt(e.requested),
                    },
                    E::VersionChallenged(e) => CuriaError::VersionChallenged { version_id: e.versionId },
                    E::NothingThawing(_) => CuriaError::NothingThawing,
                    E::StillThawing(e) => {
                        let until = e.thawEnd.to::<u64>();
                        CuriaError::StillThawing { what: Thawing::Stake, until, remaining: remaining(until) }
                    }
                    E::NothingToClaim(_) => CuriaError::NothingToClaim { account: caller },
                    E::ProtocolPaused(_) => CuriaError::ProtocolPaused,
                    E::AmountTooLarge(_) => other("the amount does not fit the pool's 128-bit accounting".into()),
                    E::SafeERC20FailedOperation(e) => other(format!(
                        "the token transfer failed (SafeERC20FailedOperation on {}): check your balance and allowance",
                        e.token
                    )),
                    e => other(format!("{e:?}")),
                }
            }),
            Target::Challenges => CuriaChallenges::CuriaChallengesErrors::abi_decode(data).ok().map(|e| {
                use CuriaChallenges::CuriaChallengesErrors as E;
                match e {
                    E::UnknownCommitment(_) => CuriaError::UnknownCommitment,
                    E::CommitmentExists(_) => CuriaError::CommitmentExists,
                    E::RevealTooEarly(_) => CuriaError::RevealTooEarly,
                    E::CommitmentExpired(_) => CuriaError::CommitmentExpired,
                    E::NotChallengeable(e) => CuriaError::NotChallengeable { version_id: e.versionId },
                    E::InvalidChunkIndices(_) => CuriaError::InvalidChunkIndices {
                        reason: "they must be 1 to maxChallengeChunks indices, strictly increasing, each below the version's chunk count".into(),
                    },
                    E::InvalidEvidence(_) => CuriaError::InvalidEvidence,
                    E::BondAboveMax(e) => CuriaError::BondAboveMax { required: amt(e.required), max: amt(e.maxBond) },
                    E::UnknownChallenge(e) => CuriaError::UnknownChallenge { challenge_id: e.challengeId },
                    E::WrongChallengeStatus(e) => CuriaError::WrongChallengeStatus {
                        challenge_id: e.challengeId,
                        status: ChallengeStatus::from_u8(e.status),
                    },
                    E::WrongKind(e) => CuriaError::WrongKind { challenge_id: e.challengeId },
                    E::DeadlinePassed(e) => CuriaError::DeadlinePassed { deadline: e.deadline.to::<u64>() },
                    E::NotYetSettleable(e) => {
                        let deadline = e.deadline.to::<u64>();
                        CuriaError::NotYetSettleable { deadline, remaining: remaining(deadline) }
                    }
                    E::AnswerMismatch(_) => CuriaError::AnswerMismatch,
                    E::InvalidProof(e) => CuriaError::InvalidProof { chunk_index: e.chunkIndex },
                    E::NotArbitrator(e) => CuriaError::NotArbitrator { caller: e.caller },
                    E::InvalidRuling(_) => CuriaError::InvalidRuling,
                    E::NothingToClaim(_) => CuriaError::NothingToClaim { account: caller },
                    E::ProtocolPaused(_) => CuriaError::ProtocolPaused,
                    E::SafeERC20FailedOperation(e) => other(format!(
                        "the token transfer failed (SafeERC20FailedOperation on {}): check your balance and allowance",
                        e.token
                    )),
                    e => other(format!("{e:?}")),
                }
            }),
            Target::Config => CuriaConfig::CuriaConfigErrors::abi_decode(data).ok().map(|e| {
                use CuriaConfig::CuriaConfigErrors as E;
                match e {
                    E::ProtocolPaused(_) => CuriaError::ProtocolPaused,
                    E::InvalidTerms(e) => CuriaError::InvalidTerms { field: e.field },
                    E::OwnableUnauthorizedAccount(e) => CuriaError::NotOwner { account: e.account },
                    e => other(format!("{e:?}")),
                }
            }),
            Target::Token => TestToken::TestTokenErrors::abi_decode(data).ok().map(|e| {
                use TestToken::TestTokenErrors as E;
                match e {
                    E::ERC20InsufficientBalance(e) => CuriaError::InsufficientBalance(Box::new(Shortfall {
                        account: e.sender,
                        purpose: action.to_string(),
                        needed: amt(e.needed),
                        balance: amt(e.balance),
                    })),
                    E::ERC20InsufficientAllowance(e) => CuriaError::InsufficientAllowance {
                        spender: e.spender,
                        allowance: amt(e.allowance),
                        needed: amt(e.needed),
                    },
                    e => other(format!("{e:?}")),
                }
            }),
        };
        if let Some(err) = decoded {
            return err;
        }
    }
    if let Ok(revert) = Revert::abi_decode(data) {
        return other(revert.reason);
    }
    if let Ok(panic) = alloy::sol_types::Panic::abi_decode(data) {
        return other(format!("panic {panic}"));
    }
    if data.is_empty() {
        return other("no reason given".into());
    }
    other(format!(
        "unknown error data 0x{}",
        alloy::primitives::hex::encode(data)
    ))
}

/// Whether an RPC error says the sender cannot pay for gas.
pub(crate) fn is_insufficient_funds(e: &RpcError<TransportErrorKind>) -> bool {
    e.as_error_resp().is_some_and(|p| {
        let m = p.message.to_ascii_lowercase();
        m.contains("insufficient funds") || m.contains("lack of funds")
    })
}

/// A unix time as `YYYY-MM-DD hh:mm:ss UTC`.
pub fn format_time(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// A number of seconds as `1 d 2 h`, `14 min 3 s`, `45 s`.
pub fn format_duration(secs: u64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
    );
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {s} s")
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> TokenInfo {
        TokenInfo {
            address: Address::ZERO,
            symbol: "CURIA".into(),
            decimals: 18,
        }
    }

    #[test]
    fn bond_too_low_says_what_to_pass() {
        let e18 = U256::from(10u64).pow(U256::from(18));
        let data = CuriaRegistry::BondTooLow {
            bond: U256::from(50) * e18,
            minimum: U256::from(100) * e18,
        }
        .abi_encode();
        let err = decode_revert(
            "publishing",
            &data,
            Target::Registry,
            &token(),
            None,
            Address::ZERO,
        );
        assert_eq!(
            err.to_string(),
            "the bond 50 CURIA is below the minimum 100 CURIA: pass --bond 100"
        );
        assert!(err.is_user_error());
    }

    #[test]
    fn shared_selectors_follow_the_target() {
        let data = CuriaCuration::StillThawing {
            thawEnd: alloy::primitives::Uint::<40, 1>::from(1_000u64),
        }
        .abi_encode();
        let err = decode_revert(
            "withdrawing",
            &data,
            Target::Curation,
            &token(),
            Some(400),
            Address::ZERO,
        );
        assert!(
            matches!(
                err,
                CuriaError::StillThawing {
                    what: Thawing::Stake,
                    until: 1000,
                    remaining: Some(600)
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("10 min 0 s from now"), "{err}");
        let err = decode_revert(
            "withdrawing the bond",
            &data,
            Target::Registry,
            &token(),
            None,
            Address::ZERO,
        );
        assert!(
            matches!(
                err,
                CuriaError::StillThawing {
                    what: Thawing::Bond,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn unknown_and_string_reverts() {
        let err = decode_revert(
            "x",
            &[1, 2, 3, 4],
            Target::Registry,
            &token(),
            None,
            Address::ZERO,
        );
        assert!(err.to_string().contains("0x01020304"), "{err}");
        let data = Revert::from("nope").abi_encode();
        let err = decode_revert("x", &data, Target::Registry, &token(), None, Address::ZERO);
        assert_eq!(err.to_string(), "x reverted: nope");
    }

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_duration(45), "45 s");
        assert_eq!(format_duration(843), "14 min 3 s");
        assert_eq!(format_duration(7_200), "2 h 0 min");
        assert_eq!(format_duration(90_000), "1 d 1 h");
    }
}
