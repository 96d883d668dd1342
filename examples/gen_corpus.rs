//! Write a synthetic status site for benchmarks and profiling.
//!
//! ```text
//! cargo run --release --features bench --example gen_corpus -- --incidents 1000 --out /tmp/site
//! aushang build --root /tmp/site --now 2026-11-27T12:00:00+01:00
//! ```
//!
//! The output is deterministic for given parameters and seed (see `examples/corpus/`).

mod corpus;

use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(about = "Write a synthetic bilingual status site (DIR/content) for benchmarks")]
struct Args {
    /// Number of incidents (about 10% of them maintenance).
    #[arg(long, default_value_t = 1000)]
    incidents: usize,
    /// Number of services, spread over 3–6 groups.
    #[arg(long, default_value_t = 40)]
    services: usize,
    /// Number of guides (each in German and English, with code blocks).
    #[arg(long, default_value_t = 20)]
    guides: usize,
    /// Years of history the incidents are spread over, ending at the fixed "now".
    #[arg(long, default_value_t = 4)]
    years: u32,
    /// Seed of the generator; the same seed and sizes give byte-identical files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Site root to create; `DIR/content` must not exist yet (or be empty).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let params = corpus::Params {
        incidents: args.incidents,
        services: args.services,
        guides: args.guides,
        seed: args.seed,
        years: args.years,
    };
    let start = Instant::now();
    let stats = corpus::write_site(&args.out, &params)?;
    eprintln!(
        "wrote {} files ({:.1} MB) into {}/content in {} ms: {} incidents ({} maintenance, {} open, {} with code), {} services, {} guides",
        stats.files,
        stats.bytes as f64 / 1e6,
        args.out.display(),
        start.elapsed().as_millis(),
        args.incidents,
        stats.maintenance,
        stats.open_incidents,
        stats.with_code,
        args.services,
        args.guides,
    );
    eprintln!("build it with: aushang build --root {} --now {}", args.out.display(), corpus::NOW);
    Ok(())
}
