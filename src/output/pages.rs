//! HTML pages (being written).

use super::{BuildContext, OutputFile};
use crate::build::BuildError;

pub fn files(_ctx: &BuildContext) -> Result<Vec<OutputFile>, BuildError> {
    Ok(vec![OutputFile::new("index.html", "<!doctype html><title>aushang</title>")])
}
