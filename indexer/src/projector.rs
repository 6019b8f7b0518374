//! How each event changes the projections: models, versions (with their curator pool), positions,
//! challenges and accounts.
//!
//! The projector mirrors the contracts' storage from their events alone: every amount it keeps is one the
//! events state (`Signalled.shares`, `Unsignalled.thawing`, `Rewarded.accRewardPerShare`, …), so no
//! arithmetic of the contracts is re-implemented except sums. Rows are loaded once per batch, changed in
//! memory, and written back at [`Projector::flush`], inside the batch's transaction.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use alloy::primitives::{Address, B256, U256};
use curia_sdk::{ChallengeStatus, VersionStatus};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::decode::{settlement_json, Event};
use crate::error::{IndexerError, Result};
use crate::journal::{self, Cell};
use crate::store::{
    address_to_db, amount_from_db, amount_to_db, b256_to_db, parse_address, to_i64, to_u64,
    StoredLog,
};

/// A model row.
#[derive(Clone, Debug)]
struct Model {
    owner: Address,
    pending_owner: Option<Address>,
    name: String,
    metadata_uri: String,
    versions: u64,
    created_block: u64,
    created_at: Option<u64>,
}

/// A version row, with its curator pool.
#[derive(Clone, Debug)]
struct Version {
    model_id: B256,
    publisher: Address,
    status: VersionStatus,
    terms_id: u32,
    content_root: B256,
    manifest_digest: B256,
    num_chunks: u64,
    total_bytes: u64,
    locations: String,
    parent: Option<B256>,
    metadata_uri: String,
    bond: U256,
    bond_thaw_end: u64,
    shares: U256,
    thawing: U256,
    stake: U256,
    reward_reserve: U256,
    acc: U256,
    slash_numerator: U256,
    slash_denominator: U256,
    curators: u64,
    rewards_total: U256,
    open_challenge: Option<u64>,
    published_block: u64,
    published_at: Option<u64>,
}

impl Version {
    /// The pool's stake as `CuriaCuration.stakeOf` computes it: nominal until a slash, the residual after.
    fn restake(&mut self) {
        if self.slash_denominator.is_zero() {
            self.stake = self.shares + self.thawing;
        }
    }
}

/// A curator's position in a version's pool.
#[derive(Clone, Debug, Default)]
struct Position {
    shares: U256,
    thawing: U256,
    thaw_end: u64,
    acc_snapshot: U256,
    signalled: U256,
    rewards: U256,
    updated_block: u64,
}

/// A challenge row.
#[derive(Clone, Debug)]
struct Challenge {
    version_id: B256,
    challenger: Address,
    kind: &'static str,
    status: ChallengeStatus,
    terms_id: u32,
    deadline: u64,
    bond: U256,
    publisher_bond: U256,
    pool_snapshot: U256,
    chunk_indices: String,
    evidence_uri: String,
    responder: Option<Address>,
    arbitrator: Option<Address>,
    settlement: Option<String>,
    keeper: Option<Address>,
    opened_block: u64,
    opened_at: Option<u64>,
    settled_block: Option<u64>,
}

/// An account: curation totals and what the contracts owe it.
#[derive(Clone, Debug, Default)]
struct Account {
    stake: U256,
    positions: u64,
    rewards_earned: U256,
    curation_claimable: U256,
    challenges_claimable: U256,
    claimed: U256,
}

/// Applies events to the projections of one batch (see the module documentation).
#[derive(Debug, Default)]
pub struct Projector {
    /// The batch (its first block) whose prior row images go to the undo journal, if journaled.
    journal: Option<u64>,
    models: HashMap<B256, Model>,
    versions: HashMap<B256, Version>,
    positions: HashMap<(B256, Address), Position>,
    challenges: HashMap<u64, Challenge>,
    accounts: HashMap<Address, Account>,
}

fn missing(what: &str, id: impl std::fmt::Display) -> IndexerError {
    IndexerError::Inconsistent(format!(
        "an event refers to {what} {id}, which no earlier event created (is the deployment block right?)"
    ))
}

fn get_amount(r: &AnyRow, col: &str) -> Result<U256> {
    amount_from_db(&r.try_get::<String, _>(col)?)
}

fn get_b256(r: &AnyRow, col: &str) -> Result<B256> {
    crate::store::parse_b256(&r.try_get::<String, _>(col)?)
}

