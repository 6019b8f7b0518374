//! Decoding the Curia contracts' logs into [`Event`], the one typed form the projector and the API use.
//!
//! A log is decoded by the contract that emitted it (both curation and challenges emit `Claimed`), with
//! alloy's generated event types from the SDK's bindings. A log that does not decode (an unknown event, or
//! malformed data) is an error: the indexer refuses to go on rather than skip part of the protocol's history.

use alloy::primitives::{Address, Log as PrimitiveLog, B256, U256};
use alloy::sol_types::SolEventInterface;
use curia_sdk::bindings::{CuriaChallenges, CuriaConfig, CuriaCuration, CuriaRegistry};
use curia_sdk::{ChallengeKind, ChallengeStatus, Deployment, VersionStatus};
use serde::ser::{Serialize, Serializer};
use serde_json::{json, Value};

use crate::error::IndexerError;

/// The addresses whose logs the indexer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contracts {
    /// CuriaConfig.
    pub config: Address,
    /// CuriaRegistry.
    pub registry: Address,
    /// CuriaCuration.
    pub curation: Address,
    /// CuriaChallenges.
    pub challenges: Address,
}

impl Contracts {
    /// The contracts of a deployment.
    pub fn of(d: &Deployment) -> Self {
        Self {
            config: d.config,
            registry: d.registry,
            curation: d.curation,
            challenges: d.challenges,
        }
    }

    /// The four addresses, for a log filter.
    pub fn addresses(&self) -> Vec<Address> {
        vec![self.config, self.registry, self.curation, self.challenges]
    }
}

/// A decoded protocol event: what happened, with the fields the projections need.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Event {
    ModelCreated {
        model_id: B256,
        owner: Address,
        name: String,
        metadata_uri: String,
    },
    ModelOwnershipTransferStarted {
        model_id: B256,
        from: Address,
        to: Address,
    },
    ModelOwnershipTransferred {
        model_id: B256,
        from: Address,
        to: Address,
    },
    VersionPublished(Box<Published>),
    VersionStatusChanged {
        version_id: B256,
        status: VersionStatus,
    },
    VersionRetired {
        version_id: B256,
        thaw_end: u64,
    },
    BondWithdrawn {
        version_id: B256,
        publisher: Address,
        amount: U256,
    },
    BondSlashed {
        version_id: B256,
        amount: U256,
    },
    Signalled {
        version_id: B256,
        curator: Address,
        publisher: Address,
        tokens: U256,
        tax: U256,
        shares: U256,
    },
    Unsignalled {
        version_id: B256,
        curator: Address,
        shares: U256,
        thawing: U256,
        thaw_end: u64,
    },
    Withdrawn {
        version_id: B256,
        curator: Address,
        nominal: U256,
        amount: U256,
    },
    Rewarded {
        version_id: B256,
        from: Address,
        publisher: Address,
        amount: U256,
        publisher_share: U256,
        curator_share: U256,
        acc_reward_per_share: U256,
    },
    RewardsSettled {
        version_id: B256,
        curator: Address,
        amount: U256,
    },
    CurationClaimed {
        account: Address,
        amount: U256,
    },
    PoolSlashed {
        version_id: B256,
        amount: U256,
        tokens_before: U256,
    },
    ChallengeCommitted {
        commitment: B256,
        challenger: Address,
        reveal_deadline: u64,
    },
    ChallengeOpened(Box<Opened>),
    ChallengeAnswered {
        challenge_id: u64,
        version_id: B256,
        responder: Address,
    },
    ChallengeRuled {
        challenge_id: u64,
        version_id: B256,
        arbitrator: Address,
        ruling: u8,
    },
    ChallengeSettled(Box<Settled>),
    ChallengesClaimed {
        account: Address,
        amount: U256,
    },
    /// Governance and wiring events of CuriaConfig (terms, pause, ownership): kept raw, not projected.
    Config {
        name: &'static str,
        fields: Value,
    },
}

/// `VersionPublished`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Published {
    pub version_id: B256,
    pub model_id: B256,
    pub publisher: Address,
    pub terms_id: u32,
    pub content_root: B256,
    pub manifest_digest: B256,
    pub num_chunks: u64,
    pub total_bytes: u64,
    pub locations: Vec<String>,
    pub parent: B256,
    pub metadata_uri: String,
    pub bond: U256,
}

