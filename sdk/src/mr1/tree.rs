//! An in-memory MR1 tree (for small data and tests) and proof verification.

use alloy_primitives::B256;

use super::hash::{leaf_hash, node_hash, parent_level, tree_depth, zero_hash};
use super::{Mr1Error, Result, CHUNK_SIZE};

/// An MR1 tree held in memory: every level, from the leaves up to the root.
///
/// Level 0 holds the N leaf hashes; level h holds the `ceil(N / 2^h)` nodes that cover at least
/// one real leaf; all-padding nodes are [`zero_hash`]es and are not stored. For data too large
/// to keep 32 bytes per chunk in memory, hash with [`crate::mr1::FileSet::commit_with`] and
/// serve proofs from an [`crate::mr1::Outboard`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    levels: Vec<Vec<B256>>,
}

impl MerkleTree {
    /// Builds the tree over leaf hashes (`sha256(0x00 ‖ chunk)` each).
    ///
    /// Fails with [`Mr1Error::EmptyModel`] when there are no leaves.
    pub fn from_leaves(leaves: Vec<B256>) -> Result<Self> {
        if leaves.is_empty() {
            return Err(Mr1Error::EmptyModel {
                path: "<in-memory leaves>".into(),
            });
        }
        let depth = tree_depth(leaves.len() as u64);
        let mut levels = Vec::with_capacity(depth as usize + 1);
        levels.push(leaves);
        for h in 0..depth {
            let next = parent_level(&levels[h as usize], h);
            levels.push(next);
        }
        Ok(Self { levels })
    }

    /// Builds the tree over chunks given in global order (each 1 to [`CHUNK_SIZE`] bytes).
    pub fn from_chunks<I, C>(chunks: I) -> Result<Self>
    where
        I: IntoIterator<Item = C>,
        C: AsRef<[u8]>,
    {
        Self::from_leaves(chunks.into_iter().map(|c| leaf_hash(c.as_ref())).collect())
    }

    /// `contentRoot`: the root (the leaf itself when N = 1).
    pub fn root(&self) -> B256 {
        self.levels
            .last()
            .and_then(|top| top.first())
            .copied()
            .unwrap_or(B256::ZERO)
    }

    /// N, the number of chunks.
    pub fn num_chunks(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// D = ceil(log2 N), the number of siblings in a proof.
    pub fn depth(&self) -> u32 {
        tree_depth(self.num_chunks())
    }

    /// The stored nodes of `level` (0 = leaves), or `None` past the root.
    pub fn level(&self, level: u32) -> Option<&[B256]> {
        self.levels.get(level as usize).map(Vec::as_slice)
    }

    /// The proof of chunk `index`: the D sibling hashes bottom-up. Bit h of `index` says whether
    /// the sibling at level h is on the left.
    pub fn proof(&self, index: u64) -> Result<Vec<B256>> {
        let n = self.num_chunks();
        if index >= n {
            return Err(Mr1Error::IndexOutOfRange {
                index,
                num_chunks: n,
            });
        }
        let depth = self.depth();
        let mut out = Vec::with_capacity(depth as usize);
        for h in 0..depth {
            let sibling = (index >> h) ^ 1;
            let node = usize::try_from(sibling)
                .ok()
                .and_then(|s| self.levels[h as usize].get(s))
                .copied()
                .unwrap_or_else(|| zero_hash(h));
            out.push(node);
        }
        Ok(out)
    }
}

/// Hashes from `leaf` at `index` up to the root along `proof`.
pub(crate) fn fold_proof(leaf: B256, index: u64, proof: &[B256]) -> B256 {
    let mut acc = leaf;
    for (h, sibling) in proof.iter().enumerate() {
        acc = if (index >> h) & 1 == 1 {
            node_hash(sibling, &acc)
        } else {
            node_hash(&acc, sibling)
        };
    }
    acc
}

/// Checks that `chunk` is chunk `index` of the content committed to by `root` over `num_chunks`
/// chunks, given its `proof` (D siblings bottom-up, as [`MerkleTree::proof`] and
/// [`crate::mr1::Outboard::proof`] return).
///
/// Returns `false` (never panics) when `index >= num_chunks`, when the proof does not have
/// exactly D = ceil(log2 N) siblings, when the chunk is empty or longer than [`CHUNK_SIZE`], or
/// when the hashes do not lead to `root`.
pub fn verify(root: B256, num_chunks: u64, index: u64, chunk: &[u8], proof: &[B256]) -> bool {
    if index >= num_chunks
        || chunk.is_empty()
        || chunk.len() > CHUNK_SIZE
        || proof.len() != tree_depth(num_chunks) as usize
    {
        return false;
    }
    fold_proof(leaf_hash(chunk), index, proof) == root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_leaf_is_root() {
        let t = MerkleTree::from_chunks([b"x".as_slice()]).expect("tree");
        assert_eq!(t.root(), leaf_hash(b"x"));
        assert_eq!(t.depth(), 0);
        assert!(t.proof(0).expect("proof").is_empty());
        assert!(verify(t.root(), 1, 0, b"x", &[]));
        assert!(!verify(t.root(), 1, 1, b"x", &[]));
    }

    #[test]
    fn three_leaves_padded_with_zero() {
        let chunks = [b"a".as_slice(), b"b", b"c"];
        let t = MerkleTree::from_chunks(chunks).expect("tree");
        let l: Vec<B256> = chunks.iter().map(|c| leaf_hash(c)).collect();
        let expect = node_hash(&node_hash(&l[0], &l[1]), &node_hash(&l[2], &B256::ZERO));
        assert_eq!(t.root(), expect);
        let p = t.proof(2).expect("proof");
        assert_eq!(p, vec![B256::ZERO, node_hash(&l[0], &l[1])]);
        for (i, c) in chunks.iter().enumerate() {
            let p = t.proof(i as u64).expect("proof");
            assert!(verify(t.root(), 3, i as u64, c, &p));
        }
    }

    #[test]
    fn rejects_bad_inputs() {
        let chunks: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 100]).collect();
        let t = MerkleTree::from_chunks(&chunks).expect("tree");
        let p = t.proof(4).expect("proof");
        assert!(verify(t.root(), 5, 4, &chunks[4], &p));
        assert!(!verify(t.root(), 5, 5, &chunks[4], &p));
        assert!(!verify(t.root(), 4, 4, &chunks[4], &p));
        assert!(!verify(t.root(), 5, 4, &chunks[4], &p[..2]));
        assert!(!verify(t.root(), 5, 4, &[], &p));
        assert!(!verify(t.root(), 5, 4, &[0u8; CHUNK_SIZE + 1], &p));
        assert!(!verify(t.root(), 0, 0, &chunks[0], &[]));
        assert!(matches!(
            t.proof(5),
            Err(Mr1Error::IndexOutOfRange {
                index: 5,
                num_chunks: 5
            })
        ));
        assert!(MerkleTree::from_leaves(vec![]).is_err());
    }
}
