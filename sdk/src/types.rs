//! What the [`crate::Client`] reads and what its transactions return.

use std::fmt;
use std::path::PathBuf;

use alloy::primitives::{Address, TxHash, B256, U256};

use crate::mr1::Commitment;

/// The life of a version (`ICuriaRegistry.VersionStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VersionStatus {
    /// Not registered.
    None,
    /// Registered, accepting signals and challenges.
    Active,
    /// A challenge against it is open.
    Challenged,
    /// An upheld challenge slashed it (final).
    Slashed,
    /// Retired by its publisher; its bond thaws.
    Retired,
}

impl VersionStatus {
    /// From the contracts' `uint8`.
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Active,
            2 => Self::Challenged,
            3 => Self::Slashed,
            4 => Self::Retired,
            _ => Self::None,
        }
    }

    /// The status as the contracts name it (`"Active"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Active => "Active",
            Self::Challenged => "Challenged",
            Self::Slashed => "Slashed",
            Self::Retired => "Retired",
        }
    }
}

impl fmt::Display for VersionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a challenge claims (`ICuriaChallenges.Kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChallengeKind {
    /// The weights cannot be produced: answered with chunks and proofs.
    Availability,
    /// Judged by the arbitrator.
    Dispute,
}

impl ChallengeKind {
    /// From the contracts' `uint8`.
    pub fn from_u8(v: u8) -> Self {
        if v == 1 {
            Self::Dispute
        } else {
            Self::Availability
        }
    }

    /// `"Availability"` or `"Dispute"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Availability => "Availability",
            Self::Dispute => "Dispute",
        }
    }
}

impl fmt::Display for ChallengeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A challenge's life (`ICuriaChallenges.Status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChallengeStatus {
    /// No such challenge.
    None,
    /// Waiting for an answer or a ruling.
    Open,
    /// Answered with valid chunks: settle makes it Failed.
    Answered,
    /// The arbitrator upheld the dispute: settle slashes.
    RuledUpheld,
    /// The arbitrator rejected the dispute: settle forfeits the bond.
    RuledRejected,
    /// Settled: the version was slashed.
    Upheld,
    /// Settled: the challenger lost its bond.
    Failed,
    /// Settled: a dispute without a ruling; the bond was returned.
    Dismissed,
}

impl ChallengeStatus {
    /// From the contracts' `uint8`.
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Open,
            2 => Self::Answered,
            3 => Self::RuledUpheld,
            4 => Self::RuledRejected,
            5 => Self::Upheld,
            6 => Self::Failed,
            7 => Self::Dismissed,
            _ => Self::None,
        }
    }

    /// The status as the contracts name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Open => "Open",
            Self::Answered => "Answered",
            Self::RuledUpheld => "RuledUpheld",
            Self::RuledRejected => "RuledRejected",
            Self::Upheld => "Upheld",
            Self::Failed => "Failed",
            Self::Dismissed => "Dismissed",
        }
    }

    /// Whether the challenge is settled (Upheld, Failed or Dismissed).
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Upheld | Self::Failed | Self::Dismissed)
    }
}

impl fmt::Display for ChallengeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A model: a name under an owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelInfo {
    /// `keccak256(abi.encode(creator, name))`.
    pub model_id: B256,
    /// The owner, who publishes its versions.
    pub owner: Address,
    /// The address a two-step ownership transfer waits on (zero if none).
    pub pending_owner: Address,
}

/// A registered version's on-chain state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    /// The MR1 version id.
    pub version_id: B256,
    /// Its model.
    pub model_id: B256,
    /// MR1 content root.
    pub content_root: B256,
    /// Who published it and owns its bond.
    pub publisher: Address,
    /// Current status.
    pub status: VersionStatus,
    /// Terms in force at publication.
    pub terms_id: u32,
    /// Publication time (unix seconds).
    pub published_at: u64,
    /// Publisher bond still locked (wei).
    pub bond: U256,
    /// Number of MR1 chunks.
    pub num_chunks: u64,
    /// When a retired version's bond can be withdrawn (0 while not retired).
    pub thaw_end: u64,
}