/// `ChallengeOpened`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Opened {
    pub challenge_id: u64,
    pub version_id: B256,
    pub challenger: Address,
    pub kind: ChallengeKind,
    pub bond: U256,
    pub publisher_bond: U256,
    pub pool_snapshot: U256,
    pub deadline: u64,
    pub terms_id: u32,
    pub chunk_indices: Vec<u32>,
    pub evidence_uri: String,
}

/// `ChallengeSettled`: the outcome and every amount paid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Settled {
    pub challenge_id: u64,
    pub version_id: B256,
    pub keeper: Address,
    pub outcome: ChallengeStatus,
    pub keeper_bounty: U256,
    pub challenger_payout: U256,
    pub responder_payout: U256,
    pub curator_reward: U256,
    pub publisher_slashed: U256,
    pub curators_slashed: U256,
    pub burned: U256,
}

/// Decodes one log of the Curia contracts.
pub fn decode(
    contracts: &Contracts,
    address: Address,
    topics: &[B256],
    data: &[u8],
) -> Result<Event, IndexerError> {
    let bad = |e: alloy::sol_types::Error| IndexerError::Decode(format!("log of {address}: {e}"));
    if address == contracts.registry {
        use CuriaRegistry::CuriaRegistryEvents as E;
        return Ok(match E::decode_raw_log(topics, data).map_err(bad)? {
            E::ModelCreated(e) => Event::ModelCreated {
                model_id: e.modelId,
                owner: e.owner,
                name: e.name,
                metadata_uri: e.metadataURI,
            },
            E::ModelOwnershipTransferStarted(e) => Event::ModelOwnershipTransferStarted {
                model_id: e.modelId,
                from: e.from,
                to: e.to,
            },
            E::ModelOwnershipTransferred(e) => Event::ModelOwnershipTransferred {
                model_id: e.modelId,
                from: e.from,
                to: e.to,
            },
            E::VersionPublished(e) => Event::VersionPublished(Box::new(Published {
                version_id: e.versionId,
                model_id: e.modelId,
                publisher: e.publisher,
                terms_id: e.termsId,
                content_root: e.params.contentRoot,
                manifest_digest: e.params.manifestDigest,
                num_chunks: e.params.numChunks,
                total_bytes: e.params.totalBytes,
                locations: e.params.locations,
                parent: e.params.parent,
                metadata_uri: e.params.metadataURI,
                bond: e.params.bond,
            })),
            E::VersionStatusChanged(e) => Event::VersionStatusChanged {
                version_id: e.versionId,
                status: VersionStatus::from_u8(e.status),
            },
            E::VersionRetired(e) => Event::VersionRetired {
                version_id: e.versionId,
                thaw_end: e.thawEnd.to(),
            },
            E::BondWithdrawn(e) => Event::BondWithdrawn {
                version_id: e.versionId,
                publisher: e.publisher,
                amount: e.amount,
            },
            E::BondSlashed(e) => Event::BondSlashed {
                version_id: e.versionId,
                amount: e.amount,
            },
        });
    }
    if address == contracts.curation {
        use CuriaCuration::CuriaCurationEvents as E;
        return Ok(match E::decode_raw_log(topics, data).map_err(bad)? {
            E::Signalled(e) => Event::Signalled {
                version_id: e.versionId,
                curator: e.curator,
                publisher: e.publisher,
                tokens: e.tokens,
                tax: e.tax,
                shares: e.shares,
            },
            E::Unsignalled(e) => Event::Unsignalled {
                version_id: e.versionId,
                curator: e.curator,
                shares: e.shares,
                thawing: e.thawing,
                thaw_end: e.thawEnd.to(),
            },
            E::Withdrawn(e) => Event::Withdrawn {
                version_id: e.versionId,
                curator: e.curator,
                nominal: e.nominal,
                amount: e.amount,
            },
            E::Rewarded(e) => Event::Rewarded {
                version_id: e.versionId,
                from: e.from,
                publisher: e.publisher,
                amount: e.amount,
                publisher_share: e.publisherShare,
                curator_share: e.curatorShare,
                acc_reward_per_share: e.accRewardPerShare,
            },
            E::RewardsSettled(e) => Event::RewardsSettled {
                version_id: e.versionId,
                curator: e.curator,
                amount: e.amount,
            },
            E::Claimed(e) => Event::CurationClaimed {
                account: e.account,
                amount: e.amount,
            },
            E::PoolSlashed(e) => Event::PoolSlashed {
                version_id: e.versionId,
                amount: e.amount,
                tokens_before: e.tokensBefore,
            },
        });
    }
    if address == contracts.challenges {
        use CuriaChallenges::CuriaChallengesEvents as E;
        return Ok(match E::decode_raw_log(topics, data).map_err(bad)? {
            E::ChallengeCommitted(e) => Event::ChallengeCommitted {
                commitment: e.commitment,
                challenger: e.challenger,
                reveal_deadline: e.revealDeadline.to(),
            },
            E::ChallengeOpened(e) => Event::ChallengeOpened(Box::new(Opened {
                challenge_id: challenge_id(e.challengeId)?,
                version_id: e.versionId,
                challenger: e.challenger,
                kind: ChallengeKind::from_u8(e.kind),
                bond: e.bond,
                publisher_bond: e.publisherBond,
                pool_snapshot: e.poolSnapshot,
                deadline: e.deadline.to(),
                terms_id: e.termsId,
                chunk_indices: e.chunkIndices,
                evidence_uri: e.evidenceURI,
            })),
            E::ChallengeAnswered(e) => Event::ChallengeAnswered {
                challenge_id: challenge_id(e.challengeId)?,
                version_id: e.versionId,
                responder: e.responder,
            },
            E::ChallengeRuled(e) => Event::ChallengeRuled {
                challenge_id: challenge_id(e.challengeId)?,
                version_id: e.versionId,
                arbitrator: e.arbitrator,
                ruling: e.ruling,
            },
            E::ChallengeSettled(e) => Event::ChallengeSettled(Box::new(Settled {
                challenge_id: challenge_id(e.challengeId)?,
                version_id: e.versionId,
                keeper: e.keeper,
                outcome: ChallengeStatus::from_u8(e.outcome),
                keeper_bounty: e.amounts.keeperBounty,
                challenger_payout: e.amounts.challengerPayout,
                responder_payout: e.amounts.responderPayout,
                curator_reward: e.amounts.curatorReward,
                publisher_slashed: e.amounts.publisherSlashed,
                curators_slashed: e.amounts.curatorsSlashed,
                burned: e.amounts.burned,
            })),
            E::Claimed(e) => Event::ChallengesClaimed {
                account: e.account,
                amount: e.amount,
            },
        });
    }
    if address == contracts.config {
        use CuriaConfig::CuriaConfigEvents as E;
        return Ok(match E::decode_raw_log(topics, data).map_err(bad)? {
            E::TermsUpdated(e) => Event::Config {
                name: "TermsUpdated",
                fields: json!({
                    "termsId": e.termsId,
                    "terms": terms_json(&e.terms),
                }),
            },
            E::Wired(e) => Event::Config {
                name: "Wired",
                fields: json!({
                    "registry": e.registry.to_checksum(None),
                    "curation": e.curation.to_checksum(None),
                    "challenges": e.challenges.to_checksum(None),
                }),
            },
            E::Paused(e) => Event::Config {
                name: "Paused",
                fields: json!({ "by": e.by.to_checksum(None) }),
            },
            E::Unpaused(e) => Event::Config {
                name: "Unpaused",
                fields: json!({ "by": e.by.to_checksum(None) }),
            },
            E::OwnershipTransferStarted(e) => Event::Config {
                name: "OwnershipTransferStarted",
                fields: json!({
                    "previousOwner": e.previousOwner.to_checksum(None),
                    "newOwner": e.newOwner.to_checksum(None),
                }),
            },
            E::OwnershipTransferred(e) => Event::Config {
                name: "OwnershipTransferred",
                fields: json!({
                    "previousOwner": e.previousOwner.to_checksum(None),
                    "newOwner": e.newOwner.to_checksum(None),
                }),
            },
        });
    }
    Err(IndexerError::Decode(format!(
        "log of {address}, which is not a Curia contract"
    )))
}

