//! aushang: a static-site generator for bilingual incident status and notice-board sites.
//!
//! Data flows one way: [`model`] loads and validates the content and derives what is current,
//! [`render`] turns text into HTML and fills the theme's templates, [`output`] writes pages,
//! feeds and machine-readable files, and [`cli`] is the command-line edge.
//!
//! Without the feature `site` (on by default) only [`model`] and [`author`] are built.

pub mod author;
#[cfg(feature = "site")]
pub mod build;
#[cfg(feature = "site")]
pub mod cli;
pub mod diagnostics;
pub mod embedded;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
#[cfg(feature = "site")]
pub mod output;
#[cfg(feature = "site")]
pub mod render;
#[cfg(feature = "site")]
pub mod serve;
