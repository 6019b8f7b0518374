//! Cursor pagination: every list answers `{"items": [...], "nextCursor": "..." | null}`. A cursor is the
//! base64url encoding of the route's name and the sort key of the last item of the page; the next page
//! starts strictly after that key, so a walk sees every row once even while rows are added.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;

/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `limit` accepted.
pub const MAX_LIMIT: u32 = 1000;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T: ToSchema> {
    /// The items of this page, in the route's order.
    pub items: Vec<T>,
    /// Pass it as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The page parameters every list route takes, beside its own filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The validated page size.
    pub fn limit(&self) -> Result<usize, ApiError> {
        limit(self.limit)
    }

    /// The validated cursor of route `kind`, whose sort key has `n` parts.
    pub fn cursor(&self, kind: &str, n: usize) -> Result<Option<Cursor>, ApiError> {
        Cursor::decode_opt(kind, self.cursor.as_deref(), n)
    }
}

/// The validated page size.
fn limit(l: Option<u32>) -> Result<usize, ApiError> {
    match l.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(n as usize),
        n => Err(ApiError::invalid_limit(format!(
            "limit must be between 1 and {MAX_LIMIT}, got {n}"
        ))),
    }
}

/// Encodes the sort key `parts` of the last item of a page of route `kind`.
pub fn encode(kind: &str, parts: &[String]) -> String {
    let mut s = String::from(kind);
    for p in parts {
        s.push('|');
        s.push_str(p);
    }
    URL_SAFE_NO_PAD.encode(s)
}

/// A decoded cursor: the parts of the sort key, each validated when read.
#[derive(Debug)]
pub struct Cursor(Vec<String>);

impl Cursor {
    /// Decodes a cursor of route `kind` with `n` key parts.
    pub fn decode(kind: &str, s: &str, n: usize) -> Result<Self, ApiError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| ApiError::invalid_cursor())?;
        let text = String::from_utf8(bytes).map_err(|_| ApiError::invalid_cursor())?;
        let mut it = text.split('|');
        if it.next() != Some(kind) {
            return Err(ApiError::invalid_cursor());
        }
        let parts: Vec<String> = it.map(str::to_owned).collect();
        if parts.len() != n {
            return Err(ApiError::invalid_cursor());
        }
        Ok(Self(parts))
    }

    /// Decodes an optional cursor.
    pub fn decode_opt(kind: &str, s: Option<&str>, n: usize) -> Result<Option<Self>, ApiError> {
        s.map(|s| Self::decode(kind, s, n)).transpose()
    }

    /// Part `i` as a non-negative integer.
    pub fn int(&self, i: usize) -> Result<i64, ApiError> {
        self.0
            .get(i)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(ApiError::invalid_cursor)
    }

    /// Part `i` as a stored amount (78 decimal digits).
    pub fn amount(&self, i: usize) -> Result<String, ApiError> {
        self.0
            .get(i)
            .filter(|s| s.len() == 78 && s.bytes().all(|b| b.is_ascii_digit()))
            .cloned()
            .ok_or_else(ApiError::invalid_cursor)
    }

    /// Part `i` as a stored id or address (lowercase 0x-hex of `hex_len` digits).
    pub fn hex(&self, i: usize, hex_len: usize) -> Result<String, ApiError> {
        self.0
            .get(i)
            .filter(|s| {
                s.len() == hex_len + 2
                    && s.starts_with("0x")
                    && s.bytes()
                        .skip(2)
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            })
            .cloned()
            .ok_or_else(ApiError::invalid_cursor)
    }
}

/// Builds a page from `rows` fetched with `LIMIT limit + 1`: the extra row only says there is more.
pub fn page<R, T: ToSchema>(
    kind: &str,
    mut rows: Vec<R>,
    limit: usize,
    key: impl Fn(&R) -> Result<Vec<String>, ApiError>,
    view: impl Fn(&R) -> Result<T, ApiError>,
) -> Result<Page<T>, ApiError> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = match rows.last() {
        Some(last) if more => Some(encode(kind, &key(last)?)),
        _ => None,
    };
    let items = rows.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, next_cursor })
}
