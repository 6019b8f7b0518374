//! The keeper's errors.

use std::path::PathBuf;

/// What can stop the keeper (a single failed settle or answer is counted in the metrics and
/// retried, never an error of the loop).
#[derive(Debug, thiserror::Error)]
pub enum KeeperError {
    /// A failure of the SDK: connecting, the deployment, a decoded revert, the weights.
    #[error(transparent)]
    Sdk(#[from] curia_sdk::CuriaError),
    /// The node failed or could not be reached while doing `action`.
    #[error("{action}: {reason}")]
    Rpc {
        /// What was being done.
        action: String,
        /// The node's or the transport's error.
        reason: String,
    },
    /// The indexer's database failed.
    #[error("reading due challenges from the index database: {0}")]
    Store(String),
    /// A weights directory given to the responder is unusable.
    #[error("weights {}: {reason}", path.display())]
    Weights {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The configuration is invalid.
    #[error("{0}")]
    Config(String),
    /// `--once` did not finish in time (transactions still pending, or the chain unreachable).
    #[error("gave up after {secs} s: {what}")]
    Timeout {
        /// How long it tried.
        secs: u64,
        /// What was still left.
        what: String,
    },
}

impl KeeperError {
    pub(crate) fn rpc(action: &str, e: impl std::fmt::Display) -> Self {
        KeeperError::Rpc {
            action: action.to_string(),
            reason: e.to_string(),
        }
    }

    /// Whether the user can fix this (bad configuration, bad weights, a wrong deployment) rather
    /// than a failure of the environment (the node or the database unreachable).
    pub fn is_user_error(&self) -> bool {
        match self {
            KeeperError::Sdk(e) => e.is_user_error(),
            KeeperError::Weights { .. } | KeeperError::Config(_) => true,
            KeeperError::Rpc { .. } | KeeperError::Store(_) | KeeperError::Timeout { .. } => false,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = KeeperError> = std::result::Result<T, E>;