/// A version's curation pool.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolInfo {
    /// Active shares (they earn rewards).
    pub shares: U256,
    /// Nominal stake thawing.
    pub thawing: U256,
    /// Tokens held for the stake (shares + thawing until a slash).
    pub tokens: U256,
    /// Tokens held for curators' rewards not yet settled.
    pub reward_reserve: U256,
    /// Cumulative reward per share, scaled by 1e27.
    pub acc_reward_per_share: U256,
    /// After a slash: tokens left (numerator of the pay-out ratio); zero if never slashed.
    pub slash_numerator: U256,
    /// After a slash: nominal stake at the slash (denominator); zero if never slashed.
    pub slash_denominator: U256,
}

/// A curator's position in one version's pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionInfo {
    /// The version.
    pub version_id: B256,
    /// The curator.
    pub account: Address,
    /// Active shares (one share is one token signalled after tax).
    pub shares: U256,
    /// Nominal stake thawing.
    pub thawing: U256,
    /// When the thawing stake can be withdrawn (unix seconds; 0 if nothing thaws).
    pub thaw_end: u64,
    /// Rewards accrued and not yet settled into the claimable balance.
    pub pending_rewards: U256,
    /// What the thawing stake pays out (less than `thawing` after a slash).
    pub thawing_value: U256,
}

/// What an account can claim now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claimables {
    /// The account.
    pub account: Address,
    /// CuriaCuration's claimable balance (curation tax, publisher shares, settled rewards).
    pub curation: U256,
    /// Rewards accrued in the given versions and not yet settled (claimed with them).
    pub pending_rewards: U256,
    /// CuriaChallenges' claimable balance (bonds back, challenger, responder and keeper pay).
    pub challenges: U256,
}

impl Claimables {
    /// Everything together.
    pub fn total(&self) -> U256 {
        self.curation + self.pending_rewards + self.challenges
    }
}

/// A challenge, with the chunk indices or evidence from its `ChallengeOpened` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeInfo {
    /// The challenge id (from 1).
    pub challenge_id: U256,
    /// The challenged version.
    pub version_id: B256,
    /// Who opened it.
    pub challenger: Address,
    /// Availability or dispute.
    pub kind: ChallengeKind,
    /// Current status.
    pub status: ChallengeStatus,
    /// Terms in force at opening.
    pub terms_id: u32,
    /// Last second for an answer or a ruling (unix seconds).
    pub deadline: u64,
    /// The challenger's bond (wei).
    pub bond: U256,
    /// The curator pool's stake at opening.
    pub pool_snapshot: U256,
    /// The publisher bond at opening (from the event).
    pub publisher_bond: U256,
    /// Who answered (availability), or zero.
    pub responder: Address,
    /// The chunk indices named (availability).
    pub chunk_indices: Vec<u32>,
    /// The evidence URI (dispute).
    pub evidence_uri: String,
    /// Whether `settle` would succeed now.
    pub settleable: bool,
}

/// A mined transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxInfo {
    /// Its hash.
    pub hash: TxHash,
    /// The block it was mined in.
    pub block_number: u64,
    /// Gas used.
    pub gas_used: u64,
}

/// The result of [`crate::Client::create_model`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelCreated {
    /// The new model's id.
    pub model_id: B256,
    /// The transaction.
    pub tx: TxInfo,
}

/// Options of [`crate::Client::publish`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishOptions {
    /// The model (the signer must own it).
    pub model_id: B256,
    /// Where the weights can be fetched: 1 to 16 URIs.
    pub locations: Vec<String>,
    /// A registered parent version, if any.
    pub parent: Option<B256>,
    /// Free-form metadata, usually a URI.
    pub metadata_uri: String,
    /// The publisher bond in wei; `None` locks the minimum of the terms in force.
    pub bond: Option<U256>,
}

