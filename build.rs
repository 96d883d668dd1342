//! Embeds the default theme and the example site into the binary, so a site without
//! `themes/` works and `aushang init` needs nothing beside the executable.

use std::fmt::Write as _;
use std::path::Path;

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn table(name: &str, root: &Path) -> String {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    let mut s = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for f in files {
        let abs = root.join(&f);
        let _ = writeln!(s, "    ({f:?}, include_bytes!({:?})),", abs.display().to_string());
    }
    s.push_str("];\n");
    s
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let manifest = Path::new(&manifest);
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut code = String::new();
    code.push_str(&table("THEME_FILES", &manifest.join("themes/default")));
    code.push_str(&table("EXAMPLE_FILES", &manifest.join("content")));
    let _ = std::fs::write(Path::new(&out_dir).join("embedded.rs"), code);
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=content");
}
