//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]), the theme's templates ([`theme`]) and the escaping they share
//! ([`escape`]).

pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod strings;
pub mod theme;
