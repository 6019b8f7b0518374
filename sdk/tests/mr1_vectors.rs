//! The normative MR1 test vectors (`testdata/mr1.json`) and chunk-boundary sizes.

mod common;

use std::str::FromStr;

use curia_sdk::mr1::{self, FileSet, MerkleTree};
use curia_sdk::B256;
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/mr1.json");
    let text = std::fs::read_to_string(path).expect("read testdata/mr1.json");
    serde_json::from_str(&text).expect("parse testdata/mr1.json")
}

fn b256(v: &Value) -> B256 {
    B256::from_str(v.as_str().expect("hex string")).expect("32-byte hex")
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().expect("integer")
}

#[test]
fn every_vector_case() {
    let vectors = vectors();
    assert_eq!(vectors["format"], "mr1");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let dir = tempfile::tempdir().expect("tempdir");
        for f in case["files"].as_array().expect("files") {
            common::write(
                dir.path(),
                f["path"].as_str().expect("path"),
                u64_of(&f["seed"]),
                u64_of(&f["size"]),
            );
        }
        let set = FileSet::scan(dir.path()).expect("scan");
        let num_chunks = u64_of(&case["numChunks"]);
        let total_bytes = u64_of(&case["totalBytes"]);
        assert_eq!(set.num_chunks(), num_chunks, "{name}: numChunks");
        assert_eq!(set.total_bytes(), total_bytes, "{name}: totalBytes");
        assert_eq!(
            set.manifest(),
            case["manifest"].as_str().expect("manifest"),
            "{name}"
        );
        assert_eq!(
            set.manifest_digest(),
            b256(&case["manifestDigest"]),
            "{name}"
        );

        let ob = dir.path().join(".outboard");
        let c = set
            .commit_with(&mr1::CommitOptions {
                outboard: Some(&ob),
                progress: None,
            })
            .expect("commit");
        assert_eq!(c.num_chunks, num_chunks, "{name}");
        assert_eq!(c.total_bytes, total_bytes, "{name}");
        assert_eq!(c.manifest_digest, b256(&case["manifestDigest"]), "{name}");
        assert_eq!(
            c.content_root,
            b256(&case["contentRoot"]),
            "{name}: contentRoot"
        );
        assert_eq!(c.version_id, b256(&case["versionId"]), "{name}: versionId");
        assert_eq!(
            mr1::version_id(c.content_root, c.manifest_digest, num_chunks, total_bytes),
            b256(&case["versionId"])
        );
        // The same answer through the one-call API.
        assert_eq!(mr1::commit(dir.path()).expect("commit"), c);

        let outboard = mr1::Outboard::open(&ob).expect("outboard");
        assert_eq!(outboard.version_id(), c.version_id);
        for p in case["proofs"].as_array().expect("proofs") {
            let index = u64_of(&p["index"]);
            let chunk = set.read_chunk(index).expect("read chunk");
            assert_eq!(
                chunk.len() as u64,
                u64_of(&p["chunkLen"]),
                "{name} #{index}"
            );
            assert_eq!(
                mr1::sha256(&chunk),
                b256(&p["chunkSha256"]),
                "{name} #{index}"
            );
            let siblings: Vec<B256> = p["siblings"]
                .as_array()
                .expect("siblings")
                .iter()
                .map(b256)
                .collect();
            assert_eq!(siblings.len() as u32, mr1::tree_depth(num_chunks));
            assert_eq!(
                outboard.proof(index).expect("proof"),
                siblings,
                "{name} #{index}"
            );
            assert!(mr1::verify(
                c.content_root,
                num_chunks,
                index,
                &chunk,
                &siblings
            ));
        }
    }
}

/// Single files around the chunk boundary, against the in-memory tree.
#[test]
fn boundary_sizes() {
    for size in [1u64, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 4096 + 1] {
        let dir = tempfile::tempdir().expect("tempdir");
        common::write(dir.path(), "w.bin", 9, size);
        let c = mr1::commit(dir.path()).expect("commit");
        let data = common::content(9, size);
        let tree = MerkleTree::from_chunks(data.chunks(4096)).expect("tree");
        assert_eq!(c.num_chunks, size.div_ceil(4096), "size {size}");
        assert_eq!(c.total_bytes, size);
        assert_eq!(c.content_root, tree.root(), "size {size}");
        if size <= 4096 {
            assert_eq!(
                c.content_root,
                mr1::leaf_hash(&data),
                "N = 1: the leaf is the root"
            );
        }
        // A single file given directly commits the same as a directory holding only it.
        assert_eq!(
            mr1::commit(dir.path().join("w.bin")).expect("commit file"),
            c
        );
    }
}

#[test]
fn zero_byte_model_is_an_empty_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "empty.bin", 0, 0);
    let err = mr1::commit(dir.path()).expect_err("empty model");
    assert!(matches!(err, mr1::Mr1Error::EmptyModel { .. }), "{err}");
    assert!(err.to_string().contains("empty model"));
    assert!(err.is_user_error());
    let err = mr1::commit(dir.path().join("empty.bin")).expect_err("empty file");
    assert!(matches!(err, mr1::Mr1Error::EmptyModel { .. }), "{err}");
    let empty_dir = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        mr1::commit(empty_dir.path()),
        Err(mr1::Mr1Error::EmptyModel { .. })
    ));
}

#[test]
fn empty_files_are_in_the_manifest_but_have_no_chunks() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "a", 1, 10);
    common::write(dir.path(), "b", 0, 0);
    let set = FileSet::scan(dir.path()).expect("scan");
    assert_eq!(set.num_chunks(), 1);
    assert_eq!(
        set.manifest(),
        r#"{"chunkSize":4096,"files":[{"path":"a","size":10},{"path":"b","size":0}],"format":"mr1"}"#
    );
}
