//! Runs the built `curia` binary: `curia hash` on the MR1 vectors and on bad input.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn curia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_curia"))
        .args(args)
        .output()
        .expect("run curia")
}

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/mr1.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read vectors")).expect("parse")
}

/// Writes a vector case's files (byte j = (seed + 7*j + (j >> 12)) mod 256) under `dir`.
fn write_case(case: &Value, dir: &Path) {
    for f in case["files"].as_array().expect("files") {
        let (seed, size) = (
            f["seed"].as_u64().expect("seed"),
            f["size"].as_u64().expect("size"),
        );
        let data: Vec<u8> = (0..size)
            .map(|j| ((seed + 7 * j + (j >> 12)) % 256) as u8)
            .collect();
        let p = dir.join(f["path"].as_str().expect("path"));
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, data).expect("write");
    }
}

#[test]
fn hash_json_matches_every_vector() {
    for case in vectors()["cases"].as_array().expect("cases") {
        let dir = tempfile::tempdir().expect("tempdir");
        write_case(case, dir.path());
        let out = curia(&["hash", dir.path().to_str().expect("utf-8"), "--json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        for key in [
            "contentRoot",
            "manifestDigest",
            "versionId",
            "numChunks",
            "totalBytes",
        ] {
            assert_eq!(json[key], case[key], "{}: {key}", case["name"]);
        }
        assert!(
            out.stderr.is_empty(),
            "no progress bar when stderr is not a terminal"
        );
    }
}

#[test]
fn hash_human_output_and_outboard() {
    let case = &vectors()["cases"][5];
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("model");
    write_case(case, &model);
    let ob = dir.path().join("model.mr1ob");
    let out = curia(&[
        "hash",
        model.to_str().expect("utf-8"),
        "--outboard",
        ob.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for key in ["contentRoot", "manifestDigest", "versionId"] {
        let want = case[key].as_str().expect("hex");
        assert!(
            text.lines()
                .any(|l| l.starts_with(key) && l.ends_with(want)),
            "{key} {want} in:\n{text}"
        );
    }
    assert!(text.contains("numChunks       17"), "{text}");
    let outboard = curia_sdk::mr1::Outboard::open(&ob).expect("outboard written");
    assert_eq!(
        outboard.version_id().to_string(),
        case["versionId"].as_str().expect("hex")
    );
    outboard.validate().expect("valid outboard");
}

#[test]
fn missing_path_exits_1_with_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-model");
    let out = curia(&["hash", missing.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no such file or directory") && err.contains("check the path"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn empty_model_and_bad_usage_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = curia(&["hash", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty model"));

    assert_eq!(curia(&["hash"]).status.code(), Some(1));
    assert_eq!(curia(&["hash", "--bogus", "x"]).status.code(), Some(1));
    assert_eq!(curia(&["--help"]).status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn broken_symlink_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("w.bin"), b"weights").expect("write");
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("link")).expect("link");
    let out = curia(&["hash", dir.path().to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken symbolic link"));
}
