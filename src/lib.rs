//! aushang: a static-site generator for bilingual incident status and notice-board sites.
//!
//! Data flows one way: `model` loads and validates the content and derives what is current,
//! `render` turns text into HTML and fills the theme's templates, `output` writes pages,
//! feeds and machine-readable files, and [`cli`] is the command-line edge.
//!
//! The library's public face is small: [`build`] (build or render a site, with its
//! options and errors), [`model`] (the content's types, loading and validation),
//! [`author`] (`init`, `new` and `update`), [`diagnostics`], [`embedded`] (the built-in
//! theme and example site) and [`cli::run`]. Rendering,
//! output and `serve` are internal. Without the feature `site` (on by default) only
//! [`model`] and [`author`] are built.

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
pub(crate) mod output;
#[cfg(feature = "site")]
pub(crate) mod render;
#[cfg(feature = "site")]
pub(crate) mod serve;
