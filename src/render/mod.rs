//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]), the theme's templates ([`theme`]), the escaping they share
//! ([`escape`]) and the writing direction of languages ([`direction`]).

pub mod direction;
pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod strings;
pub mod theme;
