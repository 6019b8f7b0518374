//! Streaming, parallel hashing of a file set into its MR1 commitment.

use std::cell::RefCell;
use std::fmt;
use std::path::Path;

use alloy_primitives::B256;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::files::FileSet;
use super::hash::{leaf_hash, node_hash, parent_level, sha256, tree_depth, version_id, zero_hash};
use super::outboard::OutboardWriter;
use super::{Result, CHUNK_SIZE};

const CHUNK: u64 = CHUNK_SIZE as u64;
/// Height of the subtree one task hashes: 2^8 chunks = 1 MiB of data.
const SEGMENT_HEIGHT: u32 = 8;
/// Segments hashed in parallel before their roots are folded in: 256 MiB of data, whose
/// results (a root, or ~16 KiB of levels with an outboard) are all that is held at once.
const WINDOW_SEGMENTS: u64 = 256;
/// Bytes read per system call: 256 KiB, hashed while still in cache.
const READ_CHUNKS: u64 = 64;
const PAGE: usize = 4096;

thread_local! {
    static READ_BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The MR1 commitment of a model: what `publish` registers on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    /// The Merkle root over the 4096-byte chunks.
    pub content_root: B256,
    /// `sha256` of the canonical manifest.
    pub manifest_digest: B256,
    /// `keccak256(abi.encode(keccak256("curia.mr1"), contentRoot, manifestDigest, numChunks,
    /// totalBytes))`: the same on every chain.
    pub version_id: B256,
    /// N, the number of chunks.
    pub num_chunks: u64,
    /// The total size of the files in bytes.
    pub total_bytes: u64,
}

impl Commitment {
    /// Assembles a commitment and computes its `versionId`.
    pub fn new(
        content_root: B256,
        manifest_digest: B256,
        num_chunks: u64,
        total_bytes: u64,
    ) -> Self {
        Self {
            content_root,
            manifest_digest,
            version_id: version_id(content_root, manifest_digest, num_chunks, total_bytes),
            num_chunks,
            total_bytes,
        }
    }
}

/// Options of [`FileSet::commit_with`].
#[derive(Clone, Copy, Default)]
pub struct CommitOptions<'a> {
    /// Also write every level of the tree to this file (see [`crate::mr1::Outboard`]). It is
    /// written beside the destination and renamed into place only on success.
    pub outboard: Option<&'a Path>,
    /// Called from the hashing threads with the number of bytes just hashed (for progress bars).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl fmt::Debug for CommitOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommitOptions")
            .field("outboard", &self.outboard)
            .field("progress", &self.progress.map(|_| "Fn(u64)"))
            .finish()
    }
}

/// Scans `path` (a model directory or one file) and hashes it: shorthand for
/// [`FileSet::scan`] then [`FileSet::commit`].
pub fn commit(path: impl AsRef<Path>) -> Result<Commitment> {
    FileSet::scan(path)?.commit()
}

/// What one segment task returns: its subtree root, and all its levels when an outboard is
/// written.
struct Segment {
    root: B256,
    levels: Vec<Vec<B256>>,
}

/// Folds complete subtree roots, left to right, into the root with O(log N) memory.
struct Fold {
    depth: u32,
    stack: Vec<(u32, u64, B256)>,
}

impl Fold {
    fn push(&mut self, mut node: (u32, u64, B256), out: &mut Option<OutboardWriter>) -> Result<()> {
        while let Some(&(level, _, left)) = self.stack.last() {
            if level != node.0 {
                break;
            }
            self.stack.pop();
            node = (level + 1, node.1 >> 1, node_hash(&left, &node.2));
            emit(out, node)?;
        }
        self.stack.push(node);
        Ok(())
    }

    /// Pads the right edge with all-padding subtrees up to the root.
    fn finish(mut self, out: &mut Option<OutboardWriter>) -> Result<B256> {
        while let Some(top) = self.stack.pop() {
            if self.stack.is_empty() && top.0 >= self.depth {
                return Ok(top.2);
            }
            // The rightmost node of its level has no real right sibling (it would have been
            // merged): its sibling is padding.
            let node = (top.0 + 1, top.1 >> 1, node_hash(&top.2, &zero_hash(top.0)));
            emit(out, node)?;
            self.push(node, out)?;
        }
        Ok(B256::ZERO) // unreachable: a file set has at least one chunk
    }
}

impl FileSet {
    /// Hashes the files into their [`Commitment`].
    ///
    /// Streams the files in bounded batches and hashes chunks in parallel (rayon); memory stays
    /// bounded (a few MiB) whatever the model's size. Fails with
    /// [`crate::mr1::Mr1Error::FileChanged`] if a file's size or modification time is not what
    /// [`FileSet::scan`] recorded by the end.
    pub fn commit(&self) -> Result<Commitment> {
        self.commit_with(&CommitOptions::default())
    }

