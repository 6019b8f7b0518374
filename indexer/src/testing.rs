//! Support for tests of the indexer and of the crates that run it: a fresh PostgreSQL database.
//!
//! PostgreSQL tests read `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When the
//! server cannot be reached they are skipped with a note, except in CI (`CI=true`), where that is a failure.

use std::time::{SystemTime, UNIX_EPOCH};

/// The default server of the PostgreSQL tests.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Creates an empty database named `curia_test_…` on the server of `DATABASE_URL` and returns its URL;
/// `None` when the server is unreachable outside CI.
///
/// # Panics
/// In CI (`CI=true`) when the server is unreachable, and when the database cannot be created.
pub async fn fresh_postgres() -> Option<String> {
    let base = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
    sqlx::any::install_default_drivers();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let pool = match sqlx::AnyPool::connect(&base).await {
        Ok(p) => p,
        Err(e) if ci => panic!("PostgreSQL at DATABASE_URL={base} is required in CI: {e}"),
        Err(e) => {
            eprintln!("note: skipping PostgreSQL ({base}: {e}); set DATABASE_URL to test it");
            return None;
        }
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let name = format!("curia_test_{:x}_{:x}", std::process::id(), nanos);
    if let Err(e) = sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
    {
        panic!("cannot create database {name} on {base}: {e}");
    }
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(&base);
    Some(format!("{prefix}/{name}"))
}
