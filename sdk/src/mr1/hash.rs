//! The hash functions of MR1: leaves, nodes, padding, depth and the `versionId`.

use std::sync::OnceLock;

use alloy_primitives::{keccak256, B256, U256};
use ring::digest::{Context, SHA256};

use super::CHUNK_SIZE;

/// Domain tag of a leaf: `leaf = sha256(0x00 ‖ chunk)`.
pub const LEAF_PREFIX: u8 = 0x00;
/// Domain tag of an inner node: `node = sha256(0x01 ‖ left ‖ right)`.
pub const NODE_PREFIX: u8 = 0x01;

/// `sha256(bytes)`.
pub fn sha256(bytes: &[u8]) -> B256 {
    B256::from_slice(ring::digest::digest(&SHA256, bytes).as_ref())
}

/// The leaf hash of one chunk: `sha256(0x00 ‖ chunk)`.
///
/// Chunks are at most [`CHUNK_SIZE`] bytes; this function hashes whatever it is given.
pub fn leaf_hash(chunk: &[u8]) -> B256 {
    debug_assert!(chunk.len() <= CHUNK_SIZE);
    let mut ctx = Context::new(&SHA256);
    ctx.update(&[LEAF_PREFIX]);
    ctx.update(chunk);
    B256::from_slice(ctx.finish().as_ref())
}

/// The hash of an inner node: `sha256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &B256, right: &B256) -> B256 {
    let mut buf = [0u8; 65];
    buf[0] = NODE_PREFIX;
    buf[1..33].copy_from_slice(left.as_slice());
    buf[33..].copy_from_slice(right.as_slice());
    sha256(&buf)
}

/// The level above `nodes`, which sit at `level` and start at an even index: pairs hashed with
/// [`node_hash`], a last odd node paired with the padding hash [`zero_hash`]`(level)`.
pub(crate) fn parent_level(nodes: &[B256], level: u32) -> Vec<B256> {
    let pad = zero_hash(level);
    nodes
        .chunks(2)
        .map(|pair| node_hash(&pair[0], pair.get(1).unwrap_or(&pad)))
        .collect()
}

/// The root of a subtree of height `level` made only of padding: `Z_0` is 32 zero bytes (a
/// padding leaf is not hashed) and `Z_{h+1} = node(Z_h, Z_h)`.
///
/// These are the siblings a proof carries where the tree was padded to a power of two.
pub fn zero_hash(level: u32) -> B256 {
    static ZEROS: OnceLock<[B256; 65]> = OnceLock::new();
    let zeros = ZEROS.get_or_init(|| {
        let mut z = [B256::ZERO; 65];
        for h in 1..z.len() {
            z[h] = node_hash(&z[h - 1], &z[h - 1]);
        }
        z
    });
    zeros[(level as usize).min(64)]
}

/// The depth D of the tree over `num_chunks` leaves: `ceil(log2 N)` (0 for N ≤ 1). A proof has
/// exactly D siblings.
pub fn tree_depth(num_chunks: u64) -> u32 {
    if num_chunks <= 1 {
        0
    } else {
        u64::BITS - (num_chunks - 1).leading_zeros()
    }
}

/// The number of real (not all-padding) nodes at `level` of a tree over `num_chunks` leaves:
/// `ceil(N / 2^level)`.
pub fn level_width(num_chunks: u64, level: u32) -> u64 {
    if level >= u64::BITS {
        return u64::from(num_chunks > 0);
    }
    num_chunks.div_ceil(1u64 << level)
}

/// `keccak256("curia.mr1")`, the domain tag of the `versionId`.
pub fn version_tag() -> B256 {
    keccak256(b"curia.mr1")
}

/// The on-chain identity of a version:
/// `keccak256(abi.encode(keccak256("curia.mr1"), contentRoot, manifestDigest, uint256 numChunks,
/// uint256 totalBytes))`.
pub fn version_id(
    content_root: B256,
    manifest_digest: B256,
    num_chunks: u64,
    total_bytes: u64,
) -> B256 {
    let mut buf = [0u8; 160];
    buf[0..32].copy_from_slice(version_tag().as_slice());
    buf[32..64].copy_from_slice(content_root.as_slice());
    buf[64..96].copy_from_slice(manifest_digest.as_slice());
    buf[96..128].copy_from_slice(&U256::from(num_chunks).to_be_bytes::<32>());
    buf[128..160].copy_from_slice(&U256::from(total_bytes).to_be_bytes::<32>());
    keccak256(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth() {
        assert_eq!(tree_depth(0), 0);
        assert_eq!(tree_depth(1), 0);
        assert_eq!(tree_depth(2), 1);
        assert_eq!(tree_depth(3), 2);
        assert_eq!(tree_depth(4), 2);
        assert_eq!(tree_depth(5), 3);
        assert_eq!(tree_depth(17), 5);
        assert_eq!(tree_depth(1 << 40), 40);
        assert_eq!(tree_depth((1 << 40) + 1), 41);
        assert_eq!(tree_depth(u64::MAX), 64);
    }

    #[test]
    fn widths() {
        assert_eq!(level_width(17, 0), 17);
        assert_eq!(level_width(17, 1), 9);
        assert_eq!(level_width(17, 4), 2);
        assert_eq!(level_width(17, 5), 1);
        assert_eq!(level_width(17, 64), 1);
    }

    #[test]
    fn zeros() {
        assert_eq!(zero_hash(0), B256::ZERO);
        assert_eq!(zero_hash(1), node_hash(&B256::ZERO, &B256::ZERO));
        assert_eq!(zero_hash(2), node_hash(&zero_hash(1), &zero_hash(1)));
    }

    #[test]
    fn leaf_is_prefixed() {
        assert_eq!(leaf_hash(b"abc"), sha256(b"\x00abc"));
        assert_ne!(leaf_hash(b"abc"), sha256(b"abc"));
    }
}
