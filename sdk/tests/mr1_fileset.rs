//! Which files make up a model: nesting, order, hidden paths, symbolic links, errors.

mod common;

use std::fs;

use curia_sdk::mr1::{self, FileSet, Mr1Error};

fn paths(set: &FileSet) -> Vec<&str> {
    set.files().iter().map(|f| f.path.as_str()).collect()
}

#[test]
fn nested_directories_in_raw_byte_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    for rel in ["b/z", "a/b/c.bin", "a.txt", "a-b", "a/a", "B", "é/1", "z"] {
        common::write(dir.path(), rel, 1, 5);
    }
    let set = FileSet::scan(dir.path()).expect("scan");
    assert_eq!(
        paths(&set),
        ["B", "a-b", "a.txt", "a/a", "a/b/c.bin", "b/z", "z", "é/1"]
    );
    assert_eq!(set.num_chunks(), 8);
}

#[test]
fn many_small_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut chunks = Vec::new();
    let mut names: Vec<String> = (0..300).map(|i| format!("d{}/f{i:04}", i % 7)).collect();
    for (i, rel) in names.iter().enumerate() {
        common::write(dir.path(), rel, i as u64, (i as u64 * 37) % 5000);
    }
    names.sort();
    for rel in &names {
        let i: usize = rel[rel.len() - 4..].parse().expect("index");
        let data = common::content(i as u64, (i as u64 * 37) % 5000);
        chunks.extend(data.chunks(4096).map(<[u8]>::to_vec));
    }
    let c = mr1::commit(dir.path()).expect("commit");
    let tree = mr1::MerkleTree::from_chunks(&chunks).expect("tree");
    assert_eq!(c.num_chunks, chunks.len() as u64);
    assert_eq!(c.content_root, tree.root());
}

#[test]
fn dot_paths_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "w.bin", 1, 100);
    let before = mr1::commit(dir.path()).expect("commit");
    common::write(dir.path(), ".gitattributes", 2, 100);
    common::write(dir.path(), ".cache/huge.bin", 3, 10000);
    common::write(dir.path(), "sub/.hidden", 4, 100);
    common::write(dir.path(), "sub/.dir/x", 5, 100);
    let set = FileSet::scan(dir.path()).expect("scan");
    assert_eq!(paths(&set), ["w.bin"]);
    assert_eq!(set.commit().expect("commit"), before);
    // A hidden file given on its own leaves nothing.
    assert!(matches!(
        mr1::commit(dir.path().join(".gitattributes")),
        Err(Mr1Error::EmptyModel { .. })
    ));
    // A hidden *model directory* is fine: only relative components count.
    assert_eq!(
        mr1::commit(dir.path().join("sub/.dir"))
            .expect("commit")
            .total_bytes,
        100
    );
}

#[cfg(unix)]
#[test]
fn symlinks_to_files_are_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    common::write(outside.path(), "blob", 7, 9000);
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "config.json", 1, 10);
    symlink(outside.path().join("blob"), dir.path().join("model.bin")).expect("symlink");
    let linked = mr1::commit(dir.path()).expect("commit");

    let copy = tempfile::tempdir().expect("tempdir");
    common::write(copy.path(), "config.json", 1, 10);
    common::write(copy.path(), "model.bin", 7, 9000);
    assert_eq!(linked, mr1::commit(copy.path()).expect("commit"));
    // A link given as the model itself is followed too, under the link's name.
    let c = mr1::commit(dir.path().join("model.bin")).expect("commit");
    assert_eq!(
        c,
        mr1::commit(copy.path().join("model.bin")).expect("commit")
    );
}

#[cfg(unix)]
#[test]
fn broken_and_directory_symlinks_are_errors() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "w.bin", 1, 10);
    symlink(dir.path().join("nowhere"), dir.path().join("dangling")).expect("symlink");
    let err = mr1::commit(dir.path()).expect_err("broken link");
    assert!(matches!(err, Mr1Error::BrokenSymlink { .. }), "{err}");
    assert!(err.to_string().contains("broken symbolic link"));
    assert!(err.is_user_error());
    fs::remove_file(dir.path().join("dangling")).expect("rm");

    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    symlink(dir.path().join("sub"), dir.path().join("linkdir")).expect("symlink");
    let err = mr1::commit(dir.path()).expect_err("directory link");
    assert!(matches!(err, Mr1Error::SymlinkToDirectory { .. }), "{err}");
    fs::remove_file(dir.path().join("linkdir")).expect("rm");

    // A loop is a broken link.
    symlink(dir.path().join("loop"), dir.path().join("loop")).expect("symlink");
    let err = mr1::commit(dir.path()).expect_err("loop");
    assert!(matches!(err, Mr1Error::BrokenSymlink { .. }), "{err}");
    fs::remove_file(dir.path().join("loop")).expect("rm");

    // Hidden links are never looked at.
    symlink(dir.path().join("nowhere"), dir.path().join(".dangling")).expect("symlink");
    mr1::commit(dir.path()).expect("hidden broken link is left out");
}

#[cfg(unix)]
#[test]
fn non_utf8_names_are_errors() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "w.bin", 1, 10);
    let bad = dir.path().join(OsStr::from_bytes(b"bad\xff.bin"));
    if fs::write(&bad, b"x").is_err() {
        return; // a filesystem that refuses non-UTF-8 names cannot have the problem
    }
    let err = mr1::commit(dir.path()).expect_err("non-UTF-8");
    assert!(matches!(err, Mr1Error::NonUtf8Path { .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn fifos_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "w.bin", 1, 10);
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        return; // no mkfifo here
    }
    let err = mr1::commit(dir.path()).expect_err("fifo");
    assert!(matches!(err, Mr1Error::UnsupportedFileType { .. }), "{err}");
}

#[test]
fn missing_path_is_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = mr1::commit(dir.path().join("missing")).expect_err("missing");
    assert!(matches!(err, Mr1Error::NotFound { .. }), "{err}");
    assert!(err.is_user_error());
    assert!(err.to_string().contains("check the path"));
}
