//! Token amounts: parsing what people type ("10.5" tokens, "123wei") and formatting wei back as
//! decimals.

use std::fmt;
use std::sync::Arc;

use alloy::primitives::U256;
use serde::{Deserialize, Serialize};

use crate::error::CuriaError;

/// Parses an amount typed by a person into wei: a decimal number of tokens (`"10"`, `"10.5"`,
/// `".5"`, `"1_000"`), scaled by the token's `decimals`, or raw units with a `wei` suffix
/// (`"123wei"`).
///
/// Refuses (with [`CuriaError::InvalidAmount`]) a negative or empty number, more fractional
/// digits than the token has, and anything that does not fit in 256 bits.
pub fn parse_amount(input: &str, decimals: u8) -> Result<U256, CuriaError> {
    let invalid = |reason: &str| CuriaError::InvalidAmount {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let s: String = input.trim().chars().filter(|c| *c != '_').collect();
    if s.is_empty() {
        return Err(invalid("it is empty"));
    }
    if s.starts_with('-') {
        return Err(invalid("amounts cannot be negative"));
    }
    if let Some(raw) = s.strip_suffix("wei") {
        let raw = raw.trim();
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("raw units must be a whole number, like 123wei"));
        }
        return U256::from_str_radix(raw, 10).map_err(|_| invalid("it does not fit in 256 bits"));
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s.as_str(), ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid(
            "expected a number of tokens like 10 or 10.5, or raw units like 123wei",
        ));
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::from(decimals) {
        return Err(invalid(&format!(
            "the token has {decimals} decimals: at most {decimals} digits after the point"
        )));
    }
    let digits = format!(
        "{}{}{}",
        if int.is_empty() { "0" } else { int },
        frac,
        "0".repeat(usize::from(decimals) - frac.len())
    );
    U256::from_str_radix(&digits, 10).map_err(|_| invalid("it does not fit in 256 bits"))
}

/// Formats wei as a decimal number of tokens with `decimals`, without trailing zeros:
/// `format_amount(10_500_000_000_000_000_000, 18) == "10.5"`.
pub fn format_amount(wei: U256, decimals: u8) -> String {
    let digits = wei.to_string();
    let d = usize::from(decimals);
    if d == 0 {
        return digits;
    }
    let padded = if digits.len() <= d {
        format!("{}{}", "0".repeat(d + 1 - digits.len()), digits)
    } else {
        digits
    };
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// The bond token of a deployment: its address, symbol and decimals (read on connect).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The ERC-20 address.
    pub address: alloy::primitives::Address,
    /// Its symbol, e.g. `CURIA`.
    pub symbol: String,
    /// Its decimals (18 for the test token).
    pub decimals: u8,
}

impl TokenInfo {
    /// An amount of this token, for display.
    pub fn amount(&self, wei: U256) -> TokenAmount {
        TokenAmount::new(wei, self.decimals, self.symbol.clone())
    }

    /// Parses an amount of this token (see [`parse_amount`]).
    pub fn parse(&self, input: &str) -> Result<U256, CuriaError> {
        parse_amount(input, self.decimals)
    }

    /// Formats wei as decimals of this token, without the symbol (see [`format_amount`]).
    pub fn format(&self, wei: U256) -> String {
        format_amount(wei, self.decimals)
    }
}

/// An amount of a token with what it takes to show it: displays as `"10.5 CURIA"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenAmount {
    /// The amount in the token's smallest unit.
    pub wei: U256,
    unit: Arc<(u8, String)>,
}

impl TokenAmount {
    /// An amount of a token with `decimals` and `symbol`.
    pub fn new(wei: U256, decimals: u8, symbol: impl Into<String>) -> Self {
        TokenAmount {
            wei,
            unit: Arc::new((decimals, symbol.into())),
        }
    }

    /// The token's decimals.
    pub fn decimals(&self) -> u8 {
        self.unit.0
    }

    /// The token's symbol.
    pub fn symbol(&self) -> &str {
        &self.unit.1
    }

    /// The decimal number without the symbol, e.g. `"10.5"` (what `--bond` and friends accept).
    pub fn plain(&self) -> String {
        format_amount(self.wei, self.decimals())
    }

    /// This amount minus `other` (zero if `other` is larger), in the same token.
    pub fn saturating_sub(&self, other: &TokenAmount) -> TokenAmount {
        TokenAmount {
            wei: self.wei.saturating_sub(other.wei),
            unit: self.unit.clone(),
        }
    }
}

impl fmt::Display for TokenAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.plain(), self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e18(n: u64) -> U256 {
        U256::from(n) * U256::from(10u64).pow(U256::from(18))
    }

    #[test]
    fn parses_tokens_and_wei() {
        assert_eq!(parse_amount("10", 18).ok(), Some(e18(10)));
        assert_eq!(parse_amount("10.5", 18).ok(), Some(e18(21) / U256::from(2)));
        assert_eq!(
            parse_amount(".5", 18).ok(),
            Some(U256::from(500_000_000_000_000_000u64))
        );
        assert_eq!(parse_amount("1_000", 0).ok(), Some(U256::from(1000)));
        assert_eq!(parse_amount("123wei", 18).ok(), Some(U256::from(123)));
        assert_eq!(parse_amount(" 7 ", 2).ok(), Some(U256::from(700)));
        assert_eq!(parse_amount("1.50", 1).ok(), Some(U256::from(15)));
        assert_eq!(parse_amount("0", 18).ok(), Some(U256::ZERO));
    }

    #[test]
    fn refuses_bad_amounts() {
        for bad in [
            "", "-1", "abc", "1.2.3", "1e18", "0x10", ".", "1.5wei", "wei", "1,5",
        ] {
            assert!(
                matches!(parse_amount(bad, 18), Err(CuriaError::InvalidAmount { .. })),
                "{bad:?} should be refused"
            );
        }
        assert!(parse_amount("0.001", 2).is_err());
        let too_big = "9".repeat(80);
        assert!(parse_amount(&too_big, 0).is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(format_amount(e18(100), 18), "100");
        assert_eq!(format_amount(e18(21) / U256::from(2), 18), "10.5");
        assert_eq!(format_amount(U256::from(1), 18), "0.000000000000000001");
        assert_eq!(format_amount(U256::ZERO, 18), "0");
        assert_eq!(format_amount(U256::from(12345), 0), "12345");
        assert_eq!(format_amount(U256::from(2030), 3), "2.03");
    }

    #[test]
    fn round_trips() {
        for s in [
            "0",
            "1",
            "2.03",
            "20.097",
            "100.485",
            "0.000000000000000001",
        ] {
            let wei = parse_amount(s, 18).expect("parse");
            assert_eq!(format_amount(wei, 18), s);
        }
    }
}
