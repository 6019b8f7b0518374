//! Where the keeper finds the challenges to look at: the chain's events, or the indexer's
//! database. Either is only a to-do list: every challenge is confirmed on chain (by simulating
//! the call) before anything is sent.

use std::collections::BTreeMap;

use alloy::primitives::{B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use curia_indexer::Store;
use curia_sdk::bindings::CuriaChallenges;
use curia_sdk::{ChallengeKind, ChallengeStatus};
use sqlx::Row;
use tracing::debug;

use crate::error::{KeeperError, Result};

/// Where the keeper finds unsettled challenges.
#[derive(Clone, Debug, Default)]
pub enum Source {
    /// Scans the `ChallengeOpened`, `ChallengeAnswered`, `ChallengeRuled` and `ChallengeSettled`
    /// events of CuriaChallenges from the deployment block, incrementally, in bounded ranges.
    #[default]
    Chain,
    /// Reads the unsettled challenges from the indexer's database (kept up to date by
    /// `curia index`): no log scanning of its own.
    Store(Store),
}

/// An unsettled challenge as the source knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The challenge id.
    pub challenge_id: U256,
    /// The challenged version.
    pub version_id: B256,
    /// Availability or dispute.
    pub kind: ChallengeKind,
    /// Open, Answered, RuledUpheld or RuledRejected.
    pub status: ChallengeStatus,
    /// The deadline (unix seconds).
    pub deadline: u64,
}

impl Candidate {
    /// Whether the contract accepts `settle` in a block with timestamp `block_time`: answered
    /// or ruled at any time, open only once `block_time > deadline` (CuriaChallenges' `_outcomeOf`).
    pub fn settleable_at(&self, block_time: u64) -> bool {
        match self.status {
            ChallengeStatus::Answered
            | ChallengeStatus::RuledUpheld
            | ChallengeStatus::RuledRejected => true,
            ChallengeStatus::Open => block_time > self.deadline,
            _ => false,
        }
    }
}

/// The incremental event scan of [`Source::Chain`].
#[derive(Debug)]
pub(crate) struct ChainScan {
    next_block: u64,
    range: u64,
    open: BTreeMap<U256, Candidate>,
}

impl ChainScan {
    pub(crate) fn new(from_block: u64, range: u64) -> Self {
        ChainScan {
            next_block: from_block,
            range: range.max(1),
            open: BTreeMap::new(),
        }
    }

    /// Reads the events up to `head` and returns the unsettled challenges.
    pub(crate) async fn refresh(
        &mut self,
        provider: &DynProvider,
        challenges: alloy::primitives::Address,
        head: u64,
    ) -> Result<Vec<Candidate>> {
        while self.next_block <= head {
            let to = head.min(self.next_block.saturating_add(self.range - 1));
            let filter = Filter::new()
                .address(challenges)
                .event_signature(vec![
                    CuriaChallenges::ChallengeOpened::SIGNATURE_HASH,
                    CuriaChallenges::ChallengeAnswered::SIGNATURE_HASH,
                    CuriaChallenges::ChallengeRuled::SIGNATURE_HASH,
                    CuriaChallenges::ChallengeSettled::SIGNATURE_HASH,
                ])
                .from_block(self.next_block)
                .to_block(to);
            let logs = provider.get_logs(&filter).await.map_err(|e| {
                KeeperError::rpc(
                    &format!("reading challenge events {}..={to}", self.next_block),
                    e,
                )
            })?;
            for log in &logs {
                self.apply(log.topic0().copied(), log.data());
            }
            debug!(from = self.next_block, to, logs = logs.len(), "scanned");
            self.next_block = to + 1;
        }
        Ok(self.open.values().cloned().collect())
    }

