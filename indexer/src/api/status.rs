//! Operations: `/status`, `/healthz`, `/readyz`, `/metrics`.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::ApiState;
use crate::store::keys;

/// The indexer's progress.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    /// The chain indexed (`null` before the first block).
    pub chain_id: Option<u64>,
    /// The latest chain head the follower saw (`null` when unknown).
    pub head_block: Option<u64>,
    /// The last block applied to the database (`null` before the first).
    pub indexed_block: Option<u64>,
    /// `headBlock − indexedBlock` (`null` when either is unknown).
    pub lag: Option<u64>,
}

/// The answer of `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthView {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: String,
}

/// The answer of `/readyz`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadyView {
    /// `ready` or `not_ready`.
    #[schema(example = "ready")]
    pub status: String,
    /// Why it is not ready: `database_unavailable`, `head_unknown`, `not_indexed` or `lagging`.
    pub reason: Option<String>,
    /// A human-readable explanation when not ready.
    pub message: Option<String>,
    /// The chain head, when known.
    pub head_block: Option<u64>,
    /// The indexed block, when known.
    pub indexed_block: Option<u64>,
    /// The lag, when both are known.
    pub lag: Option<u64>,
    /// The largest lag that is still ready.
    pub max_lag: u64,
}

fn parse(key: &str, v: Option<String>) -> Result<Option<u64>, ApiError> {
    v.map(|s| {
        s.trim()
            .parse::<u64>()
            .map_err(|e| ApiError::internal(format!("meta {key} = '{s}': {e}")))
    })
    .transpose()
}

/// Head and indexed block: the follower's own counters when it runs in this process, else the database's.
async fn progress(st: &ApiState) -> Result<(Option<u64>, Option<u64>), ApiError> {
    let head = parse(keys::HEAD_BLOCK, st.store.meta(keys::HEAD_BLOCK).await?)?;
    let indexed = parse(
        keys::INDEXED_BLOCK,
        st.store.meta(keys::INDEXED_BLOCK).await?,
    )?;
    if st.metrics.follower.load(Ordering::Relaxed) {
        let h = st.metrics.head.load(Ordering::Relaxed);
        let i = st.metrics.indexed.load(Ordering::Relaxed);
        return Ok((
            if h > 0 { Some(h) } else { head },
            if i > 0 { Some(i) } else { indexed },
        ));
    }
    Ok((head, indexed))
}

fn lag(head: Option<u64>, indexed: Option<u64>) -> Option<u64> {
    Some(head?.saturating_sub(indexed?))
}

/// The chain id, the head, the indexed block and the lag.
#[utoipa::path(get, path = "/status", tag = "status",
    responses((status = 200, description = "Progress", body = StatusView),
              (status = 500, description = "The database failed", body = ErrorBody)))]
pub async fn status(State(st): State<ApiState>) -> Result<Json<StatusView>, ApiError> {
    let chain_id = parse(keys::CHAIN_ID, st.store.meta(keys::CHAIN_ID).await?)?;
    let (head_block, indexed_block) = progress(&st).await?;
    Ok(Json(StatusView {
        chain_id,
        head_block,
        indexed_block,
        lag: lag(head_block, indexed_block),
    }))
}

/// Liveness: the process answers (no database access).
#[utoipa::path(get, path = "/healthz", tag = "status",
    responses((status = 200, description = "Alive", body = HealthView)))]
pub async fn healthz() -> Json<HealthView> {
    Json(HealthView {
        status: "ok".into(),
    })
}

/// Readiness: 200 when the database answers and the indexed block is within `ready_max_lag` blocks of the
/// head, else 503 with the reason.
#[utoipa::path(get, path = "/readyz", tag = "status",
    responses((status = 200, description = "Ready", body = ReadyView),
              (status = 503, description = "Not ready", body = ReadyView)))]
pub async fn readyz(State(st): State<ApiState>) -> Response {
    let max_lag = st.config.ready_max_lag;
    let not_ready = |reason: &str, message: String, head: Option<u64>, indexed: Option<u64>| {
        let body = ReadyView {
            status: "not_ready".into(),
            reason: Some(reason.into()),
            message: Some(message),
            head_block: head,
            indexed_block: indexed,
            lag: lag(head, indexed),
            max_lag,
        };
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    };
    let (head, indexed) = match progress(&st).await {
        Ok(p) => p,
        Err(e) => return not_ready("database_unavailable", e.message, None, None),
    };
    match (head, indexed) {
        (None, _) => not_ready(
            "head_unknown",
            "the chain head is not known yet".into(),
            head,
            indexed,
        ),
        (_, None) => not_ready("not_indexed", "no block indexed yet".into(), head, indexed),
        (Some(h), Some(i)) if h.saturating_sub(i) > max_lag => not_ready(
            "lagging",
            format!(
                "indexed block {i} is {} blocks behind the head {h} (max {max_lag})",
                h - i
            ),
            head,
            indexed,
        ),
        _ => Json(ReadyView {
            status: "ready".into(),
            reason: None,
            message: None,
            head_block: head,
            indexed_block: indexed,
            lag: lag(head, indexed),
            max_lag,
        })
        .into_response(),
    }
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "status",
    responses((status = 200, description = "Metrics", content_type = "text/plain", body = String)))]
pub async fn metrics(State(st): State<ApiState>) -> Response {
    let (head, indexed) = progress(&st).await.unwrap_or((None, None));
    let text = st.metrics.render(head.unwrap_or(0), indexed.unwrap_or(0));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
