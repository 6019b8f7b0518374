//! The weights the keeper holds, by version id, and the answers it builds from them.
//!
//! Convention: the outboard file of a weights directory `D` is the sibling file `D.mr1ob`
//! (`curia hash D --outboard D.mr1ob` writes it); when it is there, proofs are read from it,
//! otherwise the directory is hashed again into a temporary outboard.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use alloy::primitives::B256;
use curia_sdk::mr1;
use curia_sdk::Weights;
use tracing::warn;

use crate::error::{KeeperError, Result};

/// The outboard file of a weights directory by the keeper's convention: `DIR.mr1ob`.
pub fn outboard_path(dir: &Path) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(".mr1ob");
    PathBuf::from(name)
}

/// The weights of `dir`, with its outboard when present.
pub fn weights_of(dir: &Path) -> Weights {
    let ob = outboard_path(dir);
    if ob.is_file() {
        Weights::with_outboard(dir, ob)
    } else {
        Weights::dir(dir)
    }
}

/// The weights a keeper answers for: single directories (their version id computed once) and
/// a root whose subdirectories are named by version id (`0x` + 64 hex digits), read again at
/// every round so that new versions can be dropped in.
#[derive(Clone, Debug, Default)]
pub(crate) struct WeightsBook {
    fixed: HashMap<B256, Weights>,
    root: Option<PathBuf>,
}

impl WeightsBook {
    /// Hashes each single directory (MR1) to learn its version id.
    pub(crate) async fn new(dirs: &[PathBuf], root: Option<PathBuf>) -> Result<Self> {
        let mut fixed = HashMap::new();
        for dir in dirs {
            let d = dir.clone();
            let c = tokio::task::spawn_blocking(move || mr1::commit(&d))
                .await
                .map_err(|e| KeeperError::Weights {
                    path: dir.clone(),
                    reason: e.to_string(),
                })?
                .map_err(|e| KeeperError::Weights {
                    path: dir.clone(),
                    reason: e.to_string(),
                })?;
            tracing::info!(version = %c.version_id, dir = %dir.display(), "holding weights");
            fixed.insert(c.version_id, weights_of(dir));
        }
        if let Some(r) = &root {
            if !r.is_dir() {
                return Err(KeeperError::Weights {
                    path: r.clone(),
                    reason: "not a directory (--weights-root takes a directory of <versionId> subdirectories)".into(),
                });
            }
        }
        Ok(WeightsBook { fixed, root })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.root.is_none()
    }

    /// Every version held now.
    pub(crate) fn current(&self) -> HashMap<B256, Weights> {
        let mut out = self.fixed.clone();
        let Some(root) = &self.root else {
            return out;
        };
        let entries = match std::fs::read_dir(root) {
            Ok(e) => e,
            Err(e) => {
                warn!(root = %root.display(), error = %e, "cannot read the weights root");
                return out;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Ok(id) = curia_sdk::parse_id("version id", name) else {
                continue;
            };
            out.entry(id).or_insert_with(|| weights_of(&path));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outboard_convention() {
        assert_eq!(
            outboard_path(Path::new("/w/0xab")),
            PathBuf::from("/w/0xab.mr1ob")
        );
    }
}
