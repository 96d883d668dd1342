//! Files built into the binary: the default theme (`themes/default/`) and the example
//! site (`content/`), as (relative path, bytes), sorted by path.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
