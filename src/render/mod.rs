//! Turning the model into HTML: Markdown ([`markdown`]), code highlighting
//! ([`highlight`]) and the theme's templates ([`theme`]).

pub mod highlight;
pub mod markdown;
pub mod theme;
