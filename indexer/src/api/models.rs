//! Models: the list, one model, its versions, and `resolve` (the best-curated active version).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::{IntoParams, ToSchema};

use super::db::{self, Key, Sql};
use super::error::{ApiError, ErrorBody};
use super::pagination::{self, Page, PageQuery};
use super::params::{self, ApiPath, ApiQuery};
use super::versions::{self, VersionView};
use super::ApiState;

/// A model: a name under an owner, with its versions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModelView {
    /// `keccak256(abi.encode(owner, name))` (0x-hex).
    pub model_id: String,
    /// The owner (checksummed), who publishes its versions.
    pub owner: String,
    /// The address a two-step ownership transfer is waiting on, if any.
    pub pending_owner: Option<String>,
    /// The model's name.
    pub name: String,
    /// Off-chain metadata.
    #[serde(rename = "metadataURI")]
    pub metadata_uri: String,
    /// Number of versions published.
    pub versions: u64,
    /// Block it was registered in.
    pub created_block: u64,
    /// Its timestamp (unix seconds), when known.
    pub created_at: Option<u64>,
}

impl ModelView {
    fn from_row(r: &AnyRow) -> Result<Self, ApiError> {
        Ok(Self {
            model_id: db::text(r, "model_id")?,
            owner: db::address(r, "owner")?,
            pending_owner: db::opt_address(r, "pending_owner")?,
            name: db::text(r, "name")?,
            metadata_uri: db::text(r, "metadata_uri")?,
            versions: db::uint(r, "versions")?,
            created_block: db::uint(r, "created_block")?,
            created_at: db::opt_uint(r, "created_at")?,
        })
    }
}

/// Filters of `GET /v1/models`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelsQuery {
    /// Only models owned by this address (any case).
    pub owner: Option<String>,
}

/// Filters of `GET /v1/models/{modelId}/versions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelVersionsQuery {
    /// Only versions in this status (`Active`, `Challenged`, `Slashed`, `Retired`; any case).
    pub status: Option<String>,
}

const KIND: &str = "models";

/// Lists models, oldest first (by creation block, then model id).
#[utoipa::path(get, path = "/v1/models", tag = "models", params(ModelsQuery, PageQuery),
    responses((status = 200, description = "A page of models", body = Page<ModelView>),
              (status = 400, description = "Bad filter, limit or cursor", body = ErrorBody)))]
pub async fn list_models(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<ModelsQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<ModelView>>, ApiError> {
    let owner = params::opt_address("owner", q.owner.as_deref())?;
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    let mut s = Sql::new("SELECT * FROM models WHERE 1 = 1");
    if let Some(o) = owner {
        s.push(" AND owner = ").text(o);
    }
    if let Some(c) = cursor {
        let (block, id) = (c.int(0)?, c.hex(1, 64)?);
        s.after(
            "created_block",
            false,
            Key::Int(block),
            "model_id",
            Key::Text(id),
        );
    }
    s.push(" ORDER BY created_block, model_id LIMIT ")
        .int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    Ok(Json(pagination::page(
        KIND,
        rows,
        limit,
        |r| {
            Ok(vec![
                db::int(r, "created_block")?.to_string(),
                db::text(r, "model_id")?,
            ])
        },
        ModelView::from_row,
    )?))
}

async fn fetch(st: &ApiState, model_id: &str) -> Result<AnyRow, ApiError> {
    Sql::new("SELECT * FROM models WHERE model_id = ")
        .text(model_id)
        .fetch_optional(st.store.pool())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no model {model_id}")))
}

/// One model.
#[utoipa::path(get, path = "/v1/models/{modelId}", tag = "models",
    params(("modelId" = String, Path, description = "The model id (0x + 64 hex)")),
    responses((status = 200, description = "The model", body = ModelView),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "Unknown model", body = ErrorBody)))]
