//! Prometheus metrics of the keeper, and the tiny HTTP server that exposes them.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::http::header;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

/// The keeper's counters (cheap to share: atomics).
#[derive(Debug, Default)]
pub struct Metrics {
    settled: AtomicU64,
    lost_races: AtomicU64,
    failed: AtomicU64,
    responded: AtomicU64,
    rpc_errors: AtomicU64,
    due: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetricsSnapshot {
    /// Challenges this keeper settled (its transaction succeeded).
    pub settled: u64,
    /// Challenges another keeper settled first (found settled by the simulation, or our
    /// transaction reverted because it already was): a success for the protocol.
    pub lost_races: u64,
    /// Settles or answers that failed for another reason (a revert, weights that do not match).
    pub failed: u64,
    /// Availability challenges this keeper answered.
    pub responded: u64,
    /// Failed calls to the node (each retried later).
    pub rpc_errors: u64,
    /// Challenges due for settlement at the last round.
    pub due: u64,
}

impl MetricsSnapshot {
    /// The counts since `earlier` (the gauge `due` is this snapshot's).
    pub fn since(&self, earlier: &MetricsSnapshot) -> MetricsSnapshot {
        MetricsSnapshot {
            settled: self.settled.saturating_sub(earlier.settled),
            lost_races: self.lost_races.saturating_sub(earlier.lost_races),
            failed: self.failed.saturating_sub(earlier.failed),
            responded: self.responded.saturating_sub(earlier.responded),
            rpc_errors: self.rpc_errors.saturating_sub(earlier.rpc_errors),
            due: self.due,
        }
    }
}

impl Metrics {
    pub(crate) fn settled(&self) {
        self.settled.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn lost_race(&self) {
        self.lost_races.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn failed(&self) {
        self.failed.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn responded(&self) {
        self.responded.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn rpc_error(&self) {
        self.rpc_errors.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn set_due(&self, n: u64) {
        self.due.store(n, Ordering::Relaxed);
    }

    /// The current values.
    pub fn snapshot(&self) -> MetricsSnapshot {
        MetricsSnapshot {
            settled: self.settled.load(Ordering::Relaxed),
            lost_races: self.lost_races.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            responded: self.responded.load(Ordering::Relaxed),
            rpc_errors: self.rpc_errors.load(Ordering::Relaxed),
            due: self.due.load(Ordering::Relaxed),
        }
    }

    /// The Prometheus text exposition of the metrics.
    pub fn render(&self) -> String {
        let s = self.snapshot();
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        };
        metric(
            "curia_keeper_settled_total",
            "counter",
            "Challenges this keeper settled.",
            s.settled,
        );
        metric(
            "curia_keeper_lost_races_total",
            "counter",
            "Due challenges another keeper settled first (a success, not an error).",
            s.lost_races,
        );
        metric(
            "curia_keeper_failed_total",
            "counter",
            "Settles or answers that failed for another reason than a lost race.",
            s.failed,
        );
        metric(
            "curia_keeper_responded_total",
            "counter",
            "Availability challenges this keeper answered.",
            s.responded,
        );
        metric(
            "curia_keeper_rpc_errors_total",
            "counter",
            "Failed calls to the node (retried with backoff).",
            s.rpc_errors,
        );
        metric(
            "curia_keeper_due",
            "gauge",
            "Challenges due for settlement at the last round.",
            s.due,
        );
        out
    }
}

/// Serves `GET /metrics` (Prometheus text) and `GET /healthz` on `listener` until `shutdown`
/// completes.
pub async fn serve_metrics(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = Router::new()
        .route(
            "/metrics",
            get(move || {
                let m = metrics.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        m.render(),
                    )
                }
            }),
        )
        .route("/healthz", get(|| async { "ok" }));
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