fn get_u64(r: &AnyRow, col: &str) -> Result<u64> {
    to_u64(r.try_get::<i64, _>(col)?)
}

fn get_opt_u64(r: &AnyRow, col: &str) -> Result<Option<u64>> {
    r.try_get::<Option<i64>, _>(col)?.map(to_u64).transpose()
}

fn get_opt_address(r: &AnyRow, col: &str) -> Result<Option<Address>> {
    r.try_get::<Option<String>, _>(col)?
        .as_deref()
        .map(parse_address)
        .transpose()
}

fn version_status(s: &str) -> Result<VersionStatus> {
    Ok(match s {
        "Active" => VersionStatus::Active,
        "Challenged" => VersionStatus::Challenged,
        "Slashed" => VersionStatus::Slashed,
        "Retired" => VersionStatus::Retired,
        other => {
            return Err(IndexerError::Inconsistent(format!(
                "stored version status '{other}'"
            )))
        }
    })
}

fn challenge_status(s: &str) -> Result<ChallengeStatus> {
    (0u8..=7)
        .map(ChallengeStatus::from_u8)
        .find(|st| st.as_str() == s && *st != ChallengeStatus::None)
        .ok_or_else(|| IndexerError::Inconsistent(format!("stored challenge status '{s}'")))
}

fn u32_of(v: u64) -> Result<u32> {
    u32::try_from(v).map_err(|_| IndexerError::Inconsistent(format!("stored terms id {v}")))
}

impl Projector {
    /// A projector whose [`Projector::flush`] first saves each row's prior image in the undo journal under
    /// batch `first_block` (see `journal.rs`).
    pub fn journaled(first_block: u64) -> Self {
        Self {
            journal: Some(first_block),
            ..Self::default()
        }
    }

