//! Versions: the list with filters, one version, its lineage (ancestors and children).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::{IntoParams, ToSchema};

use super::db::{self, Key, Sql};
use super::error::{ApiError, ErrorBody};
use super::pagination::{self, Page, PageQuery};
use super::params::{self, ApiPath, ApiQuery};
use super::ApiState;

/// How far `lineage` follows parents.
pub const MAX_LINEAGE_DEPTH: usize = 64;
/// How many children `lineage` lists.
pub const MAX_CHILDREN: usize = 1000;

/// A model version and its curation pool.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    /// The version id (0x-hex).
    pub version_id: String,
    /// Its model's id.
    pub model_id: String,
    /// Who published it (checksummed).
    pub publisher: String,
    /// `Active`, `Challenged`, `Slashed` or `Retired`.
    #[schema(example = "Active")]
    pub status: String,
    /// The protocol terms (parameter set) it was published under.
    pub terms_id: u64,
    /// The MR1 content root of the weights.
    pub content_root: String,
    /// The digest of the manifest.
    pub manifest_digest: String,
    /// Number of MR1 chunks.
    pub num_chunks: u64,
    /// Size of the weights in bytes.
    pub total_bytes: u64,
    /// Where the weights can be fetched.
    pub locations: Vec<String>,
    /// The parent version, if any.
    pub parent: Option<String>,
    /// Off-chain metadata.
    #[serde(rename = "metadataURI")]
    pub metadata_uri: String,
    /// The publisher's bond still locked (decimal token units).
    pub bond: String,
    /// When the retired bond can be withdrawn (unix seconds; 0 when not retiring).
    pub bond_thaw_end: u64,
    /// Active curation shares.
    pub shares: String,
    /// Shares thawing (still slashable).
    pub thawing: String,
    /// Tokens at stake in the pool (active + thawing; what is left after a slash).
    pub stake: String,
    /// Rewards received and not yet settled to curators.
    pub reward_reserve: String,
    /// Curators with active shares.
    pub curators: u64,
    /// Rewards paid to this version in total.
    pub rewards_total: String,
    /// The open challenge against it, if any.
    pub open_challenge: Option<u64>,
    /// Block it was published in.
    pub published_block: u64,
    /// Its timestamp (unix seconds), when known.
    pub published_at: Option<u64>,
}

impl VersionView {
    /// Reads a `versions` row.
    pub fn from_row(r: &AnyRow) -> Result<Self, ApiError> {
        let locations = match db::json(r, "locations")? {
            serde_json::Value::Array(a) => a
                .into_iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect(),
            other => {
                return Err(ApiError::internal(format!(
                    "stored locations are not an array: {other}"
                )))
            }
        };
        Ok(Self {
            version_id: db::text(r, "version_id")?,
            model_id: db::text(r, "model_id")?,
            publisher: db::address(r, "publisher")?,
            status: db::text(r, "status")?,
            terms_id: db::uint(r, "terms_id")?,
            content_root: db::text(r, "content_root")?,
            manifest_digest: db::text(r, "manifest_digest")?,
            num_chunks: db::uint(r, "num_chunks")?,
            total_bytes: db::uint(r, "total_bytes")?,
            locations,
            parent: db::opt_text(r, "parent")?,
            metadata_uri: db::text(r, "metadata_uri")?,
            bond: db::amount(r, "bond")?,
            bond_thaw_end: db::uint(r, "bond_thaw_end")?,
            shares: db::amount(r, "shares")?,
            thawing: db::amount(r, "thawing")?,
            stake: db::amount(r, "stake")?,
            reward_reserve: db::amount(r, "reward_reserve")?,
            curators: db::uint(r, "curators")?,
            rewards_total: db::amount(r, "rewards_total")?,
            open_challenge: db::opt_uint(r, "open_challenge")?,
            published_block: db::uint(r, "published_block")?,
            published_at: db::opt_uint(r, "published_at")?,
        })
    }
}

/// Filters of `GET /v1/versions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// Only versions in this status (`Active`, `Challenged`, `Slashed`, `Retired`; any case).
    pub status: Option<String>,
    /// Only versions of this model (0x + 64 hex).
    pub model: Option<String>,
    /// Only versions published by this address (any case).
    pub publisher: Option<String>,
}

const KIND: &str = "versions";

