//! The build benchmark: for each corpus size N, generate a synthetic site once
//! (see `examples/corpus/`) and measure the real release binary on it.
//!
//! ```text
//! cargo run --release --features bench --example bench -- --sizes 100,1000,10000
//! ```
//!
//! Per N it reports: full build wall time (median of `--runs` builds, each into a fresh
//! output folder), pages and pages per second, output size, peak RSS of the build
//! process, `cp -r` of the same output (the floor: writing the bytes) right after each
//! build, the median of those pairs' ratios, a warm build into the existing output, and
//! the `serve` rebuild after changing one incident file. It also times `aushang check` on
//! the example site (start-up).
//!
//! `--keep DIR` chooses the file system: `--keep /dev/shm/aushang-bench` measures on tmpfs,
//! without the disk. Outputs stay until the end of the run (see `remove_outputs`).
//!
//! The real binary is spawned (rather than calling the library) so that peak RSS is per
//! build and start-up costs count as they do for users. It is built first with
//! `cargo build --release` in the same target folder as this example (so
//! `CARGO_TARGET_DIR` is honoured); `--no-build` skips that.

#[path = "../corpus/mod.rs"]
mod corpus;
mod measure;
mod report;
mod serve;

use measure::{median, run_measured, vm_hwm_kb, Limits};
use report::{ms, print_report};
use serve::{bench_serve, ServeResult};

use clap::Parser;
use std::error::Error;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[derive(Debug, Parser)]
#[command(about = "Benchmark `aushang build` and `serve` on synthetic sites of N incidents")]
struct Args {
    /// Corpus sizes (number of incidents), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
    sizes: Vec<usize>,
    /// Keep the corpora in DIR/n<N>/ (replaced on every run) instead of a temporary folder.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Cold builds per size (the median is reported); 1 when a build takes over a minute.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Services per corpus (as `gen_corpus --services`).
    #[arg(long, default_value_t = 40)]
    services: usize,
    /// Guides per corpus (as `gen_corpus --guides`).
    #[arg(long, default_value_t = 20)]
    guides: usize,
    /// Seed of the corpus generator; the same seed gives the same files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Use the existing release binary instead of running `cargo build --release` first.
    #[arg(long)]
    no_build: bool,
    /// Skip the `serve` measurement.
    #[arg(long)]
    no_serve: bool,
    /// `serve` edits per size (the median is reported).
    #[arg(long, default_value_t = 3)]
    serve_edits: usize,
    /// Run `serve` on the clock, as an editor does, instead of at the corpus's fixed "now":
    /// every edit then also renders what the passing time changed (open incidents).
    #[arg(long)]
    serve_clock: bool,
    /// Kill a build that runs longer than this many seconds.
    #[arg(long, default_value_t = 900)]
    timeout: u64,
    /// Kill a build whose resident memory exceeds this many MB (protects a shared machine).
    #[arg(long, default_value_t = 8000)]
    max_rss_mb: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let target = target_dir()?;
    if !args.no_build {
        build_binary(&target)?;
    }
    let bin = target.join("release").join(format!("aushang{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        return Err(format!("{} not found; run `cargo build --release` first", bin.display()).into());
    }
    eprintln!("binary: {}", bin.display());

    // Either a folder the caller keeps, or a temporary one removed at the end.
    let temp;
    let work: PathBuf = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => {
            temp = tempfile::Builder::new().prefix("aushang-bench-").tempdir()?;
            temp.path().to_path_buf()
        }
    };

    let limits = Limits { timeout: Duration::from_secs(args.timeout), max_rss_kb: args.max_rss_mb * 1024 };
    let startup = check_startup(&bin, &limits)?;
    let mut rows = Vec::new();
    for &n in &args.sizes {
        rows.push(bench_size(&args, &bin, &work, n, &limits)?);
    }
    print_report(&args, &rows, &startup);
    let held = report::check_targets(&rows, &startup);
    remove_outputs(&work, &args.sizes)?;
    if !held {
        return Err("a performance target was missed (table above)".into());
    }
    Ok(())
}

