//! Curia indexer: a reorg-safe, crash-safe mirror of the protocol's events in SQLite or PostgreSQL, and
//! the HTTP curation API that dApps read.
//!
//! - [`follower`]: backfills with parallel `eth_getLogs`, follows the head, rolls back reorgs.
//! - [`store`]: the database (one transaction per batch: raw events, projections, checkpoint).
//! - [`projector`]: how each event changes the projections (models, versions, positions, challenges,
//!   accounts); the (private) `journal` module undoes them on a reorg.
//! - [`decode`]: logs to typed [`decode::Event`]s.
//! - [`api`]: the axum router, its OpenAPI document and the event stream.
//! - [`metrics`]: Prometheus counters shared by the follower and the API.
//! - [`testing`]: a fresh PostgreSQL database for tests.
#![deny(missing_docs)]

pub mod api;
pub mod decode;
pub mod error;
pub mod follower;
mod journal;
pub mod metrics;
pub mod projector;
pub mod store;
pub mod testing;

pub use error::{IndexerError, Result};
pub use follower::{Follower, FollowerConfig};
pub use metrics::Metrics;
pub use store::{Backend, Store};
