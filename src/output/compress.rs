//! `build --precompress`: a `.gz` beside every text file, so a web server can send it
//! as is (nginx `gzip_static on`) instead of compressing on every request.

use super::OutputFile;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use rayon::prelude::*;
use std::io::Write;

const TEXT_EXTENSIONS: [&str; 8] = ["html", "css", "xml", "json", "svg", "ics", "txt", "js"];

/// Gzipped twins of the text files. The gzip header carries no time or name, so the
/// bytes depend only on the content (deterministic output).
pub fn gzip_twins(files: &[OutputFile]) -> Vec<OutputFile> {
    files
        .par_iter()
        .filter(|f| {
            let ext = f.path.rsplit('.').next().unwrap_or("");
            TEXT_EXTENSIONS.contains(&ext)
        })
        .filter_map(|f| {
            let mut enc: GzEncoder<Vec<u8>> =
                GzBuilder::new().mtime(0).write(Vec::new(), Compression::best());
            enc.write_all(&f.bytes).ok()?;
            let bytes = enc.finish().ok()?;
            Some(OutputFile::new(format!("{}.gz", f.path), bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    #[test]
    fn twins_text_files_only_and_round_trip() {
        let files = vec![
            OutputFile::new("index.html", "<p>Hallo</p>".repeat(50)),
            OutputFile::new("logo.png", vec![0u8; 10]),
        ];
        let gz = gzip_twins(&files);
        assert_eq!(gz.len(), 1);
        assert_eq!(gz[0].path, "index.html.gz");
        let mut out = String::new();
        GzDecoder::new(&gz[0].bytes[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out.as_bytes(), &files[0].bytes[..]);
        assert_eq!(gzip_twins(&files)[0].bytes, gz[0].bytes, "deterministic");
    }
}
