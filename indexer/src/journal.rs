//! The undo journal: how a reorg is rolled back without rebuilding every projection.
//!
//! Each batch that reaches into the reorg window (its last block at or above the window's first block)
//! is journaled: `undo_batches` records its block range, and `undo_rows` the image of every projection
//! row it changed, as the row was before the batch (or that the row did not exist). Rolling back to a
//! fork block undoes the journaled batches above it, newest first, then re-applies the raw events of the
//! blocks between the oldest undone batch's first block and the fork (a batch is undone whole, so the
//! part of it at or below the fork is projected again). Batches that fall out of the window are pruned.
//!
//! When the journal does not cover the blocks to undo (a database written before the journal existed, a
//! fork below the window, or after `--rebuild`), [`undo_after`] says so and the caller rebuilds every
//! projection from the raw events instead: slower, equally correct.

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};

use crate::error::{IndexerError, Result};
use crate::store::{to_i64, to_u64};

/// A value of a projection row's key or of a stored row image: every projection column is text or a
/// 64-bit integer.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    /// A text column (ids, addresses, amounts).
    Text(String),
    /// An integer column (blocks, counts, challenge ids).
    Int(i64),
}

impl Cell {
    fn to_json(&self) -> Value {
        match self {
            Cell::Text(s) => Value::from(s.as_str()),
            Cell::Int(n) => Value::from(*n),
        }
    }

    fn from_json(v: &Value) -> Result<Option<Self>> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(Cell::Text(s.clone()))),
            Value::Number(n) => n.as_i64().map(|n| Some(Cell::Int(n))).ok_or_else(|| {
                IndexerError::Inconsistent(format!(
                    "undo journal value {n} is not a 64-bit integer"
                ))
            }),
            other => Err(IndexerError::Inconsistent(format!(
                "undo journal value {other} is neither text nor an integer"
            ))),
        }
    }
}

/// Column `i` of `row` as a cell, or `None` for NULL.
pub(crate) fn cell(row: &AnyRow, i: usize) -> Result<Option<Cell>> {
    Ok(match row.try_get::<Option<String>, _>(i) {
        Ok(v) => v.map(Cell::Text),
        Err(_) => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
    })
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    c: &Cell,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match c {
        Cell::Text(s) => q.bind(s.clone()),
        Cell::Int(n) => q.bind(*n),
    }
}

