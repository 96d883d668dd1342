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

mod corpus;

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
    remove_outputs(&work, &args.sizes)
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
// Running a process and measuring it

#[derive(Debug, Clone, Copy)]
struct Limits {
    timeout: Duration,
    max_rss_kb: u64,
}

struct Measured {
    wall: Duration,
    /// User + system CPU time of the child (and anything it waited for).
    cpu: Option<Duration>,
    /// Peak resident set (VmHWM) in KiB, as last seen while the process ran.
    peak_rss_kb: u64,
    status: ExitStatus,
    stdout: String,
    stderr: String,
    /// Killed by the watchdog (timeout or memory limit), with the reason.
    killed: Option<String>,
}

impl Measured {
    fn ok(&self) -> bool {
        self.status.success() && self.killed.is_none()
    }

    fn describe_failure(&self, what: &str) -> String {
        match &self.killed {
            Some(why) => format!("{what}: killed ({why})"),
            None => format!("{what}: {}\n{}{}", self.status, self.stdout, self.stderr),
        }
    }
}

/// User + system CPU time of this process's reaped children, from `/proc/self/stat`
/// (cutime + cstime). The kernel adds a child's times when it is waited for, so the
/// difference around one `wait()` is exactly that child's CPU time, threads included.
/// Clock ticks are USER_HZ, which is 100 on Linux for every architecture's user ABI.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces and parentheses; fields start after the last `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // Field 3 (state) is index 0 here, so cutime (16) and cstime (17) are 13 and 14.
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// VmHWM ("high water mark" of the resident set, KiB) of a running process.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `cmd` to completion, measuring wall time and peak RSS.
///
/// Peak RSS: std gives no rusage of a child and there is no libc crate here, so a thread
/// polls `/proc/<pid>/status` every 5 ms for VmHWM while the child runs. VmHWM is the
/// kernel's own high-water mark and only grows, so the last value read before exit is
/// exact unless the peak is reached in the last few milliseconds of the process; for
/// builds longer than ~50 ms that is accurate (cross-checked against `/usr/bin/time -f %M`
/// in docs/performance.md). The same thread is the watchdog for time and memory limits.
fn run_measured(cmd: &mut Command, limits: &Limits) -> Result<Measured> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let cpu_before = children_cpu();
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let killed: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
    let poller = {
        let (done, peak, killed, limits) =
            (Arc::clone(&done), Arc::clone(&peak), Arc::clone(&killed), *limits);
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                if let Some(kb) = vm_hwm_kb(pid) {
                    peak.fetch_max(kb, Ordering::SeqCst);
                }
                let why = if start.elapsed() > limits.timeout {
                    Some(format!("ran longer than {} s", limits.timeout.as_secs()))
                } else if peak.load(Ordering::SeqCst) > limits.max_rss_kb {
                    Some(format!("resident memory above {} MB", limits.max_rss_kb / 1024))
                } else {
                    None
                };
                if let Some(why) = why {
                    // The child is owned (and reaped) by the waiting thread; `kill` by pid
                    // is safe here because it has not been reaped while `done` is false.
                    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                    if let Ok(mut k) = killed.lock() {
                        *k = Some(why);
                    }
                    break;
                }
                thread::sleep(Duration::from_millis(5));
            }
        })
    };
    // Drain both pipes on threads so a chatty child never blocks on a full pipe.
    let mut out_pipe = child.stdout.take().ok_or("no stdout pipe")?;
    let mut err_pipe = child.stderr.take().ok_or("no stderr pipe")?;
    let out_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let status = child.wait()?;
    let wall = start.elapsed();
    let cpu = cpu_before.zip(children_cpu()).map(|(a, b)| b.saturating_sub(a));
    done.store(true, Ordering::SeqCst);
    let _ = poller.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let killed = killed.lock().map(|k| k.clone()).unwrap_or(None);
    Ok(Measured { wall, cpu, peak_rss_kb: peak.load(Ordering::SeqCst), status, stdout, stderr, killed })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    if v.is_empty() {
        Duration::ZERO
    } else {
        v[v.len() / 2]
    }
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

// ---------------------------------------------------------------------------------------
// serve

#[derive(Debug, Clone)]
struct ServeResult {
    /// First build when serve starts (serve's own log line).
    initial_ms: Option<u64>,
    /// serve's own "rebuilt in N ms": rendering only.
    logged_ms: Option<u64>,
    /// serve's "N ms from file event to new pages" (includes its debounce).
    event_ms: Option<u64>,
    /// From our write() to the new bytes being served over HTTP, measured here.
    external_ms: u64,
    /// Peak RSS of the serve process after the edits.
    peak_rss_kb: Option<u64>,
}

/// One line of the child's output, with the time it arrived.
type Line = (Instant, String);

