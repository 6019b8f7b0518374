//! The MR1 outboard file: every level of the tree on disk, to serve proofs without rehashing.
//!
//! The binary format is documented on [`Outboard`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use alloy_primitives::B256;

use super::hash::{leaf_hash, level_width, node_hash, tree_depth, version_id, zero_hash};
use super::tree::fold_proof;
use super::{Mr1Error, Result};

/// The first 8 bytes of an outboard file.
pub const OUTBOARD_MAGIC: &[u8; 8] = b"CURIAOB1";
/// The size of the outboard header in bytes.
pub const OUTBOARD_HEADER_LEN: u64 = 88;

/// Byte offset of each level (0..=D) and the total file length, or `None` on overflow.
fn layout(num_chunks: u64) -> Option<(Vec<u64>, u64)> {
    let depth = tree_depth(num_chunks);
    let mut offsets = Vec::with_capacity(depth as usize + 1);
    let mut at = OUTBOARD_HEADER_LEN;
    for h in 0..=depth {
        offsets.push(at);
        at = at.checked_add(level_width(num_chunks, h).checked_mul(32)?)?;
    }
    Some((offsets, at))
}

/// Writes an outboard while the tree is hashed: to a temporary file beside the destination,
/// renamed into place by [`OutboardWriter::finish`]; removed if dropped unfinished.
pub(crate) struct OutboardWriter {
    file: File,
    tmp: PathBuf,
    dest: PathBuf,
    offsets: Vec<u64>,
    done: bool,
}

