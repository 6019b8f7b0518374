//! The database: SQLite (embedded default, WAL) or PostgreSQL, through sqlx's `Any` driver with one
//! migration set per backend (`indexer/migrations/{sqlite,postgres}`).
//!
//! Every write of the follower goes through [`Store::apply_batch`] or [`Store::rollback_to`], each one
//! database transaction that writes the raw events, the projections and the checkpoint together: a crash
//! leaves the database at the previous checkpoint, never between two.

use std::str::FromStr;
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Executor, Row};

use crate::decode::{decode, Contracts, Event};
use crate::error::{IndexerError, Result};
use crate::journal;
use crate::projector::Projector;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (WAL).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A handle on the indexer's database (cheap to clone: a connection pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A log as stored: where it is in the chain, and its decoded event.
#[derive(Clone, Debug)]
pub struct StoredLog {
    /// Block number.
    pub block_number: u64,
    /// Block hash.
    pub block_hash: B256,
    /// Block timestamp, when the node gave it.
    pub block_time: Option<u64>,
    /// Transaction hash.
    pub tx_hash: B256,
    /// Index of the transaction in its block.
    pub tx_index: u64,
    /// Index of the log in its block.
    pub log_index: u64,
    /// The emitting contract.
    pub address: Address,
    /// Raw topics.
    pub topics: Vec<B256>,
    /// Raw data.
    pub data: Vec<u8>,
    /// The decoded event.
    pub event: Event,
}

/// A block header the follower keeps in its reorg window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockRef {
    /// Number.
    pub number: u64,
    /// Hash.
    pub hash: B256,
    /// Parent hash.
    pub parent_hash: B256,
}

/// Keys of the `meta` table.
pub mod keys {
    /// The chain id the database indexes.
    pub const CHAIN_ID: &str = "chain_id";
    /// The hash of that chain's genesis block.
    pub const GENESIS: &str = "genesis_hash";
    /// The four contract addresses, comma-separated.
    pub const CONTRACTS: &str = "contracts";
    /// The first block indexed (the deployment block).
    pub const START_BLOCK: &str = "start_block";
    /// The checkpoint: the last block applied.
    pub const INDEXED_BLOCK: &str = "indexed_block";
    /// The checkpoint's block hash.
    pub const INDEXED_HASH: &str = "indexed_hash";
    /// The latest chain head the follower saw.
    pub const HEAD_BLOCK: &str = "head_block";
}

/// A token amount as stored: 78-digit zero-padded decimal, so that text order is numeric order.
pub fn amount_to_db(v: &U256) -> String {
    format!("{v:0>78}")
}

/// A stored amount back as a number.
pub fn amount_from_db(s: &str) -> Result<U256> {
    U256::from_str_radix(s, 10)
        .map_err(|e| IndexerError::Inconsistent(format!("stored amount '{s}': {e}")))
}

/// A stored amount as the API shows it: decimal without the padding.
pub fn amount_display(s: &str) -> String {
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// A 32-byte id or hash as stored: lowercase 0x-hex.
pub fn b256_to_db(v: &B256) -> String {
    format!("{v:#x}")
}

/// An address as stored: lowercase 0x-hex (the API checksums it).
pub fn address_to_db(a: &Address) -> String {
    format!("{a:#x}")
}

pub(crate) fn parse_b256(s: &str) -> Result<B256> {
    B256::from_str(s).map_err(|e| IndexerError::Inconsistent(format!("stored hash '{s}': {e}")))
}

pub(crate) fn parse_address(s: &str) -> Result<Address> {
    Address::from_str(s)
        .map_err(|e| IndexerError::Inconsistent(format!("stored address '{s}': {e}")))
}

pub(crate) fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v)
        .map_err(|_| IndexerError::Decode(format!("{v} does not fit in a 64-bit signed integer")))
}

pub(crate) fn to_u64(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| IndexerError::Inconsistent(format!("negative stored number {v}")))
}