/// Decodes a log as the node returned it.
pub fn decode_log(contracts: &Contracts, log: &PrimitiveLog) -> Result<Event, IndexerError> {
    decode(contracts, log.address, log.data.topics(), &log.data.data)
}

fn challenge_id(id: U256) -> Result<u64, IndexerError> {
    u64::try_from(id)
        .map_err(|_| IndexerError::Decode(format!("challenge id {id} does not fit in 64 bits")))
}

fn terms_json(t: &curia_sdk::bindings::ICuriaConfig::Terms) -> Value {
    json!({
        "minPublisherBond": t.minPublisherBond.to_string(),
        "minChallengeBond": t.minChallengeBond.to_string(),
        "responseWindow": t.responseWindow,
        "rulingWindow": t.rulingWindow,
        "thawPeriod": t.thawPeriod,
        "revealWindow": t.revealWindow,
        "curationTaxBps": t.curationTaxBps,
        "rewardPublisherBps": t.rewardPublisherBps,
        "challengeBondBps": t.challengeBondBps,
        "curatorSlashBps": t.curatorSlashBps,
        "challengerRewardBps": t.challengerRewardBps,
        "keeperBountyBps": t.keeperBountyBps,
        "responderRewardBps": t.responderRewardBps,
        "loserBurnBps": t.loserBurnBps,
        "maxChallengeChunks": t.maxChallengeChunks,
        "arbitrator": t.arbitrator.to_checksum(None),
    })
}