impl OutboardWriter {
    pub(crate) fn create(dest: &Path, num_chunks: u64) -> Result<Self> {
        let fail = |source| Mr1Error::OutboardWrite {
            path: dest.into(),
            source,
        };
        if dest.is_dir() {
            return Err(fail(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        let (offsets, len) =
            layout(num_chunks).ok_or_else(|| fail(io::Error::other("outboard size overflows")))?;
        let mut tmp_name = dest
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "outboard".into());
        tmp_name.push(format!(".tmp{}", std::process::id()));
        let tmp = dest.with_file_name(tmp_name);
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(fail)?;
        let writer = Self {
            file,
            tmp,
            dest: dest.into(),
            offsets,
            done: false,
        };
        writer.file.set_len(len).map_err(fail)?;
        Ok(writer)
    }

    /// Writes consecutive nodes of `level` starting at node `first`.
    pub(crate) fn write_nodes(&mut self, level: u32, first: u64, nodes: &[B256]) -> Result<()> {
        let at = self.offsets[level as usize] + first * 32;
        let bytes: Vec<u8> = nodes.iter().flat_map(|n| n.0).collect();
        self.write_at(at, &bytes)
    }

    fn write_at(&mut self, at: u64, bytes: &[u8]) -> Result<()> {
        self.file
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.file.write_all(bytes))
            .map_err(|source| self.fail(source))
    }

    fn fail(&self, source: io::Error) -> Mr1Error {
        Mr1Error::OutboardWrite {
            path: self.dest.clone(),
            source,
        }
    }

    /// Writes the header (last, so an interrupted write never has a valid magic) and moves the
    /// file into place.
    pub(crate) fn finish(
        mut self,
        num_chunks: u64,
        total_bytes: u64,
        content_root: B256,
        manifest_digest: B256,
    ) -> Result<()> {
        let mut header = Vec::with_capacity(OUTBOARD_HEADER_LEN as usize);
        header.extend_from_slice(OUTBOARD_MAGIC);
        header.extend_from_slice(&num_chunks.to_le_bytes());
        header.extend_from_slice(&total_bytes.to_le_bytes());
        header.extend_from_slice(content_root.as_slice());
        header.extend_from_slice(manifest_digest.as_slice());
        self.write_at(0, &header)?;
        self.file.sync_all().map_err(|e| self.fail(e))?;
        fs::rename(&self.tmp, &self.dest).map_err(|e| self.fail(e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for OutboardWriter {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// An outboard file opened for serving proofs: every level of the tree, written by
/// [`crate::mr1::FileSet::commit_with`] (`curia hash MODEL --outboard FILE`).
///
/// # Format (`CURIAOB1`)
///
/// All integers are little-endian; hashes are 32 raw bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic: the ASCII bytes `CURIAOB1` |
/// | 8 | 8 | `numChunks` N (u64, ≥ 1) |
/// | 16 | 8 | `totalBytes` (u64) |
/// | 24 | 32 | `contentRoot` |
/// | 56 | 32 | `manifestDigest` |
/// | 88 | … | the levels, 0 (the leaves) to D = ceil(log2 N) (the root) |
///
/// Level h holds the `ceil(N / 2^h)` nodes that cover at least one real chunk, left to right,
/// 32 bytes each; nodes made only of padding are not stored (they are
/// [`zero_hash`](crate::mr1::zero_hash)`(h)`). The chunk size is 4096 (MR1). The file is
/// exactly `88 + 32 × Σ_h ceil(N / 2^h)` bytes long (about N × 64 bytes: 1/64 of the data), and
/// its last node equals `contentRoot`. A proof of chunk i reads one node per level: the sibling
/// `(i >> h) ^ 1` of level h, or the padding hash when that index is past the level's end.
///
/// [`Outboard::open`] checks the header, the length and that the top level is the root;
/// [`Outboard::validate`] rehashes every stored level; every [`Outboard::proof`] is checked to
/// lead from the stored leaf to the root before it is returned.
#[derive(Debug)]
pub struct Outboard {
    path: PathBuf,
    file: Mutex<File>,
    num_chunks: u64,
    total_bytes: u64,
    content_root: B256,
    manifest_digest: B256,
    offsets: Vec<u64>,
}

impl Outboard {
    /// Opens and checks an outboard written by [`crate::mr1::FileSet::commit_with`].
    ///
    /// Fails with [`Mr1Error::InvalidOutboard`] on a bad magic, a zero chunk count, a length
    /// that does not match the header (truncated or trailing bytes) or a top node that is not
    /// the root.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let invalid = |reason: &str| Mr1Error::InvalidOutboard {
            path: path.into(),
            reason: reason.into(),
        };
        let mut file = File::open(path).map_err(|e| Mr1Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Mr1Error::io(path, e))?.len();
        if len < OUTBOARD_HEADER_LEN {
            return Err(invalid("truncated: shorter than its 88-byte header"));
        }
        let mut header = [0u8; OUTBOARD_HEADER_LEN as usize];
        file.read_exact(&mut header)
            .map_err(|e| Mr1Error::io(path, e))?;
        if &header[0..8] != OUTBOARD_MAGIC {
            return Err(invalid("bad magic: it does not start with CURIAOB1"));
        }
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&header[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let num_chunks = u64_at(8);
        let total_bytes = u64_at(16);
        let content_root = B256::from_slice(&header[24..56]);
        let manifest_digest = B256::from_slice(&header[56..88]);
        if num_chunks == 0 {
            return Err(invalid("the header says 0 chunks"));
        }
        if total_bytes < num_chunks || total_bytes > num_chunks.saturating_mul(4096) {
            return Err(invalid("totalBytes does not fit numChunks"));
        }
        let (offsets, expected) =
            layout(num_chunks).ok_or_else(|| invalid("numChunks is impossibly large"))?;
        if len < expected {
            return Err(invalid(&format!(
                "truncated: {len} bytes, the header needs {expected}"
            )));
        }
        if len > expected {
            return Err(invalid(&format!(
                "{len} bytes, the header needs {expected}: trailing bytes"
            )));
        }
        let outboard = Self {
            path: path.into(),
            file: Mutex::new(file),
            num_chunks,
            total_bytes,
            content_root,
            manifest_digest,
            offsets,
        };
        if outboard.node(outboard.depth(), 0)? != content_root {
            return Err(invalid(
                "its top level is not the contentRoot of its header",
            ));
        }
        Ok(outboard)
    }

    /// The outboard file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// N, the number of chunks.
    pub fn num_chunks(&self) -> u64 {
        self.num_chunks
    }

    /// The total size of the model in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// `contentRoot`.
    pub fn content_root(&self) -> B256 {
        self.content_root
    }

    /// `manifestDigest`.
    pub fn manifest_digest(&self) -> B256 {
        self.manifest_digest
    }

    /// `versionId` computed from the header.
    pub fn version_id(&self) -> B256 {
        version_id(
            self.content_root,
            self.manifest_digest,
            self.num_chunks,
            self.total_bytes,
        )
    }

    /// D = ceil(log2 N).
    pub fn depth(&self) -> u32 {
        tree_depth(self.num_chunks)
    }

    fn read_at(&self, at: u64, buf: &mut [u8]) -> Result<()> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(at))
            .and_then(|_| file.read_exact(buf))
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => Mr1Error::InvalidOutboard {
                    path: self.path.clone(),
                    reason: "truncated while in use".into(),
                },
                _ => Mr1Error::io(&self.path, e),
            })
    }

    /// Node `index` of `level` (0 = leaves): the stored node, or the padding hash for an index
    /// past the level's end. Fails for a level above the root.
    pub fn node(&self, level: u32, index: u64) -> Result<B256> {
        if level > self.depth() {
            return Err(Mr1Error::IndexOutOfRange {
                index: u64::from(level),
                num_chunks: u64::from(self.depth()) + 1,
            });
        }
        if index >= level_width(self.num_chunks, level) {
            return Ok(zero_hash(level));
        }
        let mut buf = [0u8; 32];
        self.read_at(self.offsets[level as usize] + index * 32, &mut buf)?;
        Ok(B256::from(buf))
    }

    /// The leaf hash of chunk `index`.
    pub fn leaf(&self, index: u64) -> Result<B256> {
        self.check_index(index)?;
        self.node(0, index)
    }

    fn check_index(&self, index: u64) -> Result<()> {
        if index >= self.num_chunks {
            return Err(Mr1Error::IndexOutOfRange {
                index,
                num_chunks: self.num_chunks,
            });
        }
        Ok(())
    }

    /// The proof of chunk `index`: D siblings bottom-up, as [`crate::mr1::verify`] expects.
    ///
    /// The path from the stored leaf to the root is rehashed before the proof is returned, so a
    /// corrupt outboard yields [`Mr1Error::InvalidOutboard`], never a wrong proof.
    pub fn proof(&self, index: u64) -> Result<Vec<B256>> {
        self.check_index(index)?;
        let depth = self.depth();
        let mut siblings = Vec::with_capacity(depth as usize);
        for h in 0..depth {
            siblings.push(self.node(h, (index >> h) ^ 1)?);
        }
        if fold_proof(self.node(0, index)?, index, &siblings) != self.content_root {
            return Err(Mr1Error::InvalidOutboard {
                path: self.path.clone(),
                reason: format!("the path of chunk {index} does not hash to the contentRoot"),
            });
        }
        Ok(siblings)
    }

    /// Checks that `chunk` is chunk `index` of this content: its leaf hash is the stored leaf
    /// (cheap; pair with [`Outboard::proof`] to answer a challenge with a chunk read from disk).
    pub fn check_chunk(&self, index: u64, chunk: &[u8]) -> Result<bool> {
        Ok(self.leaf(index)? == leaf_hash(chunk))
    }

    /// Rehashes every level from the leaves up and compares with what is stored, reading a
    /// bounded block at a time. Fails with [`Mr1Error::InvalidOutboard`] at the first mismatch.
    pub fn validate(&self) -> Result<()> {
        const BLOCK: u64 = 1 << 15; // parent nodes per block: 2 MiB of children read at once
        for h in 0..self.depth() {
            let below = level_width(self.num_chunks, h);
            let width = level_width(self.num_chunks, h + 1);
            let mut start = 0;
            while start < width {
                let end = (start + BLOCK).min(width);
                let first_child = start * 2;
                let children = (end * 2).min(below) - first_child;
                let mut kids = vec![0u8; children as usize * 32];
                self.read_at(self.offsets[h as usize] + first_child * 32, &mut kids)?;
                let mut parents = vec![0u8; (end - start) as usize * 32];
                self.read_at(self.offsets[h as usize + 1] + start * 32, &mut parents)?;
                for (p, stored) in parents.chunks_exact(32).enumerate() {
                    let l = B256::from_slice(&kids[p * 64..p * 64 + 32]);
                    let r = kids
                        .get(p * 64 + 32..p * 64 + 64)
                        .map_or_else(|| zero_hash(h), B256::from_slice);
                    if node_hash(&l, &r).as_slice() != stored {
                        return Err(Mr1Error::InvalidOutboard {
                            path: self.path.clone(),
                            reason: format!(
                                "node {} of level {} does not hash from its children",
                                start + p as u64,
                                h + 1
                            ),
                        });
                    }
                }
                start = end;
            }
        }
        Ok(())
    }
}
