//! The report: the tables of figures, and the performance targets each held or missed.

use super::*;

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(crate) fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

pub(crate) fn print_report(args: &Args, rows: &[Row], startup: &std::result::Result<Duration, String>) {
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

/// One performance target: what is measured, its limit, and the measured value.
struct Target {
    what: &'static str,
    limit: f64,
    value: Option<f64>,
    unit: &'static str,
}

/// The performance targets (docs/performance.md), checked on the sizes that were measured:
/// the figures at N = 10,000 and the ratio of N = 10,000 to N = 1,000 where those ran,
/// `aushang check` on the example site always. Prints each with its value and returns
/// whether every one that was measured held (a skipped or failed step is in the notes).
pub(crate) fn check_targets(rows: &[Row], startup: &std::result::Result<Duration, String>) -> bool {
    let at = |n: usize| rows.iter().find(|r| r.n == n);
    let mut targets = vec![Target {
        what: "`aushang check` on the example site",
        limit: 50.0,
        value: startup.as_ref().ok().map(|t| ms(*t)),
        unit: "ms",
    }];
    if let Some(r) = at(10_000) {
        targets.push(Target {
            what: "N = 10,000: build / `cp -r` of its output",
            limit: 2.0,
            value: r.build_per_cp,
            unit: "×",
        });
        targets.push(Target {
            what: "N = 10,000: peak RSS of the build",
            limit: 300.0,
            value: Some(r.peak_rss_kb as f64 / 1024.0),
            unit: "MB",
        });
        targets.push(Target {
            what: "N = 10,000: `serve`, file event → new pages (median)",
            limit: 50.0,
            value: r.serve.as_ref().and_then(|s| s.event_ms).map(|v| v as f64),
            unit: "ms",
        });
        if let (Some(a), Some(b)) = (at(1_000).and_then(|r| r.build), r.build) {
            targets.push(Target {
                what: "time(N = 10,000) / time(N = 1,000)",
                limit: 11.0,
                value: Some(b.as_secs_f64() / a.as_secs_f64()),
                unit: "",
            });
        }
    }
    let mut held = true;
    println!("\n| target | limit | measured | |\n|---|---:|---:|---|");
    for t in &targets {
        let (value, verdict) = match t.value {
            Some(v) if v <= t.limit => (format!("{v:.1} {}", t.unit), "held"),
            Some(v) => {
                held = false;
                (format!("{v:.1} {}", t.unit), "MISSED")
            }
            None => ("not measured".to_string(), "–"),
        };
        println!("| {} | {} {} | {value} | {verdict} |", t.what, t.limit, t.unit);
    }
    held
}