pub async fn get_model(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ModelView>, ApiError> {
    let id = params::id("modelId", &id)?;
    Ok(Json(ModelView::from_row(&fetch(&st, &id).await?)?))
}

/// A model's versions, oldest first (by published block, then version id).
#[utoipa::path(get, path = "/v1/models/{modelId}/versions", tag = "models",
    params(("modelId" = String, Path, description = "The model id (0x + 64 hex)"), ModelVersionsQuery, PageQuery),
    responses((status = 200, description = "A page of versions", body = Page<VersionView>),
              (status = 400, description = "Bad id, filter, limit or cursor", body = ErrorBody),
              (status = 404, description = "Unknown model", body = ErrorBody)))]
pub async fn model_versions(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ModelVersionsQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<VersionView>>, ApiError> {
    let id = params::id("modelId", &id)?;
    // Validate everything before touching the database, then 404 an unknown model.
    if let Some(s) = q.status.as_deref() {
        params::version_status(s)?;
    }
    page.limit()?;
    fetch(&st, &id).await?;
    Ok(Json(
        versions::list(&st, Some(id), q.status.as_deref(), None, &page).await?,
    ))
}

/// The best-curated active version of a model: what a dApp should load.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolveView {
    /// The model asked about.
    pub model_id: String,
    /// The model's name.
    pub name: String,
    /// The chosen version.
    pub version_id: String,
    /// Always `Active`.
    pub status: String,
    /// The MR1 content root to verify the weights against.
    pub content_root: String,
    /// The digest of the manifest.
    pub manifest_digest: String,
    /// Number of MR1 chunks.
    pub num_chunks: u64,
    /// Size of the weights in bytes.
    pub total_bytes: u64,
    /// Where the weights can be fetched.
    pub locations: Vec<String>,
    /// Who published it (checksummed).
    pub publisher: String,
    /// Tokens at stake on it.
    pub stake: String,
    /// Curators with active shares.
    pub curators: u64,
    /// Its parent version, if any.
    pub parent: Option<String>,
    /// Off-chain metadata of the version.
    #[serde(rename = "metadataURI")]
    pub metadata_uri: String,
    /// Block it was published in.
    pub published_block: u64,
    /// How many active versions the model has (the candidates).
    pub active_versions: u64,
}

/// Resolves a model to its best-curated `Active` version: the highest stake, ties broken by the earliest
/// published block, then the smallest version id. Challenged, slashed and retired versions never resolve.
#[utoipa::path(get, path = "/v1/models/{modelId}/resolve", tag = "models",
    params(("modelId" = String, Path, description = "The model id (0x + 64 hex)")),
    responses((status = 200, description = "The chosen version", body = ResolveView),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "Unknown model, or no active version", body = ErrorBody)))]
pub async fn resolve(
    State(st): State<ApiState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ResolveView>, ApiError> {
    let id = params::id("modelId", &id)?;
    let model = fetch(&st, &id).await?;
    let pool = st.store.pool();
    let row = Sql::new("SELECT * FROM versions WHERE model_id = ")
        .text(id.clone())
        .push(" AND status = 'Active' ORDER BY stake DESC, published_block ASC, version_id ASC LIMIT 1")
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("model {id} has no active version")))?;
    let count = Sql::new("SELECT COUNT(*) AS n FROM versions WHERE model_id = ")
        .text(id.clone())
        .push(" AND status = 'Active'")
        .fetch_optional(pool)
        .await?
        .map(|r| db::uint(&r, "n"))
        .transpose()?
        .unwrap_or(0);
    let v = VersionView::from_row(&row)?;
    Ok(Json(ResolveView {
        model_id: id,
        name: db::text(&model, "name")?,
        version_id: v.version_id,
        status: v.status,
        content_root: v.content_root,
        manifest_digest: v.manifest_digest,
        num_chunks: v.num_chunks,
        total_bytes: v.total_bytes,
        locations: v.locations,
        publisher: v.publisher,
        stake: v.stake,
        curators: v.curators,
        parent: v.parent,
        metadata_uri: v.metadata_uri,
        published_block: v.published_block,
        active_versions: count,
    }))
}