/// Lists versions (optionally of one model, in one status, by one publisher), oldest first.
pub(crate) async fn list(
    st: &ApiState,
    model: Option<String>,
    status: Option<&str>,
    publisher: Option<&str>,
    page: &PageQuery,
) -> Result<Page<VersionView>, ApiError> {
    let status = status.map(params::version_status).transpose()?;
    let publisher = params::opt_address("publisher", publisher)?;
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    let mut q = Sql::new("SELECT * FROM versions WHERE 1 = 1");
    if let Some(m) = model {
        q.push(" AND model_id = ").text(m);
    }
    if let Some(s) = status {
        q.push(" AND status = ").text(s);
    }
    if let Some(p) = publisher {
        q.push(" AND publisher = ").text(p);
    }
    if let Some(c) = cursor {
        let (block, id) = (c.int(0)?, c.hex(1, 64)?);
        q.after(
            "published_block",
            false,
            Key::Int(block),
            "version_id",
            Key::Text(id),
        );
    }
    q.push(" ORDER BY published_block, version_id LIMIT ")
        .int(limit as i64 + 1);
    let rows = q.fetch_all(st.store.pool()).await?;
    pagination::page(
        KIND,
        rows,
        limit,
        |r| {
            Ok(vec![
                db::int(r, "published_block")?.to_string(),
                db::text(r, "version_id")?,
            ])
        },
        VersionView::from_row,
    )
}

/// One version's row, or a 404.
pub(crate) async fn fetch(st: &ApiState, version_id: &str) -> Result<AnyRow, ApiError> {
    Sql::new("SELECT * FROM versions WHERE version_id = ")
        .text(version_id)
        .fetch_optional(st.store.pool())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no version {version_id}")))
}

/// Lists versions, oldest first (by published block, then version id).
#[utoipa::path(get, path = "/v1/versions", tag = "versions", params(VersionsQuery, PageQuery),
    responses((status = 200, description = "A page of versions", body = Page<VersionView>),
              (status = 400, description = "Bad filter, limit or cursor", body = ErrorBody)))]
pub async fn list_versions(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<VersionsQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<VersionView>>, ApiError> {
    let model = params::opt_id("model", q.model.as_deref())?;
    Ok(Json(
        list(
            &st,
            model,
            q.status.as_deref(),
            q.publisher.as_deref(),
            &page,
        )
        .await?,
    ))
}

/// One version.
#[utoipa::path(get, path = "/v1/versions/{versionId}", tag = "versions",
    params(("versionId" = String, Path, description = "The version id (0x + 64 hex)")),
    responses((status = 200, description = "The version", body = VersionView),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "Unknown version", body = ErrorBody)))]
pub async fn get_version(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<VersionView>, ApiError> {
    let id = params::id("versionId", &id)?;
    Ok(Json(VersionView::from_row(&fetch(&st, &id).await?)?))
}

/// A version's lineage.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineageView {
    /// The version asked about.
    pub version: VersionView,
    /// Its ancestors, nearest first (parent, grandparent, … up to the root or the depth bound).
    pub ancestors: Vec<VersionView>,
    /// Its direct children (forks and successors), oldest first.
    pub children: Vec<VersionView>,
    /// Whether the ancestors stop at the depth bound (64) or children at 1000 before the end.
    pub truncated: bool,
}

/// A version's ancestors (following `parent` up to the root, at most 64) and direct children.
#[utoipa::path(get, path = "/v1/versions/{versionId}/lineage", tag = "versions",
    params(("versionId" = String, Path, description = "The version id (0x + 64 hex)")),
    responses((status = 200, description = "The lineage", body = LineageView),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "Unknown version", body = ErrorBody)))]
pub async fn lineage(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<LineageView>, ApiError> {
    let id = params::id("versionId", &id)?;
    let version = VersionView::from_row(&fetch(&st, &id).await?)?;
    let mut ancestors = Vec::new();
    let mut next = version.parent.clone();
    let mut truncated = false;
    while let Some(p) = next {
        if ancestors.len() == MAX_LINEAGE_DEPTH {
            truncated = true;
            break;
        }
        let row = Sql::new("SELECT * FROM versions WHERE version_id = ")
            .text(p)
            .fetch_optional(st.store.pool())
            .await?;
        let Some(row) = row else { break };
        let v = VersionView::from_row(&row)?;
        next = v.parent.clone();
        ancestors.push(v);
    }
    let mut rows = Sql::new("SELECT * FROM versions WHERE parent = ")
        .text(id)
        .push(" ORDER BY published_block, version_id LIMIT ")
        .int(MAX_CHILDREN as i64 + 1)
        .fetch_all(st.store.pool())
        .await?;
    if rows.len() > MAX_CHILDREN {
        rows.truncate(MAX_CHILDREN);
        truncated = true;
    }
    let children = rows
        .iter()
        .map(VersionView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(LineageView {
        version,
        ancestors,
        children,
        truncated,
    }))
}
