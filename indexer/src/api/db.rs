//! Query building and row reading shared by the routes (sqlx `Any`: `$n` placeholders on both backends).

use std::str::FromStr;

use alloy::primitives::{Address, U256};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::error::ApiError;
use crate::store::amount_display;

enum Bind {
    Text(String),
    Int(i64),
}

/// A SQL statement and its parameters, built piece by piece.
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

/// A value of a sort key (of a pagination cursor).
#[derive(Clone, Debug)]
pub enum Key {
    /// Text (amounts, ids, addresses).
    Text(String),
    /// An integer (block numbers, challenge ids, deadlines).
    Int(i64),
}

impl Sql {
    /// Starts a statement.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            binds: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a text parameter's placeholder.
    pub fn text(&mut self, v: impl Into<String>) -> &mut Self {
        self.binds.push(Bind::Text(v.into()));
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    /// Appends an integer parameter's placeholder.
    pub fn int(&mut self, v: i64) -> &mut Self {
        self.binds.push(Bind::Int(v));
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    /// Appends a parameter of a cursor's sort key.
    pub fn key(&mut self, k: Key) -> &mut Self {
        match k {
            Key::Text(t) => self.text(t),
            Key::Int(i) => self.int(i),
        }
    }

    /// Appends the keyset condition of a page that starts after `(x, y)` in the order `a, b ASC`:
    /// ` AND (a > x OR (a = x AND b > y))`, with `a < x` when `a` is sorted descending.
    pub fn after(&mut self, a: &str, a_desc: bool, x: Key, b: &str, y: Key) -> &mut Self {
        let op = if a_desc { " < " } else { " > " };
        self.push(" AND (").push(a).push(op).key(x.clone());
        self.push(" OR (").push(a).push(" = ").key(x);
        self.push(" AND ").push(b).push(" > ").key(y).push("))")
    }

    /// Appends `col IN ($a, $b, …)` for text values.
    pub fn text_in(&mut self, col: &str, values: &[&str]) -> &mut Self {
        self.push(col).push(" IN (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.text(*v);
        }
        self.push(")")
    }

    fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.clone()),
                Bind::Int(n) => q.bind(*n),
            };
        }
        q
    }

    /// Runs the statement, returning every row.
    pub async fn fetch_all(&self, pool: &AnyPool) -> Result<Vec<AnyRow>, ApiError> {
        Ok(self.query().fetch_all(pool).await?)
    }

    /// Runs the statement, which returns exactly one row.
    pub async fn fetch_one(&self, pool: &AnyPool) -> Result<AnyRow, ApiError> {
        Ok(self.query().fetch_one(pool).await?)
    }

    /// Runs the statement, returning the first row if any.
    pub async fn fetch_optional(&self, pool: &AnyPool) -> Result<Option<AnyRow>, ApiError> {
        Ok(self.query().fetch_optional(pool).await?)
    }
}

/// A text column.
pub fn text(r: &AnyRow, col: &str) -> Result<String, ApiError> {
    Ok(r.try_get::<String, _>(col)?)
}

/// A bytes column (BLOB, BYTEA).
pub fn bytes(r: &AnyRow, col: &str) -> Result<Vec<u8>, ApiError> {
    Ok(r.try_get::<Vec<u8>, _>(col)?)
}

/// A nullable text column.
pub fn opt_text(r: &AnyRow, col: &str) -> Result<Option<String>, ApiError> {
    Ok(r.try_get::<Option<String>, _>(col)?)
}

/// An integer column.
pub fn int(r: &AnyRow, col: &str) -> Result<i64, ApiError> {
    Ok(r.try_get::<i64, _>(col)?)
}

/// A non-negative integer column.
pub fn uint(r: &AnyRow, col: &str) -> Result<u64, ApiError> {
    let v = int(r, col)?;
    u64::try_from(v).map_err(|_| ApiError::internal(format!("negative stored {col}: {v}")))
}

/// A nullable non-negative integer column.
pub fn opt_uint(r: &AnyRow, col: &str) -> Result<Option<u64>, ApiError> {
    r.try_get::<Option<i64>, _>(col)?
        .map(|v| {
            u64::try_from(v).map_err(|_| ApiError::internal(format!("negative stored {col}: {v}")))
        })
        .transpose()
}

/// An amount column as the API shows it (decimal, no padding).
pub fn amount(r: &AnyRow, col: &str) -> Result<String, ApiError> {
    Ok(amount_display(&text(r, col)?))
}

/// An amount column as a number.
pub fn amount_u256(r: &AnyRow, col: &str) -> Result<U256, ApiError> {
    let s = text(r, col)?;
    U256::from_str_radix(&s, 10)
        .map_err(|e| ApiError::internal(format!("stored amount {col} '{s}': {e}")))
}

/// A stored (lowercase) address, EIP-55 checksummed.
pub fn checksum(s: &str) -> Result<String, ApiError> {
    Address::from_str(s)
        .map(|a| a.to_checksum(None))
        .map_err(|e| ApiError::internal(format!("stored address '{s}': {e}")))
}

/// An address column, checksummed.
pub fn address(r: &AnyRow, col: &str) -> Result<String, ApiError> {
    checksum(&text(r, col)?)
}

/// A nullable address column, checksummed.
pub fn opt_address(r: &AnyRow, col: &str) -> Result<Option<String>, ApiError> {
    opt_text(r, col)?.map(|s| checksum(&s)).transpose()
}

/// A JSON text column, parsed.
pub fn json(r: &AnyRow, col: &str) -> Result<serde_json::Value, ApiError> {
    let s = text(r, col)?;
    serde_json::from_str(&s)
        .map_err(|e| ApiError::internal(format!("stored JSON {col} '{s}': {e}")))
}

/// The stored form of the amount zero (for `> zero` filters).
pub fn zero() -> String {
    crate::store::amount_to_db(&U256::ZERO)
}
