//! Authoring: editing content files safely. `update` appends to a YAML file by text so
//! that nothing an author wrote moves, `new` writes commented skeletons, `init` starts a
//! site from the built-in example. Every change is validated against the whole site
//! before it touches `content/`, written atomically, and serialized by a lock so that
//! colleagues posting at the same moment do not lose each other's updates.

pub mod init;
pub mod skeleton;
pub mod update;
mod write;
pub mod yaml;

use crate::diagnostics::Diagnostics;
use std::path::PathBuf;

pub use init::{init, InitOutcome};
pub use skeleton::{new_item, NewKind, NewOutcome};
pub use update::{update, TextInput, UpdateOutcome, UpdateRequest};

/// Why an authoring command did not change anything.
#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    /// The command line itself is wrong (missing or conflicting options, a malformed id).
    #[error("{0}")]
    Usage(String),
    /// The request names something the site does not have (an unknown state, phase,
    /// service or id), or asks for something the content does not allow.
    #[error("{0}")]
    Refused(String),
    /// The result would not pass `check`; carries every problem of the candidate site.
    #[error("{message}")]
    Invalid { message: String, diagnostics: Diagnostics },
    /// Another `aushang` process held the content lock for too long.
    #[error("{0}")]
    Busy(String),
    #[error("{}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl AuthorError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> AuthorError {
        AuthorError::Io { path: path.into(), source }
    }
}

/// The id rules (docs/content.md, "Ids and file names"), for error messages.
pub const ID_RULES: &str =
    "expected lowercase ASCII letters, digits and `-`, starting with a letter or digit (at most 100 characters)";
