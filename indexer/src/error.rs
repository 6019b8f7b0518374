//! The indexer's error type.

/// What can go wrong while indexing or serving.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A schema migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The `--db` value is not a database this indexer supports.
    #[error("unsupported database URL '{0}': use a SQLite file path (or sqlite://PATH) or postgres://USER@HOST/DB")]
    BadDatabaseUrl(String),
    /// The RPC node failed (transient: the follower retries with backoff).
    #[error("RPC: {0}")]
    Rpc(String),
    /// A log that does not decode as a Curia event, or a log without block data.
    #[error("malformed chain data: {0}")]
    Decode(String),
    /// The database was built from another chain, genesis or deployment.
    #[error("{0}")]
    ChainMismatch(String),
    /// Another indexer holds the database's writer lock (PostgreSQL).
    #[error("another curia index is writing this database: stop it first, or use another --db")]
    WriterLocked,
    /// A reorg reached below the window of unfinalized blocks the indexer keeps.
    #[error(
        "reorg deeper than the finality depth ({depth} blocks) below block {block}: restart with a larger \
         --finality-depth and --reset, or point --db at a new database"
    )]
    ReorgTooDeep {
        /// The configured finality depth.
        depth: u64,
        /// The oldest block checked.
        block: u64,
    },
    /// The stored data contradicts itself or the chain (a bug, or a database written by something else).
    #[error("inconsistent index: {0}; rebuild it with `curia index --rebuild`, or --reset to start over")]
    Inconsistent(String),
}

impl IndexerError {
    /// Whether retrying later may succeed (RPC failures), as opposed to a condition a person must fix.
    pub fn is_transient(&self) -> bool {
        matches!(self, IndexerError::Rpc(_))
    }
}

/// The indexer's result type.
pub type Result<T, E = IndexerError> = std::result::Result<T, E>;
