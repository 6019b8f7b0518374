//! Input validation: ids, addresses and status values from the path and the query string, and the
//! extractors that turn axum's rejections into JSON 400s.

use axum::extract::{FromRequestParts, Path, Query};

use super::error::ApiError;

/// `axum::extract::Query` whose rejection is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` whose rejection is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A 32-byte id (`0x` + 64 hex digits, any case) as stored: lowercase.
pub fn id(what: &str, s: &str) -> Result<String, ApiError> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) if h.len() == 64 && is_hex(h) => Ok(format!("0x{}", h.to_ascii_lowercase())),
        _ => Err(ApiError::invalid(format!(
            "{what} must be 0x followed by 64 hex digits, got '{s}'"
        ))),
    }
}

/// An address (`0x` + 40 hex digits, checksummed or not) as stored: lowercase.
pub fn address(what: &str, s: &str) -> Result<String, ApiError> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) if h.len() == 40 && is_hex(h) => Ok(format!("0x{}", h.to_ascii_lowercase())),
        _ => Err(ApiError::invalid(format!(
            "{what} must be an address (0x followed by 40 hex digits), got '{s}'"
        ))),
    }
}

/// An optional id filter.
pub fn opt_id(what: &str, s: Option<&str>) -> Result<Option<String>, ApiError> {
    s.map(|s| id(what, s)).transpose()
}

/// An optional address filter.
pub fn opt_address(what: &str, s: Option<&str>) -> Result<Option<String>, ApiError> {
    s.map(|s| address(what, s)).transpose()
}

/// The statuses of a version.
pub const VERSION_STATUSES: [&str; 4] = ["Active", "Challenged", "Slashed", "Retired"];

/// The statuses of a challenge that is not settled yet.
pub const OPEN_CHALLENGE_STATUSES: [&str; 4] = ["Open", "Answered", "RuledUpheld", "RuledRejected"];

/// The statuses of a settled challenge.
pub const SETTLED_CHALLENGE_STATUSES: [&str; 3] = ["Upheld", "Failed", "Dismissed"];

fn canonical(what: &str, s: &str, allowed: &[&'static str]) -> Result<&'static str, ApiError> {
    allowed
        .iter()
        .copied()
        .find(|a| a.eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown {what} '{s}': expected one of {}",
                allowed.join(", ")
            ))
        })
}

/// A version status filter (case-insensitive) as stored.
pub fn version_status(s: &str) -> Result<&'static str, ApiError> {
    canonical("version status", s, &VERSION_STATUSES)
}

/// A challenge status filter: one status, or `open` (not settled) or `settled`.
pub fn challenge_statuses(s: &str) -> Result<Vec<&'static str>, ApiError> {
    if s.eq_ignore_ascii_case("open") && s != "Open" {
        return Ok(OPEN_CHALLENGE_STATUSES.to_vec());
    }
    if s.eq_ignore_ascii_case("settled") {
        return Ok(SETTLED_CHALLENGE_STATUSES.to_vec());
    }
    let all: Vec<&'static str> = OPEN_CHALLENGE_STATUSES
        .iter()
        .chain(SETTLED_CHALLENGE_STATUSES.iter())
        .copied()
        .collect();
    let mut allowed = all.clone();
    allowed.extend(["open", "settled"]);
    all.iter()
        .copied()
        .find(|a| a.eq_ignore_ascii_case(s))
        .map(|a| vec![a])
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown challenge status '{s}': expected one of {}",
                allowed.join(", ")
            ))
        })
}

/// A challenge id (a decimal integer).
pub fn challenge_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
        ApiError::invalid(format!(
            "challenge id must be a non-negative integer, got '{s}'"
        ))
    })
}

/// An event name filter: letters and digits only (names are Solidity identifiers).
pub fn event_name(s: &str) -> Result<String, ApiError> {
    if !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(s.to_owned())
    } else {
        Err(ApiError::invalid(format!(
            "event name must be an identifier, got '{s}'"
        )))
    }
}
