//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]), the theme's templates ([`theme`]), the escaping they share
//! ([`escape`]), the writing direction of languages ([`direction`]) and plain text
//! for the text outputs ([`plain_text`]).

pub mod direction;
pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod plain_text;
pub mod strings;
pub mod theme;