/// A serve process that is killed when this goes out of scope (also on errors).
struct ServeChild(std::process::Child);

impl Drop for ServeChild {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `aushang serve --port 0`, wait for its URL, then edit one incident file
/// `edits` times (its title; every other time also a state it sets): each time measure
/// until serve logs the rebuild and until an HTTP GET of the incident's page returns the
/// new text. `Ok(None)`: this binary has no `serve`.
fn bench_serve(
    bin: &Path,
    root: &Path,
    edits: usize,
    clock: bool,
    limits: &Limits,
) -> Result<Option<ServeResult>> {
    let help =
        Command::new(bin).args(["serve", "--help"]).stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    if !help.success() {
        return Ok(None);
    }
    let mut child = ServeChild(
        Command::new(bin)
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(if clock { vec![] } else { vec!["--now", corpus::NOW] })
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?,
    );
    let pid = child.0.id();
    let (tx, rx) = mpsc::channel::<Line>();
    for pipe in [
        child.0.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
        child.0.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(std::result::Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);

    // Wait for "serving http://127.0.0.1:PORT/" (after the first full build).
    let mut initial_ms = None;
    let port = loop {
        let (_, line) = rx.recv_timeout(limits.timeout).map_err(|_| "serve printed no URL")?;
        if let Some(n) = number_before(&line, "built in ", " ms") {
            initial_ms = Some(n);
        }
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            break digits.parse::<u16>()?;
        }
    };

    // An incident from the middle of the history: its page, service pages, its year's
    // archive and the feeds depend on it.
    let mut incidents: Vec<PathBuf> = std::fs::read_dir(root.join("content/incidents"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    incidents.sort();
    let file = incidents.get(incidents.len() / 2).ok_or("no incidents")?.clone();
    let id = file.file_stem().and_then(|s| s.to_str()).ok_or("bad incident file name")?.to_string();
    let page = format!("/incidents/{id}/");
    let original = std::fs::read_to_string(&file)?;
    let page_now = http_get(port, &page)?;
    if !page_now.contains(" 200 ") && !page_now.starts_with("HTTP/1.1 200") {
        return Err(format!("GET {page} did not return 200").into());
    }

    let mut logged = Vec::new();
    let mut event = Vec::new();
    let mut external = Vec::new();
    let result = (|| -> Result<()> {
        for k in 0..edits.max(1) {
            // Let the watcher settle, and forget older lines.
            thread::sleep(Duration::from_millis(300));
            while rx.try_recv().is_ok() {}
            let marker = format!("benchedit{k}x{}", std::process::id());
            let mut edited = original.replacen("title: { de: \"", &format!("title: {{ de: \"{marker} "), 1);
            // Every other edit also changes a state the incident sets, so that half the
            // edits change what is derived (timelines, impact), not only the wording.
            let kind = if k % 2 == 1 { "title and a state" } else { "title" };
            if k % 2 == 1 {
                edited = with_other_state(&edited).ok_or("incident file sets no state")?;
            }
            if edited == original {
                return Err("incident file has an unexpected shape".into());
            }
            let t0 = Instant::now();
            std::fs::write(&file, &edited)?;
            let (mut log, mut seen) = (None, None);
            while log.is_none() || seen.is_none() {
                if t0.elapsed() > limits.timeout {
                    return Err("no rebuild within the timeout".into());
                }
                while let Ok((_, line)) = rx.try_recv() {
                    if let Some(n) = number_before(&line, "rebuilt in ", " ms") {
                        log = Some((n, number_before(&line, "; ", " ms from file event")));
                    }
                }
                if seen.is_none() && http_get(port, &page).map(|b| b.contains(&marker)).unwrap_or(false) {
                    seen = Some(t0.elapsed());
                }
                thread::sleep(Duration::from_millis(2));
            }
            let (l, e) = log.unwrap_or_default();
            let s = seen.unwrap_or_default();
            eprintln!(
                "  serve edit {} ({kind}): rebuilt in {l} ms (serve), {} ms from event (serve), {:.0} ms write→HTTP",
                k + 1,
                e.map_or("?".into(), |e| e.to_string()),
                ms(s)
            );
            logged.push(Duration::from_millis(l));
            if let Some(e) = e {
                event.push(Duration::from_millis(e));
            }
            external.push(s);
        }
        Ok(())
    })();
    // Put the file back whatever happened, so a kept corpus stays the generated one.
    std::fs::write(&file, &original)?;
    let peak_rss_kb = vm_hwm_kb(pid);
    drop(child);
    result?;
    Ok(Some(ServeResult {
        initial_ms,
        logged_ms: Some(median(logged).as_millis() as u64),
        event_ms: (!event.is_empty()).then(|| median(event).as_millis() as u64),
        external_ms: median(external).as_millis() as u64,
        peak_rss_kb,
    }))
}

/// `src` with the first state of the first `set: { service: state }` swapped between
/// `major_outage` and `partial_outage`.
fn with_other_state(src: &str) -> Option<String> {
    let start = src.find("set: { ")? + "set: { ".len();
    let state = start + src[start..].find(": ")? + 2;
    let end = state + src[state..].find(|c: char| !(c.is_ascii_lowercase() || c == '_'))?;
    let other = if &src[state..end] == "major_outage" { "partial_outage" } else { "major_outage" };
    Some(format!("{}{other}{}", &src[..state], &src[end..]))
}

/// The number in `… {before}123{after} …`, e.g. `rebuilt in 123 ms`.
fn number_before(line: &str, before: &str, after: &str) -> Option<u64> {
    line.match_indices(before).find_map(|(i, _)| {
        let rest = &line[i + before.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && rest[digits.len()..].starts_with(after)).then(|| digits.parse().ok()).flatten()
    })
}

/// A minimal HTTP/1.1 GET (serve closes every connection after one response).
fn http_get(port: u16, path: &str) -> Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

// ---------------------------------------------------------------------------------------
// Report

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn print_report(args: &Args, rows: &[Row], startup: &std::result::Result<Duration, String>) {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n| N | files | pages | output MB | build s | pages/s | peak RSS MB | cp -r s | build/cp | serve rebuild ms |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let build = r.build.map_or("failed".into(), |b| format!("{:.2}", b.as_secs_f64()));
        let pps = r.build.map_or("–".into(), |b| format!("{:.0}", r.pages as f64 / b.as_secs_f64()));
        let cp = r.cp.map_or("–".into(), |c| format!("{:.2}", c.as_secs_f64()));
        let ratio = r.build_per_cp.map_or("–".into(), |q| format!("{q:.1}"));
        let serve = r.serve.as_ref().map_or("n/a".into(), |sv| {
            format!("{} / {}", sv.logged_ms.map_or("?".into(), |l| l.to_string()), sv.external_ms)
        });
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1} | {build} | {pps} | {:.0} | {cp} | {ratio} | {serve} |",
            r.n,
            r.files,
            r.pages,
            mb(r.bytes),
            r.peak_rss_kb as f64 / 1024.0
        );
    }
    let _ = writeln!(
        s,
        "\nbuild s: median of {} cold builds into a new folder, each followed by `cp -r` of its \
         output; build/cp: median of those pairs' ratios; serve rebuild ms: serve's own \
         \"rebuilt in\" / from writing the file to the new page over HTTP (median of {} edits of \
         one incident: its title, and every other time a state it sets; serve {}).",
        args.runs,
        args.serve_edits,
        if args.serve_clock { "on the clock" } else { "at the corpus's fixed \"now\"" }
    );
    let _ = writeln!(
        s,
        "\n| N | corpus files | corpus MB | check s | build CPU s | build min–max s | warm build s | serve: first build ms | serve: event→pages ms | serve RSS MB |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
    for r in rows {
        let opt_s = |d: Option<Duration>| d.map_or("–".into(), |d| format!("{:.2}", d.as_secs_f64()));
        let sv = r.serve.as_ref();
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {} | {} | {:.2}–{:.2} ({} runs) | {} | {} | {} | {} |",
            r.n,
            r.corpus_files,
            mb(r.corpus_bytes),
            opt_s(r.check),
            opt_s(r.build_cpu),
            r.build_min_max.0.as_secs_f64(),
            r.build_min_max.1.as_secs_f64(),
            r.runs,
            opt_s(r.warm),
            sv.and_then(|v| v.initial_ms).map_or("–".into(), |v| v.to_string()),
            sv.and_then(|v| v.event_ms).map_or("–".into(), |v| v.to_string()),
            sv.and_then(|v| v.peak_rss_kb).map_or("–".into(), |v| format!("{:.0}", v as f64 / 1024.0)),
        );
    }
    match startup {
        Ok(t) => {
            let _ = writeln!(s, "\n`aushang check` on the example site: {:.1} ms (median of 10)", ms(*t));
        }
        Err(e) => {
            let _ = writeln!(
                s,
                "\n`aushang check` on the example site failed: {}",
                e.lines().next().unwrap_or("")
            );
        }
    }
    let time_of = |n: usize| rows.iter().find(|r| r.n == n).and_then(|r| r.build);
    if let (Some(a), Some(b)) = (time_of(1000), time_of(10000)) {
        let _ = writeln!(s, "time(10000) / time(1000) = {:.1}", b.as_secs_f64() / a.as_secs_f64());
    }
    for r in rows {
        for note in &r.notes {
            let _ = writeln!(s, "note: {note}");
        }
    }
    print!("{s}");
}
