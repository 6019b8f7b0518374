//! The HTTP curation API: an axum [`Router`] over the indexer's database, read-only.
//!
//! Routes (all JSON unless said otherwise; see `docs/api.md` and `/openapi.json`):
//!
//! - models: `GET /v1/models`, `/v1/models/{modelId}`, `/v1/models/{modelId}/versions`,
//!   `/v1/models/{modelId}/resolve` (the best-curated active version);
//! - versions: `GET /v1/versions`, `/v1/versions/{versionId}`, `/v1/versions/{versionId}/lineage`,
//!   `/v1/versions/{versionId}/curators`;
//! - curation: `GET /v1/curators/{address}/positions`, `/v1/accounts/{address}`, `/v1/leaderboard`;
//! - challenges: `GET /v1/challenges`, `/v1/challenges/{id}`;
//! - events: `GET /v1/events`, `/v1/events/stream` (server-sent events);
//! - operations: `GET /status`, `/healthz`, `/readyz`, `/metrics` (Prometheus text), `/openapi.json`.
//!
//! Lists are cursor-paginated ([`pagination`]); bad input is a 4xx with a JSON [`ApiError`] body, never a
//! 5xx.

mod cache;
mod challenges;
mod curators;
mod db;
pub mod error;
mod events;
mod models;
pub mod openapi;
pub mod pagination;
mod params;
mod status;
mod versions;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use tokio::sync::watch;
use tower_http::cors::{Any, CorsLayer};
use utoipa::OpenApi as _;

pub use error::ApiError;
pub use openapi::ApiDoc;

use crate::{Metrics, Store};

/// How the API behaves.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// `/readyz` answers 200 while the indexed block is at most this many blocks behind the head (default 5).
    pub ready_max_lag: u64,
    /// How often the event stream polls the database for new events, and an API process without a
    /// follower checks whether the index moved (default 200 ms).
    pub sse_poll: Duration,
    /// The last indexed block of a follower in the same process ([`crate::Follower::subscribe`]): wakes
    /// event streams as soon as a batch is committed, instead of at the next poll.
    pub tip: Option<watch::Receiver<u64>>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            ready_max_lag: 5,
            sse_poll: Duration::from_millis(200),
            tip: None,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct ApiState {
    store: Store,
    metrics: Arc<Metrics>,
    config: ApiConfig,
    openapi: Arc<serde_json::Value>,
}

/// Tells event streams that the server is shutting down (set by [`serve`]), so that graceful shutdown does
/// not wait on them forever.
#[derive(Clone)]
pub(crate) struct Closing(watch::Receiver<bool>);

/// The API's router, with CORS (any origin, GET) and request latencies recorded into `metrics`.
pub fn router(store: Store, metrics: Arc<Metrics>, config: ApiConfig) -> Router {
    let openapi = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|e| {
        tracing::error!(error = %e, "OpenAPI document does not serialize");
        serde_json::Value::Null
    });
    if !metrics.follower.load(std::sync::atomic::Ordering::Relaxed) {
        cache::spawn_generation_watch(store.clone(), metrics.clone(), config.sse_poll);
    }
    let cache_state = cache::CacheState {
        cache: Arc::default(),
        metrics: metrics.clone(),
    };
    let state = ApiState {
        store,
        metrics: metrics.clone(),
        config,
        openapi: Arc::new(openapi),
    };
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
        .allow_headers(Any)
        .expose_headers(Any);
    Router::new()
        .route("/v1/models", get(models::list_models))
        .route("/v1/models/{modelId}", get(models::get_model))
        .route("/v1/models/{modelId}/versions", get(models::model_versions))
        .route("/v1/models/{modelId}/resolve", get(models::resolve))
        .route("/v1/versions", get(versions::list_versions))
        .route("/v1/versions/{versionId}", get(versions::get_version))
        .route("/v1/versions/{versionId}/lineage", get(versions::lineage))
        .route(
            "/v1/versions/{versionId}/curators",
            get(curators::version_curators),
        )
        .route(
            "/v1/curators/{address}/positions",
            get(curators::curator_positions),
        )
        .route("/v1/accounts/{address}", get(curators::get_account))
        .route("/v1/leaderboard", get(curators::leaderboard))
        .route("/v1/challenges", get(challenges::list_challenges))
        .route("/v1/challenges/{id}", get(challenges::get_challenge))
        .route("/v1/events", get(events::list_events))
        .route("/v1/events/stream", get(events::stream))
        .route("/status", get(status::status))
        .route("/healthz", get(status::healthz))
        .route("/readyz", get(status::readyz))
        .route("/metrics", get(status::metrics))
        .route("/openapi.json", get(openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            cache_state,
            cache::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            record_latency,
        ))
        .layer(cors)
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, ends the event streams
/// and waits for the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (tx, rx) = watch::channel(false);
    let router = router.layer(Extension(Closing(rx)));
    let signal = async move {
        shutdown.await;
        let _ = tx.send(true);
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(signal)
        .await
}

async fn openapi_json(State(st): State<ApiState>) -> Json<serde_json::Value> {
    Json(st.openapi.as_ref().clone())
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no route {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: format!(
            "{method} is not allowed on {}: the API is read-only (GET)",
            uri.path()
        ),
    }
}

async fn record_latency(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let res = next.run(req).await;
    metrics.observe_request(start.elapsed());
    res.into_response()
}
