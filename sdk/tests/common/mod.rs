//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// Byte j of a vector file: `(seed + 7*j + (j >> 12)) mod 256`.
pub fn content(seed: u64, size: u64) -> Vec<u8> {
    (0..size)
        .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
        .collect()
}

/// Writes `dir/rel` (creating parent directories) with the vector content rule.
pub fn write(dir: &Path, rel: &str, seed: u64, size: u64) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(p, content(seed, size)).expect("write");
}
