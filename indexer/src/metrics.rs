//! Prometheus metrics shared by the follower and the API of one process.
//!
//! The follower sets the chain head, the indexed block and the counters; the API records request
//! latencies and renders everything in the Prometheus text format at `/metrics`. An API process without a
//! follower reads the head and the indexed block from the database instead (see [`crate::api`]).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The process's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Latest chain head seen by the follower.
    pub head: AtomicU64,
    /// Last block applied to the database.
    pub indexed: AtomicU64,
    /// Events written since the process started.
    pub events: AtomicU64,
    /// RPC calls that failed (each retried).
    pub rpc_errors: AtomicU64,
    /// Reorgs rolled back.
    pub reorgs: AtomicU64,
    /// Bumped after every write of the index (a batch or a rollback): what the API's response cache and
    /// event streams key on.
    pub generation: AtomicU64,
    /// Whether a follower runs in this process.
    pub follower: std::sync::atomic::AtomicBool,
    requests: Mutex<Histogram>,
}

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    /// Records one HTTP request's latency.
    pub fn observe_request(&self, elapsed: Duration) {
        let s = elapsed.as_secs_f64();
        if let Ok(mut h) = self.requests.lock() {
            for (i, b) in BUCKETS.iter().enumerate() {
                if s <= *b {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += s;
        }
    }

    /// Everything in the Prometheus text exposition format. `head` and `indexed` are passed in so that an
    /// API process without a follower can report what the database says.
    pub fn render(&self, head: u64, indexed: u64) -> String {
        let mut out = String::new();
        let gauge = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        let counter = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        };
        gauge(
            &mut out,
            "curia_chain_head_block",
            "Latest block of the chain seen by the indexer.",
            head,
        );
        gauge(
            &mut out,
            "curia_indexed_block",
            "Last block applied to the database.",
            indexed,
        );
        gauge(
            &mut out,
            "curia_index_lag_blocks",
            "Blocks between the chain head and the indexed block.",
            head.saturating_sub(indexed),
        );
        counter(
            &mut out,
            "curia_events_indexed_total",
            "Events written by this process (rate() gives events/s).",
            self.events.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "curia_rpc_errors_total",
            "RPC calls that failed and were retried.",
            self.rpc_errors.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "curia_reorgs_total",
            "Reorgs rolled back.",
            self.reorgs.load(Ordering::Relaxed),
        );
        let name = "curia_http_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Latency of API requests.\n# TYPE {name} histogram"
        );
        if let Ok(h) = self.requests.lock() {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "{name}_bucket{{le=\"{b}\"}} {}", h.counts[i]);
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"+Inf\"}} {}\n{name}_sum {}\n{name}_count {}",
                h.count, h.sum, h.count
            );
        }
        out
    }
}