/// The result of [`crate::Client::publish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The version id.
    pub version_id: B256,
    /// The MR1 commitment that was registered.
    pub commitment: Commitment,
    /// The bond locked (wei).
    pub bond: U256,
    /// The token approval sent first, if the allowance was short.
    pub approval: Option<TxInfo>,
    /// The publish transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::signal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signalled {
    /// The version.
    pub version_id: B256,
    /// Tokens paid in, tax included.
    pub amount: U256,
    /// Curation tax paid to the publisher.
    pub tax: U256,
    /// Shares minted.
    pub shares: U256,
    /// The token approval sent first, if any.
    pub approval: Option<TxInfo>,
    /// The signal transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::unsignal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsignalled {
    /// The version.
    pub version_id: B256,
    /// Shares moved to thawing.
    pub shares: U256,
    /// The position's whole thawing stake now.
    pub thawing: U256,
    /// When it can be withdrawn (unix seconds).
    pub thaw_end: u64,
    /// The transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::withdraw`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawn {
    /// The version.
    pub version_id: B256,
    /// Nominal stake withdrawn.
    pub nominal: U256,
    /// Tokens paid (less than nominal after a slash).
    pub amount: U256,
    /// The transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::reward`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewarded {
    /// The version.
    pub version_id: B256,
    /// Tokens paid in.
    pub amount: U256,
    /// Credited to the publisher.
    pub publisher_share: U256,
    /// Shared by the active curators.
    pub curator_share: U256,
    /// The token approval sent first, if any.
    pub approval: Option<TxInfo>,
    /// The reward transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::claim`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claimed {
    /// The account paid.
    pub account: Address,
    /// Paid by CuriaCuration (rewards, tax, publisher shares).
    pub curation: U256,
    /// Paid by CuriaChallenges (challenge payouts).
    pub challenges: U256,
    /// The versions whose rewards were settled.
    pub versions: Vec<B256>,
    /// The transactions (one or two).
    pub txs: Vec<TxInfo>,
}

impl Claimed {
    /// Everything paid.
    pub fn total(&self) -> U256 {
        self.curation + self.challenges
    }
}

/// The result of [`crate::Client::challenge_availability`] and
/// [`crate::Client::challenge_dispute`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeOpened {
    /// The new challenge's id.
    pub challenge_id: U256,
    /// The challenged version.
    pub version_id: B256,
    /// Availability or dispute.
    pub kind: ChallengeKind,
    /// The bond locked (wei).
    pub bond: U256,
    /// Last second for an answer or a ruling (unix seconds).
    pub deadline: u64,
    /// Chunk indices (availability).
    pub chunk_indices: Vec<u32>,
    /// Evidence URI (dispute).
    pub evidence_uri: String,
    /// The commit transaction.
    pub commit_tx: TxInfo,
    /// The token approval, if the allowance was short.
    pub approval: Option<TxInfo>,
    /// The reveal transaction.
    pub reveal_tx: TxInfo,
}

/// The weights that answer an availability challenge: a directory, optionally with the
/// outboard file written by `curia hash --outboard` (otherwise the directory is hashed again,
/// with an outboard in a temporary file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weights {
    /// The model directory (or single file) that was published.
    pub dir: PathBuf,
    /// Its outboard, to build proofs without rehashing.
    pub outboard: Option<PathBuf>,
}

impl Weights {
    /// Weights from a directory alone.
    pub fn dir(dir: impl Into<PathBuf>) -> Self {
        Weights {
            dir: dir.into(),
            outboard: None,
        }
    }

    /// Weights from a directory and its outboard file.
    pub fn with_outboard(dir: impl Into<PathBuf>, outboard: impl Into<PathBuf>) -> Self {
        Weights {
            dir: dir.into(),
            outboard: Some(outboard.into()),
        }
    }
}

/// The result of [`crate::Client::respond`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responded {
    /// The challenge.
    pub challenge_id: U256,
    /// The version.
    pub version_id: B256,
    /// The chunks answered.
    pub chunk_indices: Vec<u32>,
    /// The transaction.
    pub tx: TxInfo,
}

/// The result of [`crate::Client::settle`]: the outcome and every amount moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// The challenge.
    pub challenge_id: U256,
    /// The version.
    pub version_id: B256,
    /// Upheld, Failed or Dismissed.
    pub outcome: ChallengeStatus,
    /// Keeper bounty credited to the caller.
    pub keeper_bounty: U256,
    /// Credited to the challenger.
    pub challenger_payout: U256,
    /// Credited to the responder.
    pub responder_payout: U256,
    /// Paid into the version's rewards.
    pub curator_reward: U256,
    /// Publisher bond slashed.
    pub publisher_slashed: U256,
    /// Curator stake slashed.
    pub curators_slashed: U256,
    /// Tokens burned.
    pub burned: U256,
    /// The transaction.
    pub tx: TxInfo,
}
