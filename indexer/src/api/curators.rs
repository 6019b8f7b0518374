//! Curators: positions (per version and per curator), accounts and the leaderboard.

use alloy::primitives::{U256, U512};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::{IntoParams, ToSchema};

use super::db::{self, Key, Sql};
use super::error::{ApiError, ErrorBody};
use super::pagination::{self, Page, PageQuery};
use super::params::{self, ApiPath, ApiQuery};
use super::versions;
use super::ApiState;

/// The reward-per-share accumulator's scale (1e27).
const ACC_SCALE: u128 = 1_000_000_000_000_000_000_000_000_000;

/// A curator's position in a version's pool.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionView {
    /// The version curated.
    pub version_id: String,
    /// Its model.
    pub model_id: String,
    /// The version's status.
    pub version_status: String,
    /// The curator (checksummed).
    pub curator: String,
    /// Active shares (nominal, 1:1 with the tokens signalled net of tax).
    pub shares: String,
    /// Shares thawing after an unsignal (still slashable).
    pub thawing: String,
    /// When the thawing shares can be withdrawn (unix seconds; 0 when none).
    pub thaw_end: u64,
    /// Tokens signalled in total (tax included).
    pub signalled: String,
    /// Rewards settled to this position in total.
    pub rewards: String,
    /// Rewards accrued and not yet settled: `shares × (accRewardPerShare − snapshot) / 1e27`.
    pub pending_rewards: String,
    /// Block of the last change.
    pub updated_block: u64,
}

/// `shares × (acc − snapshot) / 1e27`, floored, computed without overflow.
pub fn pending_rewards(shares: U256, acc: U256, snapshot: U256) -> U256 {
    let diff = acc.saturating_sub(snapshot);
    let wide: U512 = shares.widening_mul(diff);
    let q = wide / U512::from(ACC_SCALE);
    U256::saturating_from(q)
}

impl PositionView {
    fn from_row(r: &AnyRow) -> Result<Self, ApiError> {
        let pending = pending_rewards(
            db::amount_u256(r, "shares")?,
            db::amount_u256(r, "acc")?,
            db::amount_u256(r, "acc_snapshot")?,
        );
        Ok(Self {
            version_id: db::text(r, "version_id")?,
            model_id: db::text(r, "model_id")?,
            version_status: db::text(r, "version_status")?,
            curator: db::address(r, "curator")?,
            shares: db::amount(r, "shares")?,
            thawing: db::amount(r, "thawing")?,
            thaw_end: db::uint(r, "thaw_end")?,
            signalled: db::amount(r, "signalled")?,
            rewards: db::amount(r, "rewards")?,
            pending_rewards: pending.to_string(),
            updated_block: db::uint(r, "updated_block")?,
        })
    }
}

const POSITIONS: &str = "SELECT p.version_id AS version_id, p.curator AS curator, p.shares AS shares, \
     p.thawing AS thawing, p.thaw_end AS thaw_end, p.acc_snapshot AS acc_snapshot, p.signalled AS signalled, \
     p.rewards AS rewards, p.updated_block AS updated_block, v.acc_reward_per_share AS acc, \
     v.model_id AS model_id, v.status AS version_status \
     FROM positions p JOIN versions v ON v.version_id = p.version_id WHERE 1 = 1";

/// Filters of `GET /v1/curators/{address}/positions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PositionsQuery {
    /// `true`: only positions with active or thawing shares (default: every position, past ones included).
    pub active: Option<bool>,
}

/// The curators of a version: positions with active or thawing shares, largest first (by shares, then
/// curator address).
#[utoipa::path(get, path = "/v1/versions/{versionId}/curators", tag = "curators",
    params(("versionId" = String, Path, description = "The version id (0x + 64 hex)"), PageQuery),
    responses((status = 200, description = "A page of positions", body = Page<PositionView>),
              (status = 400, description = "Bad id, limit or cursor", body = ErrorBody),
              (status = 404, description = "Unknown version", body = ErrorBody)))]
pub async fn version_curators(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<PositionView>>, ApiError> {
    const KIND: &str = "curators";
    let id = params::id("versionId", &id)?;
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    versions::fetch(&st, &id).await?;
    let mut s = Sql::new(POSITIONS);
    s.push(" AND p.version_id = ").text(id);
    live_only(&mut s);
    if let Some(c) = cursor {
        let (shares, curator) = (c.amount(0)?, c.hex(1, 40)?);
        s.after(
            "p.shares",
            true,
            Key::Text(shares),
            "p.curator",
            Key::Text(curator),
        );
    }
    s.push(" ORDER BY p.shares DESC, p.curator ASC LIMIT ")
        .int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    Ok(Json(pagination::page(
        KIND,
        rows,
        limit,
        |r| Ok(vec![db::text(r, "shares")?, db::text(r, "curator")?]),
        PositionView::from_row,
    )?))
}

/// Keeps the positions with active or thawing shares.
fn live_only(s: &mut Sql) {
    let zero = db::zero();
    s.push(" AND (p.shares > ")
        .text(zero.clone())
        .push(" OR p.thawing > ")
        .text(zero)
        .push(")");
}

/// A curator's positions, largest first (by shares, then version id).
#[utoipa::path(get, path = "/v1/curators/{address}/positions", tag = "curators",
    params(("address" = String, Path, description = "The curator (checksummed or lowercase)"), PositionsQuery, PageQuery),
    responses((status = 200, description = "A page of positions (empty for an unknown curator)", body = Page<PositionView>),
              (status = 400, description = "Bad address, limit or cursor", body = ErrorBody)))]