    async fn model(&mut self, conn: &mut AnyConnection, id: B256) -> Result<&mut Model> {
        let entry = match self.models.entry(id) {
            Entry::Occupied(e) => return Ok(e.into_mut()),
            Entry::Vacant(e) => e,
        };
        {
            let row = sqlx::query("SELECT * FROM models WHERE model_id = $1")
                .bind(b256_to_db(&id))
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| missing("model", id))?;
            let m = Model {
                owner: parse_address(&row.try_get::<String, _>("owner")?)?,
                pending_owner: get_opt_address(&row, "pending_owner")?,
                name: row.try_get("name")?,
                metadata_uri: row.try_get("metadata_uri")?,
                versions: get_u64(&row, "versions")?,
                created_block: get_u64(&row, "created_block")?,
                created_at: get_opt_u64(&row, "created_at")?,
            };
            Ok(entry.insert(m))
        }
    }

    async fn version(&mut self, conn: &mut AnyConnection, id: B256) -> Result<&mut Version> {
        let entry = match self.versions.entry(id) {
            Entry::Occupied(e) => return Ok(e.into_mut()),
            Entry::Vacant(e) => e,
        };
        {
            let r = sqlx::query("SELECT * FROM versions WHERE version_id = $1")
                .bind(b256_to_db(&id))
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| missing("version", id))?;
            let v = Version {
                model_id: get_b256(&r, "model_id")?,
                publisher: parse_address(&r.try_get::<String, _>("publisher")?)?,
                status: version_status(&r.try_get::<String, _>("status")?)?,
                terms_id: u32_of(get_u64(&r, "terms_id")?)?,
                content_root: get_b256(&r, "content_root")?,
                manifest_digest: get_b256(&r, "manifest_digest")?,
                num_chunks: get_u64(&r, "num_chunks")?,
                total_bytes: get_u64(&r, "total_bytes")?,
                locations: r.try_get("locations")?,
                parent: r
                    .try_get::<Option<String>, _>("parent")?
                    .as_deref()
                    .map(crate::store::parse_b256)
                    .transpose()?,
                metadata_uri: r.try_get("metadata_uri")?,
                bond: get_amount(&r, "bond")?,
                bond_thaw_end: get_u64(&r, "bond_thaw_end")?,
                shares: get_amount(&r, "shares")?,
                thawing: get_amount(&r, "thawing")?,
                stake: get_amount(&r, "stake")?,
                reward_reserve: get_amount(&r, "reward_reserve")?,
                acc: get_amount(&r, "acc_reward_per_share")?,
                slash_numerator: get_amount(&r, "slash_numerator")?,
                slash_denominator: get_amount(&r, "slash_denominator")?,
                curators: get_u64(&r, "curators")?,
                rewards_total: get_amount(&r, "rewards_total")?,
                open_challenge: get_opt_u64(&r, "open_challenge")?,
                published_block: get_u64(&r, "published_block")?,
                published_at: get_opt_u64(&r, "published_at")?,
            };
            Ok(entry.insert(v))
        }
    }

    async fn position(
        &mut self,
        conn: &mut AnyConnection,
        v: B256,
        c: Address,
    ) -> Result<&mut Position> {
        let entry = match self.positions.entry((v, c)) {
            Entry::Occupied(e) => return Ok(e.into_mut()),
            Entry::Vacant(e) => e,
        };
        {
            let row = sqlx::query("SELECT * FROM positions WHERE version_id = $1 AND curator = $2")
                .bind(b256_to_db(&v))
                .bind(address_to_db(&c))
                .fetch_optional(&mut *conn)
                .await?;
            let p = match row {
                None => Position::default(),
                Some(r) => Position {
                    shares: get_amount(&r, "shares")?,
                    thawing: get_amount(&r, "thawing")?,
                    thaw_end: get_u64(&r, "thaw_end")?,
                    acc_snapshot: get_amount(&r, "acc_snapshot")?,
                    signalled: get_amount(&r, "signalled")?,
                    rewards: get_amount(&r, "rewards")?,
                    updated_block: get_u64(&r, "updated_block")?,
                },
            };
            Ok(entry.insert(p))
        }
    }

    async fn challenge(&mut self, conn: &mut AnyConnection, id: u64) -> Result<&mut Challenge> {
        let entry = match self.challenges.entry(id) {
            Entry::Occupied(e) => return Ok(e.into_mut()),
            Entry::Vacant(e) => e,
        };
        {
            let r = sqlx::query("SELECT * FROM challenges WHERE challenge_id = $1")
                .bind(to_i64(id)?)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| missing("challenge", id))?;
            let kind = match r.try_get::<String, _>("kind")?.as_str() {
                "Availability" => "Availability",
                "Dispute" => "Dispute",
                other => {
                    return Err(IndexerError::Inconsistent(format!(
                        "stored challenge kind '{other}'"
                    )))
                }
            };
            let c = Challenge {
                version_id: get_b256(&r, "version_id")?,
                challenger: parse_address(&r.try_get::<String, _>("challenger")?)?,
                kind,
                status: challenge_status(&r.try_get::<String, _>("status")?)?,
                terms_id: u32_of(get_u64(&r, "terms_id")?)?,
                deadline: get_u64(&r, "deadline")?,
                bond: get_amount(&r, "bond")?,
                publisher_bond: get_amount(&r, "publisher_bond")?,
                pool_snapshot: get_amount(&r, "pool_snapshot")?,
                chunk_indices: r.try_get("chunk_indices")?,
                evidence_uri: r.try_get("evidence_uri")?,
                responder: get_opt_address(&r, "responder")?,
                arbitrator: get_opt_address(&r, "arbitrator")?,
                settlement: r.try_get("settlement")?,
                keeper: get_opt_address(&r, "keeper")?,
                opened_block: get_u64(&r, "opened_block")?,
                opened_at: get_opt_u64(&r, "opened_at")?,
                settled_block: get_opt_u64(&r, "settled_block")?,
            };
            Ok(entry.insert(c))
        }
    }

    async fn account(&mut self, conn: &mut AnyConnection, a: Address) -> Result<&mut Account> {
        let entry = match self.accounts.entry(a) {
            Entry::Occupied(e) => return Ok(e.into_mut()),
            Entry::Vacant(e) => e,
        };
        {
            let row = sqlx::query("SELECT * FROM accounts WHERE account = $1")
                .bind(address_to_db(&a))
                .fetch_optional(&mut *conn)
                .await?;
            let acc = match row {
                None => Account::default(),
                Some(r) => Account {
                    stake: get_amount(&r, "stake")?,
                    positions: get_u64(&r, "positions")?,
                    rewards_earned: get_amount(&r, "rewards_earned")?,
                    curation_claimable: get_amount(&r, "curation_claimable")?,
                    challenges_claimable: get_amount(&r, "challenges_claimable")?,
                    claimed: get_amount(&r, "claimed")?,
                },
            };
            Ok(entry.insert(acc))
        }
    }

    /// Changes active shares of `(version, curator)` by `delta_in` / `delta_out`, keeping the counts of
    /// curators per version and positions per account.
    async fn move_shares(
        &mut self,
        conn: &mut AnyConnection,
        version_id: B256,
        curator: Address,
        added: U256,
        removed: U256,
        block: u64,
    ) -> Result<()> {
        let acc = self.version(conn, version_id).await?.acc;
        let pos = self.position(conn, version_id, curator).await?;
        let before = pos.shares;
        pos.shares = (pos.shares + added).checked_sub(removed).ok_or_else(|| {
            IndexerError::Inconsistent(format!("curator {curator} unsignals more than it holds"))
        })?;
        pos.acc_snapshot = acc;
        pos.updated_block = block;
        let after = pos.shares;
        let was = !before.is_zero();
        let is = !after.is_zero();
        let v = self.version(conn, version_id).await?;
        v.shares = (v.shares + added).saturating_sub(removed);
        match (was, is) {
            (false, true) => v.curators += 1,
            (true, false) => v.curators = v.curators.saturating_sub(1),
            _ => {}
        }
        let a = self.account(conn, curator).await?;
        a.stake = (a.stake + added).saturating_sub(removed);
        match (was, is) {
            (false, true) => a.positions += 1,
            (true, false) => a.positions = a.positions.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    /// Applies one event.
    pub async fn apply(&mut self, conn: &mut AnyConnection, log: &StoredLog) -> Result<()> {
        let block = log.block_number;
        match &log.event {
            Event::ModelCreated {
                model_id,
                owner,
                name,
                metadata_uri,
            } => {
                self.models.insert(
                    *model_id,
                    Model {
                        owner: *owner,
                        pending_owner: None,
                        name: name.clone(),
                        metadata_uri: metadata_uri.clone(),
                        versions: 0,
                        created_block: block,
                        created_at: log.block_time,
                    },
                );
            }
            Event::ModelOwnershipTransferStarted { model_id, to, .. } => {
                self.model(conn, *model_id).await?.pending_owner = Some(*to);
            }
            Event::ModelOwnershipTransferred { model_id, to, .. } => {
                let m = self.model(conn, *model_id).await?;
                m.owner = *to;
                m.pending_owner = None;
            }
            Event::VersionPublished(p) => {
                self.model(conn, p.model_id).await?.versions += 1;
                self.versions.insert(
                    p.version_id,
                    Version {
                        model_id: p.model_id,
                        publisher: p.publisher,
                        status: VersionStatus::Active,
                        terms_id: p.terms_id,
                        content_root: p.content_root,
                        manifest_digest: p.manifest_digest,
                        num_chunks: p.num_chunks,
                        total_bytes: p.total_bytes,
                        locations: json!(p.locations).to_string(),
                        parent: (!p.parent.is_zero()).then_some(p.parent),
                        metadata_uri: p.metadata_uri.clone(),
                        bond: p.bond,
                        bond_thaw_end: 0,
                        shares: U256::ZERO,
                        thawing: U256::ZERO,
                        stake: U256::ZERO,
                        reward_reserve: U256::ZERO,
                        acc: U256::ZERO,
                        slash_numerator: U256::ZERO,
                        slash_denominator: U256::ZERO,
                        curators: 0,
                        rewards_total: U256::ZERO,
                        open_challenge: None,
                        published_block: block,
                        published_at: log.block_time,
                    },
                );
            }
            Event::VersionStatusChanged { version_id, status } => {
                self.version(conn, *version_id).await?.status = *status;
            }
            Event::VersionRetired {
                version_id,
                thaw_end,
            } => {
                self.version(conn, *version_id).await?.bond_thaw_end = *thaw_end;
            }
            Event::BondWithdrawn { version_id, .. } | Event::BondSlashed { version_id, .. } => {
                self.version(conn, *version_id).await?.bond = U256::ZERO;
            }
            Event::Signalled {
                version_id,
                curator,
                publisher,
                tokens,
                tax,
                shares,
            } => {
                self.move_shares(conn, *version_id, *curator, *shares, U256::ZERO, block)
                    .await?;
                self.position(conn, *version_id, *curator).await?.signalled += *tokens;
                self.version(conn, *version_id).await?.restake();
                self.account(conn, *publisher).await?.curation_claimable += *tax;
            }
            Event::Unsignalled {
                version_id,
                curator,
                shares,
                thawing,
                thaw_end,
            } => {
                self.move_shares(conn, *version_id, *curator, U256::ZERO, *shares, block)
                    .await?;
                let pos = self.position(conn, *version_id, *curator).await?;
                pos.thawing = *thawing;
                pos.thaw_end = *thaw_end;
                let v = self.version(conn, *version_id).await?;
                v.thawing += *shares;
                v.restake();
            }
            Event::Withdrawn {
                version_id,
                curator,
                nominal,
                amount,
            } => {
                let pos = self.position(conn, *version_id, *curator).await?;
                pos.thawing = U256::ZERO;
                pos.thaw_end = 0;
                pos.updated_block = block;
                let v = self.version(conn, *version_id).await?;
                v.thawing = v.thawing.saturating_sub(*nominal);
                if v.slash_denominator.is_zero() {
                    v.restake();
                } else {
                    v.stake = v.stake.saturating_sub(*amount);
                }
            }
            Event::Rewarded {
                version_id,
                publisher,
                amount,
                publisher_share,
                curator_share,
                acc_reward_per_share,
                ..
            } => {
                let v = self.version(conn, *version_id).await?;
                v.acc = *acc_reward_per_share;
                v.reward_reserve += *curator_share;
                v.rewards_total += *amount;
                self.account(conn, *publisher).await?.curation_claimable += *publisher_share;
            }
            Event::RewardsSettled {
                version_id,
                curator,
                amount,
            } => {
                let v = self.version(conn, *version_id).await?;
                v.reward_reserve = v.reward_reserve.saturating_sub(*amount);
                let acc = v.acc;
                let pos = self.position(conn, *version_id, *curator).await?;
                pos.rewards += *amount;
                pos.acc_snapshot = acc;
                let a = self.account(conn, *curator).await?;
                a.curation_claimable += *amount;
                a.rewards_earned += *amount;
            }
            Event::CurationClaimed { account, amount } => {
                let a = self.account(conn, *account).await?;
                a.curation_claimable = U256::ZERO;
                a.claimed += *amount;
            }
            Event::PoolSlashed {
                version_id,
                amount,
                tokens_before,
            } => {
                let v = self.version(conn, *version_id).await?;
                let left = tokens_before.saturating_sub(*amount);
                v.slash_numerator = left;
                v.slash_denominator = *tokens_before;
                v.stake = left;
            }
            Event::ChallengeCommitted { .. } | Event::Config { .. } => {}
            Event::ChallengeOpened(o) => {
                self.version(conn, o.version_id).await?.open_challenge = Some(o.challenge_id);
                self.challenges.insert(
                    o.challenge_id,
                    Challenge {
                        version_id: o.version_id,
                        challenger: o.challenger,
                        kind: o.kind.as_str(),
                        status: ChallengeStatus::Open,
                        terms_id: o.terms_id,
                        deadline: o.deadline,
                        bond: o.bond,
                        publisher_bond: o.publisher_bond,
                        pool_snapshot: o.pool_snapshot,
                        chunk_indices: json!(o.chunk_indices).to_string(),
                        evidence_uri: o.evidence_uri.clone(),
                        responder: None,
                        arbitrator: None,
                        settlement: None,
                        keeper: None,
                        opened_block: block,
                        opened_at: log.block_time,
                        settled_block: None,
                    },
                );
            }
            Event::ChallengeAnswered {
                challenge_id,
                responder,
                ..
            } => {
                let c = self.challenge(conn, *challenge_id).await?;
                c.status = ChallengeStatus::Answered;
                c.responder = Some(*responder);
            }
            Event::ChallengeRuled {
                challenge_id,
                arbitrator,
                ruling,
                ..
            } => {
                let c = self.challenge(conn, *challenge_id).await?;
                c.arbitrator = Some(*arbitrator);
                c.status = match ruling {
                    1 => ChallengeStatus::RuledUpheld,
                    2 => ChallengeStatus::RuledRejected,
                    _ => c.status,
                };
            }
            Event::ChallengeSettled(s) => {
                let c = self.challenge(conn, s.challenge_id).await?;
                c.status = s.outcome;
                c.settlement = Some(settlement_json(s).to_string());
                c.keeper = Some(s.keeper);
                c.settled_block = Some(block);
                let (challenger, responder) = (c.challenger, c.responder);
                let v = self.version(conn, s.version_id).await?;
                if v.open_challenge == Some(s.challenge_id) {
                    v.open_challenge = None;
                }
                if !s.keeper_bounty.is_zero() {
                    self.account(conn, s.keeper).await?.challenges_claimable += s.keeper_bounty;
                }
                if !s.challenger_payout.is_zero() {
                    self.account(conn, challenger).await?.challenges_claimable +=
                        s.challenger_payout;
                }
                if !s.responder_payout.is_zero() {
                    let r = responder.ok_or_else(|| {
                        IndexerError::Inconsistent(format!(
                            "challenge {} pays a responder it never had",
                            s.challenge_id
                        ))
                    })?;
                    self.account(conn, r).await?.challenges_claimable += s.responder_payout;
                }
            }
            Event::ChallengesClaimed { account, amount } => {
                let a = self.account(conn, *account).await?;
                a.challenges_claimable = U256::ZERO;
                a.claimed += *amount;
            }
        }
        Ok(())
    }

    /// Writes every row loaded or changed since the last flush, and forgets them.
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<()> {
        let journal = self.journal;
        for (id, m) in self.models.drain() {
            if let Some(batch) = journal {
                let key = [("model_id", Cell::Text(b256_to_db(&id)))];
                journal::save(conn, batch, "models", &key).await?;
            }
            sqlx::query(
                "INSERT INTO models (model_id, owner, pending_owner, name, metadata_uri, versions, created_block, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (model_id) DO UPDATE SET owner = excluded.owner, \
                 pending_owner = excluded.pending_owner, versions = excluded.versions",
            )
            .bind(b256_to_db(&id))
            .bind(address_to_db(&m.owner))
            .bind(m.pending_owner.as_ref().map(address_to_db))
            .bind(m.name)
            .bind(m.metadata_uri)
            .bind(to_i64(m.versions)?)
            .bind(to_i64(m.created_block)?)
            .bind(m.created_at.map(to_i64).transpose()?)
            .execute(&mut *conn)
            .await?;
        }
        for (id, v) in self.versions.drain() {
            if let Some(batch) = journal {
                let key = [("version_id", Cell::Text(b256_to_db(&id)))];
                journal::save(conn, batch, "versions", &key).await?;
            }
            sqlx::query(
                "INSERT INTO versions (version_id, model_id, publisher, status, terms_id, content_root, manifest_digest, \
                 num_chunks, total_bytes, locations, parent, metadata_uri, bond, bond_thaw_end, shares, thawing, stake, \
                 reward_reserve, acc_reward_per_share, slash_numerator, slash_denominator, curators, rewards_total, \
                 open_challenge, published_block, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) ON CONFLICT (version_id) DO \
                 UPDATE SET status = excluded.status, bond = excluded.bond, bond_thaw_end = excluded.bond_thaw_end, \
                 shares = excluded.shares, thawing = excluded.thawing, stake = excluded.stake, \
                 reward_reserve = excluded.reward_reserve, acc_reward_per_share = excluded.acc_reward_per_share, \
                 slash_numerator = excluded.slash_numerator, slash_denominator = excluded.slash_denominator, \
                 curators = excluded.curators, rewards_total = excluded.rewards_total, \
                 open_challenge = excluded.open_challenge",
            )
            .bind(b256_to_db(&id))
            .bind(b256_to_db(&v.model_id))
            .bind(address_to_db(&v.publisher))
            .bind(v.status.as_str())
            .bind(i64::from(v.terms_id))
            .bind(b256_to_db(&v.content_root))
            .bind(b256_to_db(&v.manifest_digest))
            .bind(to_i64(v.num_chunks)?)
            .bind(to_i64(v.total_bytes)?)
            .bind(v.locations)
            .bind(v.parent.as_ref().map(b256_to_db))
            .bind(v.metadata_uri)
            .bind(amount_to_db(&v.bond))
            .bind(to_i64(v.bond_thaw_end)?)
            .bind(amount_to_db(&v.shares))
            .bind(amount_to_db(&v.thawing))
            .bind(amount_to_db(&v.stake))
            .bind(amount_to_db(&v.reward_reserve))
            .bind(amount_to_db(&v.acc))
            .bind(amount_to_db(&v.slash_numerator))
            .bind(amount_to_db(&v.slash_denominator))
            .bind(to_i64(v.curators)?)
            .bind(amount_to_db(&v.rewards_total))
            .bind(v.open_challenge.map(to_i64).transpose()?)
            .bind(to_i64(v.published_block)?)
            .bind(v.published_at.map(to_i64).transpose()?)
            .execute(&mut *conn)
            .await?;
        }
        for ((vid, curator), p) in self.positions.drain() {
            if let Some(batch) = journal {
                let key = [
                    ("version_id", Cell::Text(b256_to_db(&vid))),
                    ("curator", Cell::Text(address_to_db(&curator))),
                ];
                journal::save(conn, batch, "positions", &key).await?;
            }
            sqlx::query(
                "INSERT INTO positions (version_id, curator, shares, thawing, thaw_end, acc_snapshot, signalled, rewards, \
                 updated_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (version_id, curator) DO UPDATE \
                 SET shares = excluded.shares, thawing = excluded.thawing, thaw_end = excluded.thaw_end, \
                 acc_snapshot = excluded.acc_snapshot, signalled = excluded.signalled, rewards = excluded.rewards, \
                 updated_block = excluded.updated_block",
            )
            .bind(b256_to_db(&vid))
            .bind(address_to_db(&curator))
            .bind(amount_to_db(&p.shares))
            .bind(amount_to_db(&p.thawing))
            .bind(to_i64(p.thaw_end)?)
            .bind(amount_to_db(&p.acc_snapshot))
            .bind(amount_to_db(&p.signalled))
            .bind(amount_to_db(&p.rewards))
            .bind(to_i64(p.updated_block)?)
            .execute(&mut *conn)
            .await?;
        }
        for (id, c) in self.challenges.drain() {
            if let Some(batch) = journal {
                let key = [("challenge_id", Cell::Int(to_i64(id)?))];
                journal::save(conn, batch, "challenges", &key).await?;
            }
            sqlx::query(
                "INSERT INTO challenges (challenge_id, version_id, challenger, kind, status, terms_id, deadline, bond, \
                 publisher_bond, pool_snapshot, chunk_indices, evidence_uri, responder, arbitrator, settlement, keeper, \
                 opened_block, opened_at, settled_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                 $13, $14, $15, $16, $17, $18, $19) ON CONFLICT (challenge_id) DO UPDATE SET status = excluded.status, \
                 responder = excluded.responder, arbitrator = excluded.arbitrator, settlement = excluded.settlement, \
                 keeper = excluded.keeper, settled_block = excluded.settled_block",
            )
            .bind(to_i64(id)?)
            .bind(b256_to_db(&c.version_id))
            .bind(address_to_db(&c.challenger))
            .bind(c.kind)
            .bind(c.status.as_str())
            .bind(i64::from(c.terms_id))
            .bind(to_i64(c.deadline)?)
            .bind(amount_to_db(&c.bond))
            .bind(amount_to_db(&c.publisher_bond))
            .bind(amount_to_db(&c.pool_snapshot))
            .bind(c.chunk_indices)
            .bind(c.evidence_uri)
            .bind(c.responder.as_ref().map(address_to_db))
            .bind(c.arbitrator.as_ref().map(address_to_db))
            .bind(c.settlement)
            .bind(c.keeper.as_ref().map(address_to_db))
            .bind(to_i64(c.opened_block)?)
            .bind(c.opened_at.map(to_i64).transpose()?)
            .bind(c.settled_block.map(to_i64).transpose()?)
            .execute(&mut *conn)
            .await?;
        }
        for (account, a) in self.accounts.drain() {
            if let Some(batch) = journal {
                let key = [("account", Cell::Text(address_to_db(&account)))];
                journal::save(conn, batch, "accounts", &key).await?;
            }
            sqlx::query(
                "INSERT INTO accounts (account, stake, positions, rewards_earned, curation_claimable, \
                 challenges_claimable, claimed) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account) DO UPDATE \
                 SET stake = excluded.stake, positions = excluded.positions, rewards_earned = excluded.rewards_earned, \
                 curation_claimable = excluded.curation_claimable, challenges_claimable = excluded.challenges_claimable, \
                 claimed = excluded.claimed",
            )
            .bind(address_to_db(&account))
            .bind(amount_to_db(&a.stake))
            .bind(to_i64(a.positions)?)
            .bind(amount_to_db(&a.rewards_earned))
            .bind(amount_to_db(&a.curation_claimable))
            .bind(amount_to_db(&a.challenges_claimable))
            .bind(amount_to_db(&a.claimed))
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}