    /// [`FileSet::commit`] with options: write an outboard, report progress.
    pub fn commit_with(&self, options: &CommitOptions<'_>) -> Result<Commitment> {
        self.commit_inner(options, SEGMENT_HEIGHT, WINDOW_SEGMENTS)
    }

    pub(crate) fn commit_inner(
        &self,
        options: &CommitOptions<'_>,
        max_segment_height: u32,
        window: u64,
    ) -> Result<Commitment> {
        let n = self.num_chunks();
        let depth = tree_depth(n);
        let seg_height = depth.min(max_segment_height);
        let num_segments = n.div_ceil(1 << seg_height);
        let keep_levels = options.outboard.is_some();
        let mut writer = match options.outboard {
            Some(path) => Some(OutboardWriter::create(path, n)?),
            None => None,
        };
        let mut fold = Fold {
            depth,
            stack: Vec::new(),
        };

        let mut start = 0;
        while start < num_segments {
            let end = (start + window.max(1)).min(num_segments);
            let segments = (start..end)
                .into_par_iter()
                .map(|s| self.hash_segment(s, seg_height, keep_levels, options.progress))
                .collect::<Result<Vec<Segment>>>()?;
            if let Some(w) = writer.as_mut() {
                // Segments are consecutive: each level of the window is one run of nodes.
                for h in 0..=seg_height {
                    let nodes: Vec<B256> = segments
                        .iter()
                        .flat_map(|s| s.levels[h as usize].iter().copied())
                        .collect();
                    w.write_nodes(h, (start << seg_height) >> h, &nodes)?;
                }
            }
            for (i, s) in segments.into_iter().enumerate() {
                fold.push((seg_height, start + i as u64, s.root), &mut writer)?;
            }
            start = end;
        }
        let content_root = fold.finish(&mut writer)?;
        self.check_unchanged()?;

        let manifest_digest = sha256(self.manifest().as_bytes());
        if let Some(w) = writer {
            w.finish(n, self.total_bytes(), content_root, manifest_digest)?;
        }
        Ok(Commitment::new(
            content_root,
            manifest_digest,
            n,
            self.total_bytes(),
        ))
    }

    /// Hashes segment `seg` (chunks `seg·2^height ..`) into its subtree of `height`.
    fn hash_segment(
        &self,
        seg: u64,
        height: u32,
        keep_levels: bool,
        progress: Option<&(dyn Fn(u64) + Sync)>,
    ) -> Result<Segment> {
        let c0 = seg << height;
        let c1 = (c0 + (1 << height)).min(self.num_chunks());
        let mut leaves = Vec::with_capacity((c1 - c0) as usize);
        let mut bytes = 0;
        READ_BUF.with(|cell| -> Result<()> {
            let mut buf = cell.borrow_mut();
            let len = (READ_CHUNKS * CHUNK) as usize;
            buf.resize(len + PAGE, 0);
            // Page-align the destination: the kernel's copy into a misaligned buffer is several
            // times slower on some CPUs (measured: a third of all CPU time on AMD EPYC).
            let skew = buf.as_ptr().align_offset(PAGE).min(PAGE);
            let buf = &mut buf[skew..skew + len];
            let files = self.files();
            let mut fi = self.file_of_chunk(c0);
            let mut c = c0;
            while c < c1 {
                let Some(f) = files.get(fi) else { break };
                fi += 1;
                let f_end = (f.first_chunk() + f.num_chunks()).min(c1);
                if f_end <= c {
                    continue; // an empty file
                }
                let mut file = f.open()?;
                while c < f_end {
                    let b = f_end.min(c + READ_CHUNKS);
                    let off = (c - f.first_chunk()) * CHUNK;
                    let len = (f.size.min((b - f.first_chunk()) * CHUNK) - off) as usize;
                    let data = &mut buf[..len];
                    f.read_range(&mut file, off, data)?;
                    leaves.extend(data.chunks(CHUNK_SIZE).map(leaf_hash));
                    bytes += len as u64;
                    c = b;
                }
            }
            Ok(())
        })?;
        if let Some(progress) = progress {
            progress(bytes);
        }

        let mut levels = Vec::new();
        let mut current = leaves;
        for h in 0..height {
            let next = parent_level(&current, h);
            if keep_levels {
                levels.push(current);
            }
            current = next;
        }
        let root = current.first().copied().unwrap_or(B256::ZERO);
        if keep_levels {
            levels.push(current);
        }
        Ok(Segment { root, levels })
    }
}

/// Writes a node the fold produced to the outboard, if one is being written.
fn emit(out: &mut Option<OutboardWriter>, (level, index, node): (u32, u64, B256)) -> Result<()> {
    match out {
        Some(w) => w.write_nodes(level, index, &[node]),
        None => Ok(()),
    }
}
