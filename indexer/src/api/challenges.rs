//! Challenges: the list by status (open ones by deadline), and one challenge.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::{IntoParams, ToSchema};

use super::db::{self, Key, Sql};
use super::error::{ApiError, ErrorBody};
use super::pagination::{self, Page, PageQuery};
use super::params::{self, ApiPath, ApiQuery, OPEN_CHALLENGE_STATUSES};
use super::ApiState;

/// A challenge against a version.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    /// The challenge id (an integer).
    pub challenge_id: u64,
    /// The version challenged.
    pub version_id: String,
    /// Who challenged (checksummed).
    pub challenger: String,
    /// `Availability` or `Dispute`.
    #[schema(example = "Availability")]
    pub kind: String,
    /// `Open`, `Answered`, `RuledUpheld`, `RuledRejected` (not settled yet), or `Upheld`, `Failed`,
    /// `Dismissed` (settled).
    #[schema(example = "Open")]
    pub status: String,
    /// Whether it is settled.
    pub settled: bool,
    /// The protocol terms it was opened under.
    pub terms_id: u64,
    /// When it can be settled: answers and rulings are due before it (unix seconds).
    pub deadline: u64,
    /// The challenger's bond.
    pub bond: String,
    /// The publisher's bond at risk (snapshot at opening).
    pub publisher_bond: String,
    /// The curation pool at risk (snapshot at opening).
    pub pool_snapshot: String,
    /// The chunks an availability challenge asks for.
    pub chunk_indices: Vec<u64>,
    /// A dispute's evidence.
    #[serde(rename = "evidenceURI")]
    pub evidence_uri: String,
    /// Who answered an availability challenge.
    pub responder: Option<String>,
    /// Who ruled on a dispute.
    pub arbitrator: Option<String>,
    /// The settlement's payouts (as the `ChallengeSettled` event has them), once settled.
    pub settlement: Option<serde_json::Value>,
    /// The keeper that settled it.
    pub keeper: Option<String>,
    /// Block it was opened in.
    pub opened_block: u64,
    /// Its timestamp (unix seconds), when known.
    pub opened_at: Option<u64>,
    /// Block it was settled in.
    pub settled_block: Option<u64>,
}

impl ChallengeView {
    fn from_row(r: &AnyRow) -> Result<Self, ApiError> {
        let chunk_indices = match db::json(r, "chunk_indices")? {
            serde_json::Value::Array(a) => a
                .iter()
                .map(|v| {
                    v.as_u64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                        .ok_or_else(|| ApiError::internal(format!("stored chunk index {v}")))
                })
                .collect::<Result<Vec<_>, _>>()?,
            other => {
                return Err(ApiError::internal(format!(
                    "stored chunk indices are not an array: {other}"
                )))
            }
        };
        let settlement = match db::opt_text(r, "settlement")? {
            None => None,
            Some(s) => Some(
                serde_json::from_str(&s)
                    .map_err(|e| ApiError::internal(format!("stored settlement '{s}': {e}")))?,
            ),
        };
        let status = db::text(r, "status")?;
        Ok(Self {
            challenge_id: db::uint(r, "challenge_id")?,
            version_id: db::text(r, "version_id")?,
            challenger: db::address(r, "challenger")?,
            kind: db::text(r, "kind")?,
            settled: !OPEN_CHALLENGE_STATUSES.contains(&status.as_str()),
            status,
            terms_id: db::uint(r, "terms_id")?,
            deadline: db::uint(r, "deadline")?,
            bond: db::amount(r, "bond")?,
            publisher_bond: db::amount(r, "publisher_bond")?,
            pool_snapshot: db::amount(r, "pool_snapshot")?,
            chunk_indices,
            evidence_uri: db::text(r, "evidence_uri")?,
            responder: db::opt_address(r, "responder")?,
            arbitrator: db::opt_address(r, "arbitrator")?,
            settlement,
            keeper: db::opt_address(r, "keeper")?,
            opened_block: db::uint(r, "opened_block")?,
            opened_at: db::opt_uint(r, "opened_at")?,
            settled_block: db::opt_uint(r, "settled_block")?,
        })
    }
}

