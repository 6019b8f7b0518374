//! Property tests: every proof verifies; any one flipped bit makes it fail.

use curia_sdk::mr1::{self, MerkleTree};
use proptest::prelude::*;

/// 1 to 40 chunks of 1 to 4096 bytes (content from a seed to keep shrinking cheap).
fn chunks() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec((1usize..=4096, any::<u8>()), 1..40).prop_map(|spec| {
        spec.into_iter()
            .map(|(len, seed)| {
                (0..len)
                    .map(|j| seed.wrapping_add((j * 31) as u8))
                    .collect()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_proof_verifies(chunks in chunks()) {
        let tree = MerkleTree::from_chunks(&chunks).expect("tree");
        let n = chunks.len() as u64;
        for (i, chunk) in chunks.iter().enumerate() {
            let proof = tree.proof(i as u64).expect("proof");
            prop_assert_eq!(proof.len() as u32, mr1::tree_depth(n));
            prop_assert!(mr1::verify(tree.root(), n, i as u64, chunk, &proof));
        }
    }

    #[test]
    fn one_flipped_bit_fails(chunks in chunks(), pick in any::<prop::sample::Index>(), bit in any::<prop::sample::Index>()) {
        let tree = MerkleTree::from_chunks(&chunks).expect("tree");
        let n = chunks.len() as u64;
        let i = pick.index(chunks.len());
        let chunk = &chunks[i];
        let proof = tree.proof(i as u64).expect("proof");
        let root = tree.root();
        prop_assert!(mr1::verify(root, n, i as u64, chunk, &proof));

        // A bit of the chunk.
        let b = bit.index(chunk.len() * 8);
        let mut bad = chunk.clone();
        bad[b / 8] ^= 1 << (b % 8);
        prop_assert!(!mr1::verify(root, n, i as u64, &bad, &proof));

        // A bit of the proof.
        if !proof.is_empty() {
            let b = bit.index(proof.len() * 256);
            let mut bad = proof.clone();
            bad[b / 256].0[(b % 256) / 8] ^= 1 << (b % 8);
            prop_assert!(!mr1::verify(root, n, i as u64, chunk, &bad));
        }

        // Any bit of the index.
        for b in 0..64 {
            prop_assert!(!mr1::verify(root, n, (i as u64) ^ (1 << b), chunk, &proof));
        }

        // A bit of the root.
        let b = bit.index(256);
        let mut bad_root = root;
        bad_root.0[b / 8] ^= 1 << (b % 8);
        prop_assert!(!mr1::verify(bad_root, n, i as u64, chunk, &proof));
    }

    #[test]
    fn proofs_of_a_committed_directory_verify(sizes in prop::collection::vec(0u64..20_000, 1..6)) {
        prop_assume!(sizes.iter().any(|s| *s > 0));
        let dir = tempfile::tempdir().expect("tempdir");
        for (k, size) in sizes.iter().enumerate() {
            let data: Vec<u8> = (0..*size).map(|j| (j as u8).wrapping_mul(k as u8 + 3)).collect();
            std::fs::write(dir.path().join(format!("f{k}")), data).expect("write");
        }
        let ob = dir.path().join(".ob");
        let set = mr1::FileSet::scan(dir.path()).expect("scan");
        let c = set.commit_with(&mr1::CommitOptions { outboard: Some(&ob), progress: None }).expect("commit");
        let outboard = mr1::Outboard::open(&ob).expect("outboard");
        for i in 0..c.num_chunks {
            let chunk = set.read_chunk(i).expect("chunk");
            let proof = outboard.proof(i).expect("proof");
            prop_assert!(mr1::verify(c.content_root, c.num_chunks, i, &chunk, &proof));
        }
    }
}
