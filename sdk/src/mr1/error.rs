//! The one error type of the MR1 module.

use std::io;
use std::path::{Path, PathBuf};

/// Everything that can go wrong while committing to, proving or verifying MR1 content.
///
/// Every message says what went wrong and what to do about it, so a command line can print it
/// as it is. [`Mr1Error::is_user_error`] tells mistakes the user can fix (a bad path, an empty
/// model, a broken link, …) from failures of the machine (an I/O error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Mr1Error {
    /// The model path (or a file in it) does not exist.
    #[error("{path}: no such file or directory; check the path to the model directory or file")]
    NotFound {
        /// The path that was not found.
        path: PathBuf,
    },

    /// A file or directory cannot be read by this user.
    #[error("{path}: permission denied; make it readable by this user and run again")]
    PermissionDenied {
        /// The path that could not be read.
        path: PathBuf,
    },

    /// The file set has no bytes (N = 0 chunks).
    #[error(
        "empty model: {path} holds no bytes to commit to (MR1 needs at least one non-empty \
         regular file; paths with a component starting with '.' are left out); point at the \
         directory or file that holds the weights"
    )]
    EmptyModel {
        /// The model path that was given.
        path: PathBuf,
    },

    /// A symbolic link whose target does not exist (or cannot be resolved, e.g. a loop).
    #[error(
        "{path}: broken symbolic link ({source}); fix the link, remove it, or replace it with \
         the file it should point to"
    )]
    BrokenSymlink {
        /// The link.
        path: PathBuf,
        /// Why its target could not be resolved.
        source: io::Error,
    },

    /// A symbolic link to a directory (MR1 follows links to regular files only).
    #[error(
        "{path}: symbolic link to a directory; MR1 follows links to regular files only: copy \
         the directory in place of the link, or remove the link"
    )]
    SymlinkToDirectory {
        /// The link.
        path: PathBuf,
    },

    /// A path that is not valid UTF-8 (MR1 paths are UTF-8 strings in the manifest).
    #[error("{path}: the name is not valid UTF-8; rename it (MR1 paths must be UTF-8)")]
    NonUtf8Path {
        /// The path, shown lossily.
        path: PathBuf,
    },

    /// A FIFO, socket or device in the model directory, or a link to one.
    #[error(
        "{path}: not a regular file, a directory or a link to a regular file; move it out of \
         the model directory"
    )]
    UnsupportedFileType {
        /// The offending entry.
        path: PathBuf,
    },

    /// A file larger than the manifest can state exactly (sizes are JSON numbers: ≤ 2^53 − 1).
    #[error(
        "{path}: {size} bytes is more than MR1 supports (at most 2^53 - 1 bytes per file and in \
         total); split the file"
    )]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },

    /// A file changed (size or modification time) between listing and the end of hashing.
    #[error(
        "{path} changed while it was being hashed (its size or modification time differs); \
         wait until nothing writes to the model and run again"
    )]
    FileChanged {
        /// The file that changed.
        path: PathBuf,
    },

    /// A chunk index at or past the number of chunks.
    #[error(
        "chunk index {index} is out of range: the model has {num_chunks} chunks (indices \
         0 to {num_chunks} - 1); ask for a smaller index"
    )]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The number of chunks N.
        num_chunks: u64,
    },

    /// An outboard file that is not what [`crate::mr1::Outboard`] expects.
    #[error(
        "{path} is not a valid MR1 outboard ({reason}); re-create it with \
         `curia hash MODEL --outboard {path}`"
    )]
    InvalidOutboard {
        /// The outboard file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// The outboard file could not be written.
    #[error(
        "cannot write the outboard {path}: {source}; check that its directory exists, is \
         writable and has room"
    )]
    OutboardWrite {
        /// The outboard file asked for.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },

    /// Any other I/O failure.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file or directory being accessed.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

impl Mr1Error {
    /// Whether the user can fix this (bad path, empty model, broken link, changed file, bad
    /// outboard, an outboard path in a missing or read-only directory, …) rather than a failure
    /// of the machine (any other I/O error).
    pub fn is_user_error(&self) -> bool {
        match self {
            Mr1Error::Io { .. } => false,
            Mr1Error::OutboardWrite { source, .. } => matches!(
                source.kind(),
                io::ErrorKind::NotFound
                    | io::ErrorKind::PermissionDenied
                    | io::ErrorKind::StorageFull
                    | io::ErrorKind::IsADirectory
                    | io::ErrorKind::NotADirectory
                    | io::ErrorKind::ReadOnlyFilesystem
            ),
            _ => true,
        }
    }

    /// Maps an I/O error on `path` to the most helpful variant.
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::NotFound => Mr1Error::NotFound { path },
            io::ErrorKind::PermissionDenied => Mr1Error::PermissionDenied { path },
            _ => Mr1Error::Io { path, source },
        }
    }
}

/// Shorthand for results of this module.
pub type Result<T, E = Mr1Error> = std::result::Result<T, E>;
