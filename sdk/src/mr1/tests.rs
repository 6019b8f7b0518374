//! Unit tests that need the crate's internals (segment sizes, windows).

use std::fs;
use std::path::Path;

use alloy_primitives::B256;

use super::*;

fn content(seed: u64, size: u64) -> Vec<u8> {
    (0..size)
        .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
        .collect()
}

fn write(dir: &Path, rel: &str, seed: u64, size: u64) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(p, content(seed, size)).expect("write");
}

/// The in-memory reference: chunks of each file in canonical order.
fn reference(files: &[(&str, u64, u64)]) -> MerkleTree {
    let mut sorted = files.to_vec();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let chunks: Vec<Vec<u8>> = sorted
        .iter()
        .flat_map(|(_, seed, size)| {
            content(*seed, *size)
                .chunks(CHUNK_SIZE)
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>()
        })
        .collect();
    MerkleTree::from_chunks(chunks).expect("tree")
}

const LAYOUTS: &[&[(&str, u64, u64)]] = &[
    &[("a", 1, 1)],
    &[("a", 1, 4096 * 2)],
    &[("a", 1, 4096 * 3 + 5)],
    &[
        ("a", 2, 4096 * 17 + 1),
        ("b/c", 3, 0),
        ("b/d", 4, 100),
        ("e", 5, 4096 * 6),
    ],
    &[("x", 6, 4096 * 64), ("y", 7, 1)],
    &[
        ("one", 8, 4096 * 100 - 3),
        ("two", 9, 4096 * 29 + 7),
        ("z/3", 10, 9),
    ],
];

#[test]
fn streaming_matches_in_memory_for_every_segment_and_window_size() {
    for files in LAYOUTS {
        let dir = tempfile::tempdir().expect("tempdir");
        for (rel, seed, size) in *files {
            write(dir.path(), rel, *seed, *size);
        }
        let set = FileSet::scan(dir.path()).expect("scan");
        let tree = reference(files);
        assert_eq!(set.num_chunks(), tree.num_chunks());
        for seg in [0, 1, 2, 3, 8] {
            for window in [1, 2, 3, 256] {
                let ob = dir.path().join(".ob");
                let opts = CommitOptions {
                    outboard: Some(&ob),
                    progress: None,
                };
                let c = set.commit_inner(&opts, seg, window).expect("commit");
                assert_eq!(
                    c.content_root,
                    tree.root(),
                    "{files:?} seg {seg} window {window}"
                );
                let ob = Outboard::open(&ob).expect("outboard");
                ob.validate().expect("valid outboard");
                for h in 0..=tree.depth() {
                    for (i, node) in tree.level(h).expect("level").iter().enumerate() {
                        assert_eq!(ob.node(h, i as u64).expect("node"), *node);
                    }
                }
                for i in 0..set.num_chunks() {
                    assert_eq!(ob.proof(i).expect("proof"), tree.proof(i).expect("proof"));
                }
            }
        }
    }
}

#[test]
fn progress_reports_every_byte() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a", 1, 3 << 20);
    write(dir.path(), "b", 2, 12345);
    let set = FileSet::scan(dir.path()).expect("scan");
    let seen = AtomicU64::new(0);
    let progress = |n: u64| {
        seen.fetch_add(n, Ordering::Relaxed);
    };
    let opts = CommitOptions {
        outboard: None,
        progress: Some(&progress),
    };
    set.commit_with(&opts).expect("commit");
    assert_eq!(seen.load(Ordering::Relaxed), set.total_bytes());
}

#[test]
fn a_file_that_grows_or_shrinks_or_is_rewritten_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "w", 1, 10000);
    let path = dir.path().join("w");

    let set = FileSet::scan(dir.path()).expect("scan");
    write(dir.path(), "w", 1, 10001);
    assert!(matches!(set.commit(), Err(Mr1Error::FileChanged { .. })));

    let set = FileSet::scan(dir.path()).expect("scan");
    write(dir.path(), "w", 1, 5000);
    assert!(matches!(set.commit(), Err(Mr1Error::FileChanged { .. })));

    let set = FileSet::scan(dir.path()).expect("scan");
    let f = fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    let later = fs::metadata(&path)
        .expect("meta")
        .modified()
        .expect("mtime")
        + std::time::Duration::from_secs(5);
    f.set_modified(later).expect("set mtime");
    assert!(matches!(set.commit(), Err(Mr1Error::FileChanged { .. })));

    fs::remove_file(&path).expect("rm");
    assert!(matches!(set.commit(), Err(Mr1Error::FileChanged { .. })));
}

#[test]
fn failed_commit_leaves_no_outboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "w", 1, 10000);
    let set = FileSet::scan(dir.path()).expect("scan");
    write(dir.path(), "w", 1, 5000);
    let ob = dir.path().join("ob");
    let opts = CommitOptions {
        outboard: Some(&ob),
        progress: None,
    };
    assert!(set.commit_with(&opts).is_err());
    let left: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
    assert_eq!(left.len(), 1, "only the model file is left");
}

#[test]
fn read_chunk_maps_global_indices_across_files() {
    let files: &[(&str, u64, u64)] = &[("a", 1, 4097), ("b", 2, 0), ("c", 3, 3), ("d", 4, 8192)];
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, seed, size) in files {
        write(dir.path(), rel, *seed, *size);
    }
    let set = FileSet::scan(dir.path()).expect("scan");
    assert_eq!(set.num_chunks(), 5);
    let a = content(1, 4097);
    let d = content(4, 8192);
    assert_eq!(set.read_chunk(0).expect("0"), a[..4096]);
    assert_eq!(set.read_chunk(1).expect("1"), a[4096..]);
    assert_eq!(set.read_chunk(2).expect("2"), content(3, 3));
    assert_eq!(set.read_chunk(3).expect("3"), d[..4096]);
    assert_eq!(set.read_chunk(4).expect("4"), d[4096..]);
    assert!(matches!(
        set.read_chunk(5),
        Err(Mr1Error::IndexOutOfRange {
            index: 5,
            num_chunks: 5
        })
    ));
    let c = set.commit().expect("commit");
    let tree = reference(files);
    for i in 0..5 {
        let chunk = set.read_chunk(i).expect("chunk");
        assert!(verify(
            c.content_root,
            5,
            i,
            &chunk,
            &tree.proof(i).expect("proof")
        ));
    }
}

#[test]
fn zero_hashes_are_used_for_outboard_padding() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "w", 1, 4096 * 5);
    let ob = dir.path().join(".ob");
    let set = FileSet::scan(dir.path()).expect("scan");
    set.commit_with(&CommitOptions {
        outboard: Some(&ob),
        progress: None,
    })
    .expect("commit");
    let ob = Outboard::open(&ob).expect("open");
    assert_eq!(ob.node(0, 5).expect("pad"), B256::ZERO);
    assert_eq!(ob.node(1, 3).expect("pad"), zero_hash(1));
    assert_eq!(ob.proof(4).expect("proof")[..2], [B256::ZERO, zero_hash(1)]);
    assert!(ob.node(4, 0).is_err(), "no level above the root");
}
