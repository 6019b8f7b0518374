//! What the benchmark helpers of `scripts/bench/indexer` share: `--key value` arguments.

use std::collections::HashMap;

/// The helpers' error: anything, printed by `main`.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// `--key value` pairs of the command line (every flag takes a value).
pub struct Args(HashMap<String, String>);

impl Args {
    /// Reads the process's arguments.
    pub fn parse() -> Result<Self, Error> {
        let mut out = HashMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(k) = it.next() {
            let k = k
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {k}"))?
                .to_owned();
            let v = it.next().ok_or_else(|| format!("--{k} needs a value"))?;
            out.insert(k, v);
        }
        Ok(Self(out))
    }

    /// The value of `--key`, if given.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0.get(key)
    }

    /// The value of `--key`, which must be given.
    pub fn required(&self, key: &str) -> Result<&String, Error> {
        self.get(key)
            .ok_or_else(|| format!("--{key} is required").into())
    }

    /// `--key` as a number, or `default`.
    pub fn num(&self, key: &str, default: u64) -> Result<u64, Error> {
        self.get(key).map_or(Ok(default), |v| {
            v.parse().map_err(|e| format!("--{key} {v}: {e}").into())
        })
    }
}