    fn apply(&mut self, topic0: Option<B256>, data: &alloy::primitives::LogData) {
        use CuriaChallenges::*;
        match topic0 {
            Some(ChallengeOpened::SIGNATURE_HASH) => {
                if let Ok(e) = ChallengeOpened::decode_log_data(data) {
                    self.open.insert(
                        e.challengeId,
                        Candidate {
                            challenge_id: e.challengeId,
                            version_id: e.versionId,
                            kind: ChallengeKind::from_u8(e.kind),
                            status: ChallengeStatus::Open,
                            deadline: e.deadline.to::<u64>(),
                        },
                    );
                }
            }
            Some(ChallengeAnswered::SIGNATURE_HASH) => {
                if let Ok(e) = ChallengeAnswered::decode_log_data(data) {
                    if let Some(c) = self.open.get_mut(&e.challengeId) {
                        c.status = ChallengeStatus::Answered;
                    }
                }
            }
            Some(ChallengeRuled::SIGNATURE_HASH) => {
                if let Ok(e) = ChallengeRuled::decode_log_data(data) {
                    if let Some(c) = self.open.get_mut(&e.challengeId) {
                        c.status = if e.ruling == 1 {
                            ChallengeStatus::RuledUpheld
                        } else {
                            ChallengeStatus::RuledRejected
                        };
                    }
                }
            }
            Some(ChallengeSettled::SIGNATURE_HASH) => {
                if let Ok(e) = ChallengeSettled::decode_log_data(data) {
                    self.open.remove(&e.challengeId);
                }
            }
            _ => {}
        }
    }
}

/// The unsettled challenges in the indexer's database, by deadline.
pub(crate) async fn from_store(store: &Store) -> Result<Vec<Candidate>> {
    let rows = sqlx::query(
        "SELECT challenge_id, version_id, kind, status, deadline FROM challenges \
         WHERE status IN ('Open', 'Answered', 'RuledUpheld', 'RuledRejected') \
         ORDER BY deadline, challenge_id",
    )
    .fetch_all(store.pool())
    .await
    .map_err(|e| KeeperError::Store(e.to_string()))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let bad = |what: &str| KeeperError::Store(format!("unexpected stored {what}"));
        let id: i64 = r
            .try_get("challenge_id")
            .map_err(|e| KeeperError::Store(e.to_string()))?;
        let version: String = r
            .try_get("version_id")
            .map_err(|e| KeeperError::Store(e.to_string()))?;
        let kind: String = r
            .try_get("kind")
            .map_err(|e| KeeperError::Store(e.to_string()))?;
        let status: String = r
            .try_get("status")
            .map_err(|e| KeeperError::Store(e.to_string()))?;
        let deadline: i64 = r
            .try_get("deadline")
            .map_err(|e| KeeperError::Store(e.to_string()))?;
        let status = match status.as_str() {
            "Open" => ChallengeStatus::Open,
            "Answered" => ChallengeStatus::Answered,
            "RuledUpheld" => ChallengeStatus::RuledUpheld,
            "RuledRejected" => ChallengeStatus::RuledRejected,
            _ => return Err(bad("challenge status")),
        };
        out.push(Candidate {
            challenge_id: U256::from(u64::try_from(id).map_err(|_| bad("challenge id"))?),
            version_id: version.parse().map_err(|_| bad("version id"))?,
            kind: if kind == "Dispute" {
                ChallengeKind::Dispute
            } else {
                ChallengeKind::Availability
            },
            status,
            deadline: u64::try_from(deadline).map_err(|_| bad("deadline"))?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settleable_mirrors_the_contract() {
        let mut c = Candidate {
            challenge_id: U256::from(1),
            version_id: B256::ZERO,
            kind: ChallengeKind::Availability,
            status: ChallengeStatus::Open,
            deadline: 100,
        };
        assert!(!c.settleable_at(99));
        assert!(!c.settleable_at(100));
        assert!(c.settleable_at(101));
        c.status = ChallengeStatus::Answered;
        assert!(c.settleable_at(0));
        c.status = ChallengeStatus::Upheld;
        assert!(!c.settleable_at(1000));
    }
}
