//! The MR1 file set: which files a model is made of, in which order, and reading their chunks.

use std::fs::{self, File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use alloy_primitives::B256;

use super::hash::sha256;
use super::manifest::{manifest_json, MAX_SAFE_SIZE};
use super::{Mr1Error, Result, CHUNK_SIZE};

const CHUNK: u64 = CHUNK_SIZE as u64;

/// One file of a model: its MR1 path and size, and where its bytes are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// The relative, `/`-separated UTF-8 path written in the manifest (for a single-file model,
    /// the file's name).
    pub path: String,
    /// Its size in bytes when the model was scanned.
    pub size: u64,
    source: PathBuf,
    modified: Option<SystemTime>,
    first_chunk: u64,
}

impl FileEntry {
    /// The file the bytes are read from: the entry itself or, for a symbolic link, the link
    /// (opening it reads its target).
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The global index of this file's first chunk (meaningless when the file is empty).
    pub fn first_chunk(&self) -> u64 {
        self.first_chunk
    }

    /// The number of chunks this file contributes: `ceil(size / 4096)`.
    pub fn num_chunks(&self) -> u64 {
        self.size.div_ceil(CHUNK)
    }

    /// Reads `len` bytes at `offset` into `buf[..len]`; a short file means it changed.
    pub(crate) fn read_range(&self, file: &mut File, offset: u64, buf: &mut [u8]) -> Result<()> {
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| Mr1Error::io(&self.source, e))?;
        file.read_exact(buf).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => Mr1Error::FileChanged {
                path: self.source.clone(),
            },
            _ => Mr1Error::io(&self.source, e),
        })
    }

    /// Opens the file for reading; a file that vanished since the scan has changed.
    pub(crate) fn open(&self) -> Result<File> {
        File::open(&self.source).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Mr1Error::FileChanged {
                path: self.source.clone(),
            },
            _ => Mr1Error::io(&self.source, e),
        })
    }
}

/// The files of a model in MR1 canonical order, with their sizes and chunk numbering.
///
/// [`FileSet::scan`] lists them (it reads no file content); [`FileSet::commit`] hashes them.
#[derive(Clone, Debug)]
pub struct FileSet {
    root: PathBuf,
    files: Vec<FileEntry>,
    total_bytes: u64,
    num_chunks: u64,
}

