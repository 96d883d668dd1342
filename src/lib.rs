//! aushang: a static-site generator for bilingual incident status and notice-board sites.
//!
//! Data flows one way: [`model`] loads and validates the content and derives what is current,
//! [`render`] turns text into HTML and fills the theme's templates, [`output`] writes pages,
//! feeds and machine-readable files, and [`cli`] is the command-line edge.

pub mod author;
pub mod build;
pub mod cli;
pub mod diagnostics;
pub mod embedded;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