/// Filters of `GET /v1/challenges`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChallengesQuery {
    /// A status (`Open`, `Answered`, `RuledUpheld`, `RuledRejected`, `Upheld`, `Failed`, `Dismissed`; any
    /// case), or `open` (lowercase: every status not settled yet) or `settled`.
    pub status: Option<String>,
    /// Only challenges against this version (0x + 64 hex).
    pub version: Option<String>,
    /// Only challenges opened by this address (any case).
    pub challenger: Option<String>,
}

/// Lists challenges. When `status` selects only unsettled statuses (`open`, `Open`, `Answered`,
/// `RuledUpheld`, `RuledRejected`) they come by deadline, soonest first (then by id): the keeper's work
/// queue. Otherwise newest first (by challenge id, descending).
#[utoipa::path(get, path = "/v1/challenges", tag = "challenges", params(ChallengesQuery, PageQuery),
    responses((status = 200, description = "A page of challenges", body = Page<ChallengeView>),
              (status = 400, description = "Bad filter, limit or cursor", body = ErrorBody)))]
pub async fn list_challenges(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<ChallengesQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<ChallengeView>>, ApiError> {
    let statuses = q
        .status
        .as_deref()
        .map(params::challenge_statuses)
        .transpose()?;
    let version = params::opt_id("version", q.version.as_deref())?;
    let challenger = params::opt_address("challenger", q.challenger.as_deref())?;
    let limit = page.limit()?;
    let by_deadline = statuses
        .as_ref()
        .is_some_and(|s| s.iter().all(|x| OPEN_CHALLENGE_STATUSES.contains(x)));
    let kind = if by_deadline {
        "challenges-deadline"
    } else {
        "challenges"
    };
    let cursor = page.cursor(kind, if by_deadline { 2 } else { 1 })?;
    let mut s = Sql::new("SELECT * FROM challenges WHERE 1 = 1");
    if let Some(statuses) = &statuses {
        s.push(" AND ").text_in("status", statuses);
    }
    if let Some(v) = version {
        s.push(" AND version_id = ").text(v);
    }
    if let Some(c) = challenger {
        s.push(" AND challenger = ").text(c);
    }
    if by_deadline {
        if let Some(c) = cursor {
            let (deadline, id) = (c.int(0)?, c.int(1)?);
            s.after(
                "deadline",
                false,
                Key::Int(deadline),
                "challenge_id",
                Key::Int(id),
            );
        }
        s.push(" ORDER BY deadline ASC, challenge_id ASC LIMIT ");
    } else {
        if let Some(c) = cursor {
            s.push(" AND challenge_id < ").int(c.int(0)?);
        }
        s.push(" ORDER BY challenge_id DESC LIMIT ");
    }
    s.int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    Ok(Json(pagination::page(
        kind,
        rows,
        limit,
        |r| {
            let id = db::int(r, "challenge_id")?.to_string();
            Ok(if by_deadline {
                vec![db::int(r, "deadline")?.to_string(), id]
            } else {
                vec![id]
            })
        },
        ChallengeView::from_row,
    )?))
}

/// One challenge.
#[utoipa::path(get, path = "/v1/challenges/{id}", tag = "challenges",
    params(("id" = u64, Path, description = "The challenge id (an integer)")),
    responses((status = 200, description = "The challenge", body = ChallengeView),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "Unknown challenge", body = ErrorBody)))]
pub async fn get_challenge(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ChallengeView>, ApiError> {
    let id = params::challenge_id(&id)?;
    let row = Sql::new("SELECT * FROM challenges WHERE challenge_id = ")
        .int(id)
        .fetch_optional(st.store.pool())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no challenge {id}")))?;
    Ok(Json(ChallengeView::from_row(&row)?))
}
