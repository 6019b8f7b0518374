//! A response cache for the read routes, valid for one state of the index.
//!
//! Every answer of a `/v1/…` route is a function of the database, and the database changes only when the
//! indexer applies a batch or rolls one back. Each such write bumps a generation; successful answers are
//! kept per URI (path and query) for the current generation and dropped, all at once, when it moves. So a
//! cached answer is never older than the index it came from: hot routes such as `resolve` and the
//! leaderboard are answered from memory between blocks.
//!
//! In a process that runs the follower, the generation is [`Metrics::generation`], bumped by the follower
//! after each commit. An API process on its own watches the checkpoint in the database instead
//! ([`spawn_generation_watch`]), so its answers may trail the index by one poll interval.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::store::keys;
use crate::{Metrics, Store};

/// Entries kept per generation at most (beyond it, answers are computed but not kept).
const MAX_ENTRIES: usize = 10_000;
/// Largest answer kept.
const MAX_BODY: usize = 1 << 20;

/// Answers of the current generation, by URI.
#[derive(Debug, Default)]
pub(crate) struct ResponseCache {
    inner: RwLock<(u64, HashMap<String, Bytes>)>,
}

impl ResponseCache {
    fn get(&self, generation: u64, key: &str) -> Option<Bytes> {
        let g = self.inner.read().ok()?;
        (g.0 == generation).then(|| g.1.get(key).cloned()).flatten()
    }

    fn put(&self, generation: u64, key: String, body: Bytes) {
        if let Ok(mut g) = self.inner.write() {
            if g.0 != generation {
                if generation < g.0 {
                    return;
                }
                g.0 = generation;
                g.1.clear();
            }
            if g.1.len() < MAX_ENTRIES {
                g.1.insert(key, body);
            }
        }
    }
}

/// The cache's state: the cache and where the generation comes from.
#[derive(Clone)]
pub(crate) struct CacheState {
    pub cache: Arc<ResponseCache>,
    pub metrics: Arc<Metrics>,
}

fn cacheable(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET && path.starts_with("/v1/") && path != "/v1/events/stream"
}

/// The middleware: answers from the cache, or fills it with a successful answer.
pub(crate) async fn layer(State(st): State<CacheState>, req: Request, next: Next) -> Response {
    if !cacheable(&req) {
        return next.run(req).await;
    }
    let generation = st.metrics.generation.load(Ordering::Acquire);
    let key = req.uri().to_string();
    if let Some(body) = st.cache.get(generation, &key) {
        return json(body);
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            st.cache.put(generation, key, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => Response::from_parts(parts, Body::empty()),
    }
}

fn json(body: Bytes) -> Response {
    let mut res = Response::new(Body::from(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// For an API process without a follower: bumps `metrics.generation` whenever the checkpoint in the
/// database moves (a batch, or a rollback), checking every `every`.
pub(crate) fn spawn_generation_watch(store: Store, metrics: Arc<Metrics>, every: Duration) {
    tokio::spawn(async move {
        let mut last: Option<(Option<String>, Option<String>)> = None;
        loop {
            let now = (
                store.meta(keys::INDEXED_BLOCK).await.ok().flatten(),
                store.meta(keys::INDEXED_HASH).await.ok().flatten(),
            );
            if last.as_ref() != Some(&now) {
                metrics.generation.fetch_add(1, Ordering::AcqRel);
                last = Some(now);
            }
            tokio::time::sleep(every).await;
        }
    });
}