impl FileSet {
    /// Lists the MR1 file set of `path`, a model directory or a single file.
    ///
    /// The file set is the regular files under the directory by relative `/`-separated UTF-8
    /// path (for a single file, its name). A path with any component starting with `.` is left
    /// out (hidden directories are not entered). Symbolic links to regular files are followed
    /// (the link's path, the target's bytes); broken links, links to directories and
    /// non-regular files (FIFOs, sockets, devices) are errors, as are names that are not UTF-8.
    /// Files are ordered by ascending raw path bytes. Sizes and modification times are recorded
    /// so that hashing can tell when a file changed.
    ///
    /// Fails with [`Mr1Error::EmptyModel`] when the files hold no bytes at all.
    pub fn scan(path: impl AsRef<Path>) -> Result<Self> {
        let root = path.as_ref();
        let meta = fs::metadata(root).map_err(|e| Mr1Error::io(root, e))?;
        let mut files = Vec::new();
        if meta.is_dir() {
            walk(root, "", &mut files)?;
        } else if meta.is_file() {
            let name = root
                .file_name()
                .ok_or_else(|| Mr1Error::UnsupportedFileType { path: root.into() })?;
            let name = name
                .to_str()
                .ok_or_else(|| Mr1Error::NonUtf8Path { path: root.into() })?;
            if !name.starts_with('.') {
                files.push(entry(name.to_owned(), root.to_path_buf(), &meta));
            }
        } else {
            return Err(Mr1Error::UnsupportedFileType { path: root.into() });
        }
        files.sort_unstable_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));

        let mut total_bytes: u64 = 0;
        let mut num_chunks: u64 = 0;
        for f in &mut files {
            total_bytes = total_bytes
                .checked_add(f.size)
                .filter(|t| *t <= MAX_SAFE_SIZE)
                .ok_or_else(|| Mr1Error::FileTooLarge {
                    path: f.source.clone(),
                    size: f.size,
                })?;
            f.first_chunk = num_chunks;
            num_chunks += f.num_chunks();
        }
        if num_chunks == 0 {
            return Err(Mr1Error::EmptyModel { path: root.into() });
        }
        Ok(Self {
            root: root.to_path_buf(),
            files,
            total_bytes,
            num_chunks,
        })
    }

    /// The path the set was scanned from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The files in canonical order (empty files included: they are in the manifest).
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// N, the total number of 4096-byte chunks (≥ 1).
    pub fn num_chunks(&self) -> u64 {
        self.num_chunks
    }

    /// The total size of the files in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The canonical manifest (RFC 8785 JSON) of this file set.
    pub fn manifest(&self) -> String {
        // Sizes were checked against MAX_SAFE_SIZE by `scan`, so this cannot fail.
        manifest_json(self.files.iter().map(|f| (f.path.as_str(), f.size))).unwrap_or_default()
    }

    /// `manifestDigest = sha256(manifest bytes)`.
    pub fn manifest_digest(&self) -> B256 {
        sha256(self.manifest().as_bytes())
    }

    /// The file holding global chunk `index` (which must be `< num_chunks`).
    pub(crate) fn file_of_chunk(&self, index: u64) -> usize {
        // First file whose chunk range ends after `index`; empty files end where they start.
        self.files
            .partition_point(|f| f.first_chunk + f.num_chunks() <= index)
    }

    /// Reads chunk `index` (1 to 4096 bytes) from the files, e.g. to answer an availability
    /// challenge together with a proof from an [`crate::mr1::Outboard`].
    pub fn read_chunk(&self, index: u64) -> Result<Vec<u8>> {
        if index >= self.num_chunks {
            return Err(Mr1Error::IndexOutOfRange {
                index,
                num_chunks: self.num_chunks,
            });
        }
        let f = &self.files[self.file_of_chunk(index)];
        let offset = (index - f.first_chunk) * CHUNK;
        let len = (f.size - offset).min(CHUNK) as usize;
        let mut buf = vec![0u8; len];
        let mut file = f.open()?;
        f.read_range(&mut file, offset, &mut buf)?;
        Ok(buf)
    }

    /// Checks that no file changed size or modification time since the scan.
    pub fn check_unchanged(&self) -> Result<()> {
        for f in &self.files {
            let changed = || Mr1Error::FileChanged {
                path: f.source.clone(),
            };
            let meta = fs::metadata(&f.source).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => changed(),
                _ => Mr1Error::io(&f.source, e),
            })?;
            if !meta.is_file() || meta.len() != f.size || meta.modified().ok() != f.modified {
                return Err(changed());
            }
        }
        Ok(())
    }
}

fn entry(path: String, source: PathBuf, meta: &Metadata) -> FileEntry {
    FileEntry {
        path,
        size: meta.len(),
        source,
        modified: meta.modified().ok(),
        first_chunk: 0,
    }
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<FileEntry>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Mr1Error::io(dir, e))?;
    for item in entries {
        let item = item.map_err(|e| Mr1Error::io(dir, e))?;
        let name = item.file_name();
        if name.as_encoded_bytes().first() == Some(&b'.') {
            continue;
        }
        let full = item.path();
        let name = name
            .to_str()
            .ok_or_else(|| Mr1Error::NonUtf8Path { path: full.clone() })?;
        let rel = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = item.file_type().map_err(|e| Mr1Error::io(&full, e))?;
        if kind.is_dir() {
            walk(&full, &rel, out)?;
        } else if kind.is_file() {
            let meta = fs::metadata(&full).map_err(|e| Mr1Error::io(&full, e))?;
            if !meta.is_file() {
                return Err(Mr1Error::FileChanged { path: full });
            }
            out.push(entry(rel, full, &meta));
        } else if kind.is_symlink() {
            let meta = match fs::metadata(&full) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(Mr1Error::PermissionDenied { path: full })
                }
                Err(source) => return Err(Mr1Error::BrokenSymlink { path: full, source }),
            };
            if meta.is_file() {
                out.push(entry(rel, full, &meta));
            } else if meta.is_dir() {
                return Err(Mr1Error::SymlinkToDirectory { path: full });
            } else {
                return Err(Mr1Error::UnsupportedFileType { path: full });
            }
        } else {
            return Err(Mr1Error::UnsupportedFileType { path: full });
        }
    }
    Ok(())
}
