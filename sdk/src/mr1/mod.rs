//! MR1, the content commitment of model weights (normative spec: the project's design brief,
//! section "MR1", and `docs/`).
//!
//! 1. **File set**: the regular files under the model directory (or the one file given), by
//!    relative `/`-separated UTF-8 path; a path with any component starting with `.` is left
//!    out; symbolic links to regular files are followed (the link's path, the target's bytes);
//!    broken or directory links are errors. Order: ascending raw path bytes ([`FileSet`]).
//! 2. **Chunks**: 4096 bytes, numbered globally in file order; a file's last chunk is short
//!    and unpadded; an empty file has none. N ≥ 1.
//! 3. **Tree**: `leaf = sha256(0x00 ‖ chunk)`, padded to a power of two with 32 zero bytes (not
//!    hashed), `node = sha256(0x01 ‖ left ‖ right)`; `contentRoot` is the root (the leaf when
//!    N = 1). A proof of chunk i is D = ceil(log2 N) siblings bottom-up; bit h of i says whether
//!    the sibling at level h is on the left ([`MerkleTree`], [`Outboard`], [`verify`]).
//! 4. **Manifest**: RFC 8785 canonical JSON
//!    `{"chunkSize":4096,"files":[{"path":…,"size":…},…],"format":"mr1"}`;
//!    `manifestDigest = sha256(manifest)` ([`manifest_json`]).
//! 5. **versionId** = `keccak256(abi.encode(keccak256("curia.mr1"), contentRoot, manifestDigest,
//!    uint256 numChunks, uint256 totalBytes))` ([`version_id`]).
//!
//! ```no_run
//! use curia_sdk::mr1::{self, CommitOptions, FileSet, Outboard};
//! # fn main() -> Result<(), mr1::Mr1Error> {
//! let files = FileSet::scan("models/llama-7b")?;
//! let outboard = std::path::Path::new("llama-7b.mr1ob");
//! let c = files.commit_with(&CommitOptions { outboard: Some(outboard), ..Default::default() })?;
//! println!("versionId {}", c.version_id);
//!
//! // Later: answer an availability challenge for chunk 42 without rehashing.
//! let ob = Outboard::open(outboard)?;
//! let chunk = files.read_chunk(42)?;
//! let proof = ob.proof(42)?;
//! assert!(mr1::verify(c.content_root, c.num_chunks, 42, &chunk, &proof));
//! # Ok(()) }
//! ```

mod commit;
mod error;
mod files;
mod hash;
mod manifest;
mod outboard;
mod tree;

pub use commit::{commit, CommitOptions, Commitment};
pub use error::{Mr1Error, Result};
pub use files::{FileEntry, FileSet};
pub use hash::{
    leaf_hash, level_width, node_hash, sha256, tree_depth, version_id, version_tag, zero_hash,
    LEAF_PREFIX, NODE_PREFIX,
};
pub use manifest::{manifest_json, MAX_SAFE_SIZE};
pub use outboard::{Outboard, OUTBOARD_HEADER_LEN, OUTBOARD_MAGIC};
pub use tree::{verify, MerkleTree};

/// The MR1 chunk size in bytes.
pub const CHUNK_SIZE: usize = 4096;

/// The `format` field of the manifest.
pub const FORMAT: &str = "mr1";

#[cfg(test)]
mod tests;