/// Every build and copy goes into a folder of its own, and none is removed before the
/// benchmark ends. On ext4, a new file does not get the inode of a file deleted in the last
/// minute (five, while that inode's table block is not yet on disk): `recently_deleted()`
/// in `fs/ext4/ialloc.c` makes the allocator read past every such inode. Deleting 20,000
/// files right before creating 20,000 more made both the build and `cp -r` several times
/// slower (system time 0.8 s → 15 s at N = 10,000), which measures the file system's
/// bookkeeping rather than the build.
fn remove_outputs(work: &Path, sizes: &[usize]) -> Result<()> {
    for n in sizes {
        let Ok(entries) = std::fs::read_dir(work.join(format!("n{n}"))) else { continue };
        for entry in entries {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with("out-") {
                std::fs::remove_dir_all(entry.path())?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Locating and building the binary

/// The cargo target folder this example was built into: `<target>/release/examples/bench`
/// → `<target>`. Falls back to `CARGO_TARGET_DIR`, then `target/` beside Cargo.toml.
fn target_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    if let Some(dir) =
        exe.parent().filter(|d| d.ends_with("examples")).and_then(Path::parent).and_then(Path::parent)
    {
        return Ok(dir.to_path_buf());
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    Ok(match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => manifest.join(d),
        None => manifest.join("target"),
    })
}

fn build_binary(target: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release binary (cargo build --release --bin aushang)…");
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "aushang", "--target-dir"])
        .arg(target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()?;
    if !status.success() {
        return Err(format!("cargo build --release failed: {status}").into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The measurements

/// `aushang check` on the example site (this repository's `content/`): median of 10.
/// A failing check is reported, not fatal: the corpus numbers are still worth having.
fn check_startup(bin: &Path, limits: &Limits) -> Result<std::result::Result<Duration, String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut times = Vec::new();
    for _ in 0..10 {
        let m = run_measured(
            Command::new(bin).arg("check").arg("--root").arg(root).args(["--now", corpus::NOW]),
            limits,
        )?;
        if !m.ok() {
            // The status and the first error line are enough for the report.
            let why = m.describe_failure("aushang check on the example site");
            eprintln!("{why}");
            let first_error = why.lines().find(|l| l.contains("error")).unwrap_or("");
            return Ok(Err(format!("{} {first_error}", m.status)));
        }
        times.push(m.wall);
    }
    let t = median(times);
    eprintln!("check on the example site: {:.1} ms (median of 10)", ms(t));
    Ok(Ok(t))
}

#[derive(Debug, Default)]
struct Row {
    n: usize,
    corpus_files: usize,
    corpus_bytes: u64,
    /// Output of the build: all files, HTML pages, bytes.
    files: usize,
    pages: usize,
    bytes: u64,
    build: Option<Duration>,
    build_min_max: (Duration, Duration),
    /// CPU time (user + system) of the cold builds, median.
    build_cpu: Option<Duration>,
    runs: usize,
    peak_rss_kb: u64,
    warm: Option<Duration>,
    check: Option<Duration>,
    cp: Option<Duration>,
    /// Median over the runs of build time / `cp -r` time, each pair taken back to back.
    build_per_cp: Option<f64>,
    serve: Option<ServeResult>,
    /// What went wrong, if a step failed (shown under the table).
    notes: Vec<String>,
}

fn bench_size(args: &Args, bin: &Path, work: &Path, n: usize, limits: &Limits) -> Result<Row> {
    let mut row = Row { n, ..Row::default() };
    let dir = work.join(format!("n{n}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let params = corpus::Params {
        incidents: n,
        services: args.services,
        guides: args.guides,
        seed: args.seed,
        years: 4,
    };
    let t = Instant::now();
    let stats = corpus::write_site(&dir, &params)?;
    row.corpus_files = stats.files;
    row.corpus_bytes = stats.bytes;
    eprintln!(
        "\nN={n}: corpus of {} files ({:.1} MB) in {:.1} s",
        stats.files,
        stats.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // The corpus must be valid, or every number below is meaningless.
    let check = run_measured(
        Command::new(bin).arg("check").arg("--root").arg(&dir).args(["--now", corpus::NOW]),
        limits,
    )?;
    if !check.ok() {
        return Err(check.describe_failure(&format!("aushang check on the N={n} corpus")).into());
    }
    row.check = Some(check.wall);
    eprintln!("  check: {:.2} s", check.wall.as_secs_f64());

    let build = |out: &Path| {
        let mut c = Command::new(bin);
        c.arg("build").arg("--root").arg(&dir).arg("--out").arg(out).args(["--now", corpus::NOW]);
        c
    };
    // Cold builds, each into an output folder that does not exist yet, and each followed
    // by the floor: `cp -r` of the output it wrote. The machine's speed drifts within
    // minutes, so the ratio is taken per pair, of a build and a copy made back to back.
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let mut cps = Vec::new();
    let mut ratios = Vec::new();
    let mut last_out = None;
    for run in 0..args.runs.max(1) {
        let out = dir.join(format!("out-{run}"));
        let m = run_measured(&mut build(&out), limits)?;
        if !m.ok() {
            row.notes.push(m.describe_failure(&format!("build N={n}")));
            eprintln!("  build failed: {}", row.notes.last().map(String::as_str).unwrap_or(""));
            return Ok(row);
        }
        eprintln!(
            "  build {}: {:.2} s (CPU {}), peak RSS {:.0} MB",
            run + 1,
            m.wall.as_secs_f64(),
            m.cpu.map_or("?".into(), |c| format!("{:.2} s", c.as_secs_f64())),
            m.peak_rss_kb as f64 / 1024.0
        );
        times.push(m.wall);
        cpus.extend(m.cpu);
        row.peak_rss_kb = row.peak_rss_kb.max(m.peak_rss_kb);
        let copy = dir.join(format!("out-cp-{run}"));
        let cp = run_measured(Command::new("cp").arg("-r").arg(&out).arg(&copy), limits)?;
        if cp.ok() {
            eprintln!("  cp -r {}: {:.2} s", run + 1, cp.wall.as_secs_f64());
            cps.push(cp.wall);
            if !cp.wall.is_zero() {
                ratios.push(m.wall.as_secs_f64() / cp.wall.as_secs_f64());
            }
        } else {
            row.notes.push(cp.describe_failure("cp -r"));
        }
        // Outputs are removed only at the end of the whole benchmark (see `remove_outputs`).
        last_out = Some(out);
        if m.wall > Duration::from_secs(60) {
            row.notes.push(format!("N={n}: one cold build only (it took over a minute)"));
            break;
        }
    }
    row.runs = times.len();
    row.build_min_max =
        (times.iter().min().copied().unwrap_or_default(), times.iter().max().copied().unwrap_or_default());
    row.build = Some(median(times));
    row.build_cpu = (!cpus.is_empty()).then(|| median(cpus));
    let out = last_out.ok_or("no build output")?;
    (row.files, row.pages, row.bytes) = count_output(&out)?;

    // Warm: the same build into the existing output; unchanged files are not rewritten.
    let warm = run_measured(&mut build(&out), limits)?;
    if warm.ok() {
        row.warm = Some(warm.wall);
        eprintln!("  warm build: {:.2} s", warm.wall.as_secs_f64());
    } else {
        row.notes.push(warm.describe_failure(&format!("warm build N={n}")));
    }

    if !cps.is_empty() {
        row.cp = Some(median(cps));
    }
    if !ratios.is_empty() {
        ratios.sort_by(f64::total_cmp);
        row.build_per_cp = Some(ratios[ratios.len() / 2]);
    }

    if !args.no_serve {
        match bench_serve(bin, &dir, args.serve_edits, args.serve_clock, limits) {
            Ok(Some(s)) => row.serve = Some(s),
            Ok(None) => row.notes.push("`aushang serve` is not available in this binary".into()),
            Err(e) => row.notes.push(format!("serve N={n}: {e}")),
        }
    }
    Ok(row)
}

/// (files, HTML pages, bytes) below `dir`.
fn count_output(dir: &Path) -> Result<(usize, usize, u64)> {
    let (mut files, mut pages, mut bytes) = (0, 0, 0);
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            files += 1;
            bytes += entry.metadata()?.len();
            if entry.path().extension().is_some_and(|e| e == "html") {
                pages += 1;
            }
        }
    }
    Ok((files, pages, bytes))
}
