//! Curia keeper: settles challenges past their deadline and answers availability challenges on
//! the versions whose weights it holds.
//!
//! - [`Keeper`]: rounds of "read what is due, confirm it on chain by simulating, send" with
//!   bounded concurrency, one signer (nonces assigned by one send lock, fees and gas by alloy),
//!   a max-fee cap, a dry run, lost races counted as successes, backoff on node failures.
//! - [`Source`]: the chain's events (scanned incrementally) or the indexer's database.
//! - [`Metrics`]: Prometheus counters, served by [`serve_metrics`].
//!
//! See `docs/keeper.md`.
#![deny(missing_docs)]

mod error;
mod keeper;
mod metrics;
mod responder;
mod source;

pub use error::{KeeperError, Result};
pub use keeper::{Keeper, KeeperConfig};
pub use metrics::{serve_metrics, Metrics, MetricsSnapshot};
pub use responder::{outboard_path, weights_of};
pub use source::{Candidate, Source};