impl Store {
    /// Opens (and creates, for SQLite) the database at `url` and brings its schema up to date.
    ///
    /// `url` is `postgres://…`, `sqlite://PATH`, `sqlite::memory:` or a plain file path (SQLite).
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, 8).await
    }

    /// [`Store::open`] with a maximum number of pooled connections.
    pub async fn open_with(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_owned(), Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            (url.to_owned(), Backend::Sqlite)
        } else if url.contains("://") {
            return Err(IndexerError::BadDatabaseUrl(url.to_owned()));
        } else {
            if let Some(dir) = std::path::Path::new(url).parent() {
                if !dir.as_os_str().is_empty() && !dir.is_dir() {
                    return Err(IndexerError::BadDatabaseUrl(format!(
                        "{url} (the directory {} does not exist)",
                        dir.display()
                    )));
                }
            }
            (format!("sqlite://{url}?mode=rwc"), Backend::Sqlite)
        };
        let url =
            if backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            } else {
                url
            };
        let opts = AnyConnectOptions::from_str(&url)
            .map_err(|_| IndexerError::BadDatabaseUrl(url.clone()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets API readers run beside the one writer; a busy writer makes others wait, not fail.
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            // SQLite has no migration lock: two processes opening a new file at once (an indexer and an
            // API) race to create the schema. The loser fails inside its transaction; once the winner has
            // committed, a retry finds the migrations applied.
            let mut attempt = 0;
            while let Err(e) = SQLITE.run(&pool).await {
                attempt += 1;
                if attempt >= 10 {
                    return Err(e.into());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        } else {
            POSTGRES.run(&pool).await?;
        }
        Ok(Self { pool, backend })
    }

    /// The connection pool, for read queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Takes the writer's lock on PostgreSQL (a session advisory lock, held as long as the returned
    /// connection lives), so that two indexers never write one database. `Ok(None)` on SQLite, whose
    /// single-writer rule already serialises writers (and whose unique keys refuse a second copy).
    pub async fn lock_writer(&self) -> Result<Option<sqlx::AnyConnection>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        // Detached from the pool: dropping it closes the session, which releases the lock. A writer that
        // just stopped may take a moment to disconnect, so the lock is tried for a few seconds.
        let mut conn = self.pool.acquire().await?.detach();
        for _ in 0..30 {
            let row = sqlx::query("SELECT pg_try_advisory_lock(7460397765938741861) AS locked")
                .fetch_one(&mut conn)
                .await?;
            if row.try_get::<bool, _>("locked")? {
                return Ok(Some(conn));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(IndexerError::WriterLocked)
    }

    /// A value of the meta table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        meta_get(&mut conn, key).await
    }

    /// Sets a value of the meta table (outside any batch: used for the chain head).
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        meta_set(&mut conn, key, value).await
    }

    /// The last block applied and its hash, if any.
    pub async fn checkpoint(&self) -> Result<Option<(u64, B256)>> {
        let mut conn = self.pool.acquire().await?;
        let n = meta_get(&mut conn, keys::INDEXED_BLOCK).await?;
        let h = meta_get(&mut conn, keys::INDEXED_HASH).await?;
        match (n, h) {
            (Some(n), Some(h)) => {
                let n = n
                    .parse()
                    .map_err(|_| IndexerError::Inconsistent(format!("checkpoint block '{n}'")))?;
                Ok(Some((n, parse_b256(&h)?)))
            }
            _ => Ok(None),
        }
    }

    /// The hash of a block in the reorg window.
    pub async fn block_hash(&self, number: u64) -> Result<Option<B256>> {
        let row = sqlx::query("SELECT hash FROM blocks WHERE number = $1")
            .bind(to_i64(number)?)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| parse_b256(&r.try_get::<String, _>(0)?))
            .transpose()
    }

    /// The contracts the database indexes, if it was initialised.
    pub async fn contracts(&self) -> Result<Option<Contracts>> {
        let mut conn = self.pool.acquire().await?;
        contracts_of(&mut conn).await
    }

    /// Records what the database indexes and where it starts: chain id, genesis hash, contracts, and the
    /// block before the deployment as the checkpoint. Only on an empty database.
    pub async fn initialise(
        &self,
        chain_id: u64,
        genesis: B256,
        contracts: &Contracts,
        before_start: BlockRef,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let c = contracts;
        let contracts = [c.config, c.registry, c.curation, c.challenges]
            .iter()
            .map(address_to_db)
            .collect::<Vec<_>>()
            .join(",");
        meta_set(&mut tx, keys::CHAIN_ID, &chain_id.to_string()).await?;
        meta_set(&mut tx, keys::GENESIS, &b256_to_db(&genesis)).await?;
        meta_set(&mut tx, keys::CONTRACTS, &contracts).await?;
        meta_set(
            &mut tx,
            keys::START_BLOCK,
            &(before_start.number + 1).to_string(),
        )
        .await?;
        set_checkpoint(&mut tx, &before_start).await?;
        insert_blocks(&mut tx, std::slice::from_ref(&before_start)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes everything: raw events, projections, the reorg window and the meta data.
    pub async fn reset(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for table in ["events", "blocks", "meta", "reorgs"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        clear_projections(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies one batch in one transaction: the logs (in chain order), the projections they change, the
    /// headers of the blocks in the reorg window, and the new checkpoint `to`.
    pub async fn apply_batch(
        &self,
        chain_id: u64,
        contracts: &Contracts,
        logs: &[StoredLog],
        headers: &[BlockRef],
        to: &BlockRef,
        prune_below: u64,
    ) -> Result<()> {
        let _ = contracts;
        let mut tx = self.pool.begin().await?;
        let first = checkpoint_of(&mut tx).await?.map_or(0, |n| n + 1);
        insert_events(&mut tx, self.backend, chain_id, logs).await?;
        // A batch that reaches into the reorg window is journaled, so that a reorg can undo it.
        let mut projector = if to.number >= prune_below && to.number >= first {
            journal::begin(&mut tx, first, to.number).await?;
            Projector::journaled(first)
        } else {
            Projector::default()
        };
        for log in logs {
            projector.apply(&mut tx, log).await?;
        }
        projector.flush(&mut tx).await?;
        insert_blocks(&mut tx, headers).await?;
        insert_blocks(&mut tx, std::slice::from_ref(to)).await?;
        sqlx::query("DELETE FROM blocks WHERE number < $1")
            .bind(to_i64(prune_below.min(to.number))?)
            .execute(&mut *tx)
            .await?;
        journal::prune(&mut tx, prune_below.min(to.number)).await?;
        set_checkpoint(&mut tx, to).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rolls the index back to `fork` (a block both the database and the chain agree on), in one
    /// transaction: deletes the events and window blocks above it, and undoes their projections with the
    /// undo journal (rebuilding every projection from the raw events where the journal does not reach).
    pub async fn rollback_to(&self, fork: &BlockRef) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let indexed = checkpoint_of(&mut tx).await?.unwrap_or(fork.number);
        let n = to_i64(fork.number)?;
        let deleted = sqlx::query("DELETE FROM events WHERE block_number > $1")
            .bind(n)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM blocks WHERE number > $1")
            .bind(n)
            .execute(&mut *tx)
            .await?;
        set_checkpoint(&mut tx, fork).await?;
        sqlx::query("INSERT INTO reorgs (fork_block) VALUES ($1)")
            .bind(n)
            .execute(&mut *tx)
            .await?;
        match journal::undo_after(&mut tx, fork.number, indexed).await? {
            Some(from) if from <= fork.number => {
                // The oldest undone batch began at or below the fork: project its part up to the fork again.
                journal::begin(&mut tx, from, fork.number).await?;
                let mut projector = Projector::journaled(from);
                replay_events(&mut tx, &mut projector, from).await?;
                projector.flush(&mut tx).await?;
            }
            Some(_) => {}
            None => {
                tracing::info!(
                    fork = fork.number,
                    "the undo journal does not reach the fork: rebuilding every projection"
                );
                rebuild_projections(&mut tx).await?;
            }
        }
        tx.commit().await?;
        Ok(deleted.rows_affected())
    }

    /// Every row of every table but `meta` and `blocks`, one line each, in a stable order and without the
    /// events' surrogate ids: two databases built from the same chain dump the same lines, whichever the
    /// backend and however the indexing was interrupted.
    pub async fn dump(&self) -> Result<Vec<String>> {
        use sqlx::Column;
        let mut out = Vec::new();
        for (table, order) in [
            ("events", "block_number, log_index"),
            ("models", "model_id"),
            ("versions", "version_id"),
            ("positions", "version_id, curator"),
            ("challenges", "challenge_id"),
            ("accounts", "account"),
        ] {
            let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order}"))
                .fetch_all(&self.pool)
                .await?;
            for r in rows {
                let mut line = table.to_owned();
                for (i, col) in r.columns().iter().enumerate() {
                    if col.name() == "id" {
                        continue;
                    }
                    let v = match r.try_get::<Option<String>, _>(i) {
                        Ok(v) => v,
                        Err(_) => match r.try_get::<Option<i64>, _>(i) {
                            Ok(v) => v.map(|n| n.to_string()),
                            Err(_) => r
                                .try_get::<Option<Vec<u8>>, _>(i)?
                                .map(alloy::hex::encode_prefixed),
                        },
                    };
                    line.push_str(&format!(
                        " {}={}",
                        col.name(),
                        v.as_deref().unwrap_or("NULL")
                    ));
                }
                out.push(line);
            }
        }
        Ok(out)
    }

    /// Rebuilds every projection from the raw events, in one transaction (`curia index --rebuild`).
    pub async fn rebuild(&self) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let n = rebuild_projections(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }
}

pub(crate) async fn meta_get(conn: &mut AnyConnection, key: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get::<String, _>(0)).transpose()?)
}

pub(crate) async fn meta_set(conn: &mut AnyConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The checkpoint's block number, read inside a transaction.
async fn checkpoint_of(conn: &mut AnyConnection) -> Result<Option<u64>> {
    meta_get(conn, keys::INDEXED_BLOCK)
        .await?
        .map(|s| {
            s.parse::<u64>().map_err(|_| {
                IndexerError::Inconsistent(format!("stored checkpoint '{s}' is not a block number"))
            })
        })
        .transpose()
}

async fn set_checkpoint(conn: &mut AnyConnection, b: &BlockRef) -> Result<()> {
    meta_set(conn, keys::INDEXED_BLOCK, &b.number.to_string()).await?;
    meta_set(conn, keys::INDEXED_HASH, &b256_to_db(&b.hash)).await
}

async fn insert_blocks(conn: &mut AnyConnection, headers: &[BlockRef]) -> Result<()> {
    for h in headers {
        sqlx::query(
            "INSERT INTO blocks (number, hash, parent_hash) VALUES ($1, $2, $3) \
             ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash",
        )
        .bind(to_i64(h.number)?)
        .bind(b256_to_db(&h.hash))
        .bind(b256_to_db(&h.parent_hash))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Rows per multi-row INSERT (11 parameters each; SQLite allows 32,766 per statement).
const INSERT_CHUNK: usize = 500;

async fn insert_events(
    conn: &mut AnyConnection,
    backend: Backend,
    chain_id: u64,
    logs: &[StoredLog],
) -> Result<()> {
    let chain_id = to_i64(chain_id)?;
    for chunk in logs.chunks(INSERT_CHUNK) {
        let mut sql = String::from(
            "INSERT INTO events (chain_id, block_number, block_hash, block_time, tx_hash, tx_index, log_index, \
             address, name, topics, data) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for j in 0..11 {
                if j > 0 {
                    sql.push(',');
                }
                // Positional `?` on SQLite: with numbered `$N` sqlx looks every parameter up by name,
                // which is quadratic in a statement of thousands of parameters.
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => sql.push_str(&format!("${}", i * 11 + j + 1)),
                }
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for log in chunk {
            let topics: Vec<u8> = log.topics.iter().flat_map(|t| t.0).collect();
            q = q
                .bind(chain_id)
                .bind(to_i64(log.block_number)?)
                .bind(b256_to_db(&log.block_hash))
                .bind(log.block_time.map(to_i64).transpose()?)
                .bind(b256_to_db(&log.tx_hash))
                .bind(to_i64(log.tx_index)?)
                .bind(to_i64(log.log_index)?)
                .bind(address_to_db(&log.address))
                .bind(log.event.name())
                .bind(topics)
                .bind(log.data.as_slice());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn clear_projections(conn: &mut AnyConnection) -> Result<()> {
    for table in journal::PROJECTION_TABLES {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    journal::clear(conn).await
}

/// Events replayed per query while rebuilding.
const REBUILD_PAGE: i64 = 5_000;

async fn rebuild_projections(conn: &mut AnyConnection) -> Result<u64> {
    clear_projections(conn).await?;
    let mut projector = Projector::default();
    let count = replay_events(conn, &mut projector, 0).await?;
    projector.flush(conn).await?;
    Ok(count)
}

/// Applies the stored events from block `from` on, in chain order (without flushing).
async fn replay_events(
    conn: &mut AnyConnection,
    projector: &mut Projector,
    from: u64,
) -> Result<u64> {
    let Some(contracts) = contracts_of(conn).await? else {
        return Ok(0);
    };
    let from = to_i64(from)?;
    let mut after: i64 = -1;
    let mut count = 0u64;
    loop {
        // Ids grow in chain order: events are inserted in order, and a rollback deletes only the newest.
        let rows = sqlx::query(
            "SELECT id, block_number, block_hash, block_time, tx_hash, tx_index, log_index, address, topics, data \
             FROM events WHERE id > $1 AND block_number >= $2 ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(from)
        .bind(REBUILD_PAGE)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        let mut logs = Vec::with_capacity(rows.len());
        for r in &rows {
            after = r.try_get("id")?;
            logs.push(stored_log_from_row(&contracts, r)?);
        }
        for log in &logs {
            projector.apply(conn, log).await?;
            count += 1;
        }
    }
    Ok(count)
}

async fn contracts_of(conn: &mut AnyConnection) -> Result<Option<Contracts>> {
    let Some(s) = meta_get(conn, keys::CONTRACTS).await? else {
        return Ok(None);
    };
    let p: Vec<&str> = s.split(',').collect();
    if p.len() != 4 {
        return Err(IndexerError::Inconsistent(format!(
            "stored contracts '{s}'"
        )));
    }
    Ok(Some(Contracts {
        config: parse_address(p[0])?,
        registry: parse_address(p[1])?,
        curation: parse_address(p[2])?,
        challenges: parse_address(p[3])?,
    }))
}

/// The topics of a stored event: 32-byte words, concatenated.
pub fn topics_from_db(b: &[u8]) -> Result<Vec<B256>> {
    if !b.len().is_multiple_of(32) {
        return Err(IndexerError::Inconsistent(format!(
            "stored topics of {} bytes (not a multiple of 32)",
            b.len()
        )));
    }
    Ok(b.chunks_exact(32).map(B256::from_slice).collect())
}

fn stored_log_from_row(contracts: &Contracts, r: &sqlx::any::AnyRow) -> Result<StoredLog> {
    let topics = topics_from_db(&r.try_get::<Vec<u8>, _>("topics")?)?;
    let data: Vec<u8> = r.try_get("data")?;
    let address = parse_address(&r.try_get::<String, _>("address")?)?;
    let event = decode(contracts, address, &topics, &data)?;
    Ok(StoredLog {
        block_number: to_u64(r.try_get("block_number")?)?,
        block_hash: parse_b256(&r.try_get::<String, _>("block_hash")?)?,
        block_time: r
            .try_get::<Option<i64>, _>("block_time")?
            .map(to_u64)
            .transpose()?,
        tx_hash: parse_b256(&r.try_get::<String, _>("tx_hash")?)?,
        tx_index: to_u64(r.try_get("tx_index")?)?,
        log_index: to_u64(r.try_get("log_index")?)?,
        address,
        topics,
        data,
        event,
    })
}
