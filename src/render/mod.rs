//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]), the theme's templates ([`theme`]) and the escaping they share
//! ([`escape`]); plain text for the text outputs ([`plain_text`]).

pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod plain_text;
pub mod strings;
pub mod theme;