pub async fn curator_positions(
    State(st): State<ApiState>,
    ApiPath(address): ApiPath<String>,
    ApiQuery(q): ApiQuery<PositionsQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<PositionView>>, ApiError> {
    const KIND: &str = "positions";
    let address = params::address("address", &address)?;
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    let mut s = Sql::new(POSITIONS);
    s.push(" AND p.curator = ").text(address);
    if q.active == Some(true) {
        live_only(&mut s);
    }
    if let Some(c) = cursor {
        let (shares, version) = (c.amount(0)?, c.hex(1, 64)?);
        s.after(
            "p.shares",
            true,
            Key::Text(shares),
            "p.version_id",
            Key::Text(version),
        );
    }
    s.push(" ORDER BY p.shares DESC, p.version_id ASC LIMIT ")
        .int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    Ok(Json(pagination::page(
        KIND,
        rows,
        limit,
        |r| Ok(vec![db::text(r, "shares")?, db::text(r, "version_id")?]),
        PositionView::from_row,
    )?))
}

/// An account: its curation totals and what the contracts owe it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The address (checksummed).
    pub account: String,
    /// Active shares summed over every version it curates.
    pub stake: String,
    /// Versions it holds active shares in.
    pub positions: u64,
    /// Curation rewards settled to it in total.
    pub rewards_earned: String,
    /// What `CuriaCuration` owes it (curation tax, publisher shares, settled rewards), to `claim`.
    pub curation_claimable: String,
    /// What `CuriaChallenges` owes it (bonds back, payouts, keeper bounties), to `claim`.
    pub challenges_claimable: String,
    /// Claimed in total.
    pub claimed: String,
}

impl AccountView {
    fn from_row(r: &AnyRow) -> Result<Self, ApiError> {
        Ok(Self {
            account: db::address(r, "account")?,
            stake: db::amount(r, "stake")?,
            positions: db::uint(r, "positions")?,
            rewards_earned: db::amount(r, "rewards_earned")?,
            curation_claimable: db::amount(r, "curation_claimable")?,
            challenges_claimable: db::amount(r, "challenges_claimable")?,
            claimed: db::amount(r, "claimed")?,
        })
    }
}

/// One account. An address the indexer never saw is all zeros, not a 404.
#[utoipa::path(get, path = "/v1/accounts/{address}", tag = "curators",
    params(("address" = String, Path, description = "The account (checksummed or lowercase)")),
    responses((status = 200, description = "The account", body = AccountView),
              (status = 400, description = "Malformed address", body = ErrorBody)))]
pub async fn get_account(
    State(st): State<ApiState>,
    ApiPath(address): ApiPath<String>,
) -> Result<Json<AccountView>, ApiError> {
    let address = params::address("address", &address)?;
    let row = Sql::new("SELECT * FROM accounts WHERE account = ")
        .text(address.clone())
        .fetch_optional(st.store.pool())
        .await?;
    match row {
        Some(r) => Ok(Json(AccountView::from_row(&r)?)),
        None => Ok(Json(AccountView {
            account: db::checksum(&address)?,
            stake: "0".into(),
            positions: 0,
            rewards_earned: "0".into(),
            curation_claimable: "0".into(),
            challenges_claimable: "0".into(),
            claimed: "0".into(),
        })),
    }
}

/// One row of the leaderboard.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardEntry {
    /// The curator (checksummed).
    pub account: String,
    /// Active shares summed over its versions.
    pub stake: String,
    /// Versions it holds active shares in.
    pub positions: u64,
    /// Curation rewards settled to it in total.
    pub rewards_earned: String,
}

/// Curators by stake, largest first (then by address): accounts with active stake or earned rewards.
#[utoipa::path(get, path = "/v1/leaderboard", tag = "curators", params(PageQuery),
    responses((status = 200, description = "A page of the leaderboard", body = Page<LeaderboardEntry>),
              (status = 400, description = "Bad limit or cursor", body = ErrorBody)))]
pub async fn leaderboard(
    State(st): State<ApiState>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<LeaderboardEntry>>, ApiError> {
    const KIND: &str = "leaderboard";
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    let zero = db::zero();
    let mut s = Sql::new("SELECT * FROM accounts WHERE (stake > ");
    s.text(zero.clone())
        .push(" OR rewards_earned > ")
        .text(zero)
        .push(")");
    if let Some(c) = cursor {
        let (stake, account) = (c.amount(0)?, c.hex(1, 40)?);
        s.after(
            "stake",
            true,
            Key::Text(stake),
            "account",
            Key::Text(account),
        );
    }
    s.push(" ORDER BY stake DESC, account ASC LIMIT ")
        .int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    Ok(Json(pagination::page(
        KIND,
        rows,
        limit,
        |r| Ok(vec![db::text(r, "stake")?, db::text(r, "account")?]),
        |r| {
            Ok(LeaderboardEntry {
                account: db::address(r, "account")?,
                stake: db::amount(r, "stake")?,
                positions: db::uint(r, "positions")?,
                rewards_earned: db::amount(r, "rewards_earned")?,
            })
        },
    )?))
}