/// `WHERE k1 = $1 AND k2 = $2 …` for the key columns of `key`.
fn key_filter(key: &[(&str, Cell)]) -> String {
    key.iter()
        .enumerate()
        .map(|(i, (col, _))| format!("{col} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Starts journaling a batch of blocks `first..=last` (call before its projections are written).
pub(crate) async fn begin(conn: &mut AnyConnection, first: u64, last: u64) -> Result<()> {
    sqlx::query("INSERT INTO undo_batches (first_block, last_block) VALUES ($1, $2)")
        .bind(to_i64(first)?)
        .bind(to_i64(last)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records the row of `table` with `key` as it is now, before batch `batch` (its first block) changes it.
/// Each row is saved once per batch: the projector writes each row once per flush.
pub(crate) async fn save(
    conn: &mut AnyConnection,
    batch: u64,
    table: &str,
    key: &[(&str, Cell)],
) -> Result<()> {
    let sql = format!("SELECT * FROM {table} WHERE {}", key_filter(key));
    let mut q = sqlx::query(&sql);
    for (_, c) in key {
        q = bind(q, c);
    }
    let image = match q.fetch_optional(&mut *conn).await? {
        None => None,
        Some(row) => {
            let mut m = Map::new();
            for (i, col) in row.columns().iter().enumerate() {
                if let Some(c) = cell(&row, i)? {
                    m.insert(col.name().to_owned(), c.to_json());
                }
            }
            Some(Value::Object(m).to_string())
        }
    };
    let key_json: Map<String, Value> = key
        .iter()
        .map(|(col, c)| ((*col).to_owned(), c.to_json()))
        .collect();
    sqlx::query("INSERT INTO undo_rows (batch, tbl, row_key, image) VALUES ($1, $2, $3, $4)")
        .bind(to_i64(batch)?)
        .bind(table.to_owned())
        .bind(Value::Object(key_json).to_string())
        .bind(image)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets the batches that ended below block `below` (out of the reorg window).
pub(crate) async fn prune(conn: &mut AnyConnection, below: u64) -> Result<()> {
    let below = to_i64(below)?;
    sqlx::query(
        "DELETE FROM undo_rows WHERE batch IN (SELECT first_block FROM undo_batches WHERE last_block < $1)",
    )
    .bind(below)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM undo_batches WHERE last_block < $1")
        .bind(below)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets the whole journal (after the projections are rebuilt or cleared).
pub(crate) async fn clear(conn: &mut AnyConnection) -> Result<()> {
    for table in ["undo_rows", "undo_batches"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Undoes every journaled batch above block `fork`, given the checkpoint `indexed` (the last block
/// applied). Returns the first block whose events must be projected again (up to `fork`), or `None`,
/// having changed nothing, when the journal does not cover every block from `fork + 1` to `indexed`.
pub(crate) async fn undo_after(
    conn: &mut AnyConnection,
    fork: u64,
    indexed: u64,
) -> Result<Option<u64>> {
    let rows = sqlx::query(
        "SELECT first_block, last_block FROM undo_batches WHERE last_block > $1 ORDER BY first_block DESC",
    )
    .bind(to_i64(fork)?)
    .fetch_all(&mut *conn)
    .await?;
    let mut batches = Vec::with_capacity(rows.len());
    for r in &rows {
        batches.push((to_u64(r.try_get(0)?)?, to_u64(r.try_get(1)?)?));
    }
    // Covered: contiguous batches from one that holds block fork + 1 up to the checkpoint.
    let mut next = indexed + 1;
    for &(first, last) in &batches {
        if last + 1 != next {
            return Ok(None);
        }
        next = first;
    }
    if batches.is_empty() || next > fork + 1 {
        return Ok(None);
    }
    for &(first, _) in &batches {
        let rows = sqlx::query("SELECT tbl, row_key, image FROM undo_rows WHERE batch = $1")
            .bind(to_i64(first)?)
            .fetch_all(&mut *conn)
            .await?;
        for r in rows {
            let table: String = r.try_get("tbl")?;
            if !PROJECTION_TABLES.contains(&table.as_str()) {
                return Err(IndexerError::Inconsistent(format!(
                    "undo journal names table '{table}'"
                )));
            }
            restore(
                conn,
                &table,
                &r.try_get::<String, _>("row_key")?,
                r.try_get::<Option<String>, _>("image")?.as_deref(),
            )
            .await?;
        }
        sqlx::query("DELETE FROM undo_rows WHERE batch = $1")
            .bind(to_i64(first)?)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM undo_batches WHERE last_block > $1")
        .bind(to_i64(fork)?)
        .execute(&mut *conn)
        .await?;
    Ok(Some(next))
}

/// The tables the journal restores.
pub(crate) const PROJECTION_TABLES: [&str; 5] =
    ["models", "versions", "positions", "challenges", "accounts"];

fn object(s: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str(s) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(IndexerError::Inconsistent(format!(
            "undo journal entry '{s}' is not a JSON object"
        ))),
    }
}

/// Puts one row of `table` back as `image` was (deletes it when `image` is `None`: the batch created it).
async fn restore(
    conn: &mut AnyConnection,
    table: &str,
    key: &str,
    image: Option<&str>,
) -> Result<()> {
    let key = object(key)?;
    let mut cells = Vec::with_capacity(key.len());
    for (col, v) in &key {
        let c = Cell::from_json(v)?.ok_or_else(|| {
            IndexerError::Inconsistent(format!("undo journal key {col} of {table} is null"))
        })?;
        cells.push((col.as_str(), c));
    }
    let sql = format!("DELETE FROM {table} WHERE {}", key_filter(&cells));
    let mut q = sqlx::query(&sql);
    for (_, c) in &cells {
        q = bind(q, c);
    }
    q.execute(&mut *conn).await?;
    let Some(image) = image else {
        return Ok(());
    };
    // NULL columns are left out of the image, and so out of the INSERT (nullable, no default).
    let mut cols = Vec::new();
    let mut values = Vec::new();
    for (col, v) in object(image)? {
        if let Some(c) = Cell::from_json(&v)? {
            if !col.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(IndexerError::Inconsistent(format!(
                    "undo journal column '{col}'"
                )));
            }
            cols.push(col);
            values.push(c);
        }
    }
    let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        placeholders.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for c in &values {
        q = bind(q, c);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}