/// An address as the API shows it: EIP-55 checksummed.
pub fn checksum(a: &Address) -> String {
    a.to_checksum(None)
}

struct Dec<'a>(&'a U256);

impl Serialize for Dec<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl Event {
    /// The event's name: the ABI name, except `CurationClaimed` and `ChallengesClaimed` (both `Claimed`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::ModelCreated { .. } => "ModelCreated",
            Event::ModelOwnershipTransferStarted { .. } => "ModelOwnershipTransferStarted",
            Event::ModelOwnershipTransferred { .. } => "ModelOwnershipTransferred",
            Event::VersionPublished(_) => "VersionPublished",
            Event::VersionStatusChanged { .. } => "VersionStatusChanged",
            Event::VersionRetired { .. } => "VersionRetired",
            Event::BondWithdrawn { .. } => "BondWithdrawn",
            Event::BondSlashed { .. } => "BondSlashed",
            Event::Signalled { .. } => "Signalled",
            Event::Unsignalled { .. } => "Unsignalled",
            Event::Withdrawn { .. } => "Withdrawn",
            Event::Rewarded { .. } => "Rewarded",
            Event::RewardsSettled { .. } => "RewardsSettled",
            Event::CurationClaimed { .. } => "CurationClaimed",
            Event::PoolSlashed { .. } => "PoolSlashed",
            Event::ChallengeCommitted { .. } => "ChallengeCommitted",
            Event::ChallengeOpened(_) => "ChallengeOpened",
            Event::ChallengeAnswered { .. } => "ChallengeAnswered",
            Event::ChallengeRuled { .. } => "ChallengeRuled",
            Event::ChallengeSettled(_) => "ChallengeSettled",
            Event::ChallengesClaimed { .. } => "ChallengesClaimed",
            Event::Config { name, .. } => name,
        }
    }

    /// The event's fields as the API shows them: camelCase names, amounts as decimal strings,
    /// addresses checksummed, ids and hashes 0x-hex.
    pub fn fields(&self) -> Value {
        let a = checksum;
        match self {
            Event::ModelCreated {
                model_id,
                owner,
                name,
                metadata_uri,
            } => {
                json!({"modelId": model_id, "owner": a(owner), "name": name, "metadataURI": metadata_uri})
            }
            Event::ModelOwnershipTransferStarted { model_id, from, to }
            | Event::ModelOwnershipTransferred { model_id, from, to } => {
                json!({"modelId": model_id, "from": a(from), "to": a(to)})
            }
            Event::VersionPublished(p) => json!({
                "versionId": p.version_id, "modelId": p.model_id, "publisher": a(&p.publisher),
                "termsId": p.terms_id, "contentRoot": p.content_root, "manifestDigest": p.manifest_digest,
                "numChunks": p.num_chunks, "totalBytes": p.total_bytes, "locations": p.locations,
                "parent": p.parent, "metadataURI": p.metadata_uri, "bond": Dec(&p.bond),
            }),
            Event::VersionStatusChanged { version_id, status } => {
                json!({"versionId": version_id, "status": status.as_str()})
            }
            Event::VersionRetired {
                version_id,
                thaw_end,
            } => json!({"versionId": version_id, "thawEnd": thaw_end}),
            Event::BondWithdrawn {
                version_id,
                publisher,
                amount,
            } => {
                json!({"versionId": version_id, "publisher": a(publisher), "amount": Dec(amount)})
            }
            Event::BondSlashed { version_id, amount } => {
                json!({"versionId": version_id, "amount": Dec(amount)})
            }
            Event::Signalled {
                version_id,
                curator,
                publisher,
                tokens,
                tax,
                shares,
            } => json!({
                "versionId": version_id, "curator": a(curator), "publisher": a(publisher),
                "tokens": Dec(tokens), "tax": Dec(tax), "shares": Dec(shares),
            }),
            Event::Unsignalled {
                version_id,
                curator,
                shares,
                thawing,
                thaw_end,
            } => json!({
                "versionId": version_id, "curator": a(curator), "shares": Dec(shares),
                "thawing": Dec(thawing), "thawEnd": thaw_end,
            }),
            Event::Withdrawn {
                version_id,
                curator,
                nominal,
                amount,
            } => json!({
                "versionId": version_id, "curator": a(curator), "nominal": Dec(nominal), "amount": Dec(amount),
            }),
            Event::Rewarded {
                version_id,
                from,
                publisher,
                amount,
                publisher_share,
                curator_share,
                acc_reward_per_share,
            } => json!({
                "versionId": version_id, "from": a(from), "publisher": a(publisher), "amount": Dec(amount),
                "publisherShare": Dec(publisher_share), "curatorShare": Dec(curator_share),
                "accRewardPerShare": Dec(acc_reward_per_share),
            }),
            Event::RewardsSettled {
                version_id,
                curator,
                amount,
            } => {
                json!({"versionId": version_id, "curator": a(curator), "amount": Dec(amount)})
            }
            Event::CurationClaimed { account, amount }
            | Event::ChallengesClaimed { account, amount } => {
                json!({"account": a(account), "amount": Dec(amount)})
            }
            Event::PoolSlashed {
                version_id,
                amount,
                tokens_before,
            } => {
                json!({"versionId": version_id, "amount": Dec(amount), "tokensBefore": Dec(tokens_before)})
            }
            Event::ChallengeCommitted {
                commitment,
                challenger,
                reveal_deadline,
            } => {
                json!({"commitment": commitment, "challenger": a(challenger), "revealDeadline": reveal_deadline})
            }
            Event::ChallengeOpened(o) => json!({
                "challengeId": o.challenge_id, "versionId": o.version_id, "challenger": a(&o.challenger),
                "kind": o.kind.as_str(), "bond": Dec(&o.bond), "publisherBond": Dec(&o.publisher_bond),
                "poolSnapshot": Dec(&o.pool_snapshot), "deadline": o.deadline, "termsId": o.terms_id,
                "chunkIndices": o.chunk_indices, "evidenceURI": o.evidence_uri,
            }),
            Event::ChallengeAnswered {
                challenge_id,
                version_id,
                responder,
            } => {
                json!({"challengeId": challenge_id, "versionId": version_id, "responder": a(responder)})
            }
            Event::ChallengeRuled {
                challenge_id,
                version_id,
                arbitrator,
                ruling,
            } => json!({
                "challengeId": challenge_id, "versionId": version_id, "arbitrator": a(arbitrator),
                "ruling": ruling_name(*ruling),
            }),
            Event::ChallengeSettled(s) => json!({
                "challengeId": s.challenge_id, "versionId": s.version_id, "keeper": a(&s.keeper),
                "outcome": s.outcome.as_str(), "amounts": settlement_json(s),
            }),
            Event::Config { fields, .. } => fields.clone(),
        }
    }
}

/// The amounts of a settlement as the API shows them.
pub fn settlement_json(s: &Settled) -> Value {
    json!({
        "keeperBounty": Dec(&s.keeper_bounty),
        "challengerPayout": Dec(&s.challenger_payout),
        "responderPayout": Dec(&s.responder_payout),
        "curatorReward": Dec(&s.curator_reward),
        "publisherSlashed": Dec(&s.publisher_slashed),
        "curatorsSlashed": Dec(&s.curators_slashed),
        "burned": Dec(&s.burned),
    })
}

/// `"None"`, `"Upheld"` or `"Rejected"` (`ICuriaChallenges.Ruling`).
pub fn ruling_name(r: u8) -> &'static str {
    match r {
        1 => "Upheld",
        2 => "Rejected",
        _ => "None",
    }
}
