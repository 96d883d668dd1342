//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]), the theme's templates ([`theme`]), the escaping they share
//! ([`escape`]), the writing direction of languages ([`direction`]), the printable
//! notice's sizes from the theme's `print.css` ([`print_layout`]) and plain text
//! for the text outputs ([`plain_text`]).

pub mod direction;
pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod plain_text;
pub mod print_layout;
pub mod strings;
pub mod theme;
