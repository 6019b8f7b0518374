//! Outboard files: round trip, proofs without rehashing, corrupt files rejected.

mod common;

use std::fs;
use std::path::Path;

use curia_sdk::mr1::{self, CommitOptions, FileSet, Mr1Error, Outboard};

fn model_with_outboard(dir: &Path) -> (FileSet, mr1::Commitment, std::path::PathBuf) {
    common::write(dir, "model/a.bin", 1, 4096 * 37 + 11);
    common::write(dir, "model/b.json", 2, 500);
    let set = FileSet::scan(dir.join("model")).expect("scan");
    let ob = dir.join("model.mr1ob");
    let c = set
        .commit_with(&CommitOptions {
            outboard: Some(&ob),
            progress: None,
        })
        .expect("commit");
    (set, c, ob)
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (set, c, ob) = model_with_outboard(dir.path());
    let outboard = Outboard::open(&ob).expect("open");
    assert_eq!(outboard.num_chunks(), c.num_chunks);
    assert_eq!(outboard.total_bytes(), c.total_bytes);
    assert_eq!(outboard.content_root(), c.content_root);
    assert_eq!(outboard.manifest_digest(), c.manifest_digest);
    assert_eq!(outboard.version_id(), c.version_id);
    assert_eq!(outboard.depth(), 6);
    outboard.validate().expect("validate");
    let len = fs::metadata(&ob).expect("meta").len();
    let widths: u64 = (0..=6).map(|h| mr1::level_width(39, h)).sum();
    assert_eq!(len, mr1::OUTBOARD_HEADER_LEN + 32 * widths);
    for i in 0..c.num_chunks {
        let chunk = set.read_chunk(i).expect("chunk");
        assert!(outboard.check_chunk(i, &chunk).expect("check"));
        let proof = outboard.proof(i).expect("proof");
        assert!(
            mr1::verify(c.content_root, c.num_chunks, i, &chunk, &proof),
            "chunk {i}"
        );
    }
    assert!(matches!(
        outboard.proof(c.num_chunks),
        Err(Mr1Error::IndexOutOfRange { .. })
    ));
}

fn expect_invalid(path: &Path, what: &str) {
    match Outboard::open(path) {
        Err(e @ Mr1Error::InvalidOutboard { .. }) => {
            assert!(e.to_string().contains(what), "{e} should mention {what:?}");
            assert!(
                e.to_string().contains("curia hash"),
                "{e} should say what to do"
            );
        }
        other => panic!("expected InvalidOutboard ({what}), got {other:?}"),
    }
}

#[test]
fn bad_magic_truncation_and_trailing_bytes_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, _, ob) = model_with_outboard(dir.path());
    let good = fs::read(&ob).expect("read");
    let bad = dir.path().join("bad");

    let mut b = good.clone();
    b[0] = b'X';
    fs::write(&bad, &b).expect("write");
    expect_invalid(&bad, "bad magic");

    fs::write(&bad, &good[..good.len() - 1]).expect("write");
    expect_invalid(&bad, "truncated");
    fs::write(&bad, &good[..40]).expect("write");
    expect_invalid(&bad, "truncated");
    fs::write(&bad, b"").expect("write");
    expect_invalid(&bad, "truncated");

    let mut b = good.clone();
    b.push(0);
    fs::write(&bad, &b).expect("write");
    expect_invalid(&bad, "trailing");

    let mut b = good.clone();
    b[8..16].copy_from_slice(&0u64.to_le_bytes());
    fs::write(&bad, &b).expect("write");
    expect_invalid(&bad, "0 chunks");

    let mut b = good.clone();
    b[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    fs::write(&bad, &b).expect("write");
    assert!(matches!(
        Outboard::open(&bad),
        Err(Mr1Error::InvalidOutboard { .. })
    ));

    // The root in the header must be the top level.
    let mut b = good.clone();
    b[30] ^= 1;
    fs::write(&bad, &b).expect("write");
    expect_invalid(&bad, "contentRoot");

    assert!(matches!(
        Outboard::open(dir.path().join("missing")),
        Err(Mr1Error::NotFound { .. })
    ));
}

#[test]
fn a_flipped_node_is_caught_by_proof_and_validate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, c, ob) = model_with_outboard(dir.path());
    let good = fs::read(&ob).expect("read");
    // Flip a bit in leaf 5 (level 0 starts right after the header).
    let at = mr1::OUTBOARD_HEADER_LEN as usize + 5 * 32 + 3;
    let mut b = good.clone();
    b[at] ^= 0x10;
    let bad = dir.path().join("bad");
    fs::write(&bad, &b).expect("write");
    let outboard = Outboard::open(&bad).expect("header and root are intact");
    assert!(matches!(
        outboard.validate(),
        Err(Mr1Error::InvalidOutboard { .. })
    ));
    // Chunk 5 and its sibling 4 have the bad leaf on their path.
    assert!(matches!(
        outboard.proof(5),
        Err(Mr1Error::InvalidOutboard { .. })
    ));
    assert!(matches!(
        outboard.proof(4),
        Err(Mr1Error::InvalidOutboard { .. })
    ));
    // Proofs that only read untouched nodes still verify.
    assert!(outboard.proof(c.num_chunks - 1).is_ok());

    // Every single-byte corruption past the header is detected by validate.
    for at in (mr1::OUTBOARD_HEADER_LEN as usize..good.len()).step_by(97) {
        let mut b = good.clone();
        b[at] ^= 1;
        fs::write(&bad, &b).expect("write");
        let rejected = match Outboard::open(&bad) {
            Err(_) => true,
            Ok(o) => o.validate().is_err(),
        };
        assert!(rejected, "corruption at byte {at} not detected");
    }
}
