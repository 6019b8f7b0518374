//! Support for tests of the indexer and of the crates that run it: a fresh PostgreSQL database.
//!
//! PostgreSQL tests read `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When the
//! server cannot be reached they are skipped with a note, except in CI (`CI=true`), where that is a failure.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::Connection;

/// The default server of the PostgreSQL tests.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// An empty database created for one test on the server of `DATABASE_URL`, dropped (with any sessions
/// still open on it) when this guard is dropped.
#[derive(Debug)]
pub struct PgDatabase {
    /// The database's URL.
    pub url: String,
    admin: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // A runtime of its own on a thread of its own: drop may run inside or outside a Tokio runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut c)
                        .await;
                }
            });
        })
        .join();
    }
}

/// Creates an empty database named `curia_test_…` on the server of `DATABASE_URL`; `None` when the server
/// is unreachable outside CI.
///
/// # Panics
/// In CI (`CI=true`) when the server is unreachable, and when the database cannot be created.
pub async fn fresh_postgres() -> Option<PgDatabase> {
    let admin = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let mut conn =
        match tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(&admin))
            .await
        {
            Ok(Ok(c)) => c,
            other => {
                let why = match other {
                    Ok(Err(e)) => e.to_string(),
                    _ => "timed out".to_owned(),
                };
                if ci {
                    panic!("PostgreSQL at DATABASE_URL={admin} is required in CI: {why}");
                }
                eprintln!(
                    "note: skipping PostgreSQL ({admin}: {why}); set DATABASE_URL to test it"
                );
                return None;
            }
        };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let name = format!("curia_test_{:x}_{:x}", std::process::id(), nanos);
    if let Err(e) = sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
    {
        panic!("cannot create database {name} on {admin}: {e}");
    }
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b.to_owned(), format!("?{q}")),
        None => (admin.clone(), String::new()),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |j| j + 2) => &base[..i],
        _ => base.as_str(),
    };
    Some(PgDatabase {
        url: format!("{prefix}/{name}{query}"),
        admin,
        name,
    })
}
