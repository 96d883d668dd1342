//! `aushang serve`: the local preview with live reload.

use super::EXIT_USAGE;
use crate::serve::{serve, ServeError, ServeOptions};
use std::path::Path;

pub fn run(root: &Path, port: u16, now: Option<String>) -> anyhow::Result<i32> {
    let opts = ServeOptions { root: root.to_path_buf(), port, now };
    match serve(&opts) {
        Ok(()) => Ok(0),
        Err(ServeError::Usage(message)) => {
            eprintln!("error: {message}");
            Ok(EXIT_USAGE)
        }
        Err(e) => Err(e.into()),
    }
}
