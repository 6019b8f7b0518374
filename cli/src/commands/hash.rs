//! `curia hash PATH [--outboard FILE] [--json]`: the MR1 commitment of a model (`--json` is the
//! global flag).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use curia_sdk::mr1::{CommitOptions, Commitment, FileSet};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// Models larger than this get a progress bar (when stderr is a terminal).
const PROGRESS_THRESHOLD: u64 = 256 << 20;

/// Arguments of `curia hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// The model: a directory (every regular file under it, paths starting with '.' left out)
    /// or a single file.
    pub path: PathBuf,

    /// Also write the whole Merkle tree to FILE, to serve chunk proofs later without rehashing.
    #[arg(long, value_name = "FILE")]
    pub outboard: Option<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    #[serde(flatten)]
    commitment: &'a Commitment,
    #[serde(skip_serializing_if = "Option::is_none")]
    outboard: Option<&'a PathBuf>,
}

/// Runs `curia hash`.
pub fn run(args: &HashArgs, json: bool) -> Result<()> {
    let files = FileSet::scan(&args.path)?;
    let bar = progress_bar(files.total_bytes());
    let inc = |n: u64| {
        if let Some(bar) = &bar {
            bar.inc(n);
        }
    };
    let options = CommitOptions {
        outboard: args.outboard.as_deref(),
        progress: Some(&inc),
    };
    let commitment = files.commit_with(&options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let commitment = commitment?;

    let mut out = std::io::stdout().lock();
    if json {
        let output = Output {
            commitment: &commitment,
            outboard: args.outboard.as_ref(),
        };
        serde_json::to_writer(&mut out, &output).context("writing JSON to stdout")?;
        writeln!(out).context("writing to stdout")?;
    } else {
        let c = &commitment;
        writeln!(out, "contentRoot     {}", c.content_root)?;
        writeln!(out, "manifestDigest  {}", c.manifest_digest)?;
        writeln!(out, "versionId       {}", c.version_id)?;
        writeln!(out, "numChunks       {}", c.num_chunks)?;
        writeln!(
            out,
            "totalBytes      {} ({} in {} file{})",
            c.total_bytes,
            human_bytes(c.total_bytes),
            files.files().len(),
            if files.files().len() == 1 { "" } else { "s" }
        )?;
        if let Some(ob) = &args.outboard {
            writeln!(out, "outboard        {}", ob.display())?;
        }
    }
    Ok(())
}

/// A progress bar for hashing `total` bytes, on stderr, when it is a terminal and the model is large
/// (`curia hash` and `curia publish`).
pub(crate) fn progress_bar(total: u64) -> Option<ProgressBar> {
    if total <= PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "hashing {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.2} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn human() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(69532), "67.90 KiB");
        assert_eq!(human_bytes(3 << 30), "3.00 GiB");
    }
}
