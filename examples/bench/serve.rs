//! `serve`: one incident edited while it runs, timed from the write to the new page.

use super::*;

#[derive(Debug, Clone)]
pub(crate) struct ServeResult {
    /// First build when serve starts (serve's own log line).
    pub(crate) initial_ms: Option<u64>,
    /// serve's own "rebuilt in N ms": rendering only.
    pub(crate) logged_ms: Option<u64>,
    /// serve's "N ms from file event to new pages" (includes its debounce).
    pub(crate) event_ms: Option<u64>,
    /// From our write() to the new bytes being served over HTTP, measured here.
    pub(crate) external_ms: u64,
    /// Peak RSS of the serve process after the edits.
    pub(crate) peak_rss_kb: Option<u64>,
}

/// One line of the child's output, with the time it arrived.
pub(crate) type Line = (Instant, String);

/// A serve process that is killed when this goes out of scope (also on errors).
pub(crate) struct ServeChild(std::process::Child);

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
pub(crate) fn bench_serve(
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
pub(crate) fn with_other_state(src: &str) -> Option<String> {
    let start = src.find("set: { ")? + "set: { ".len();
    let state = start + src[start..].find(": ")? + 2;
    let end = state + src[state..].find(|c: char| !(c.is_ascii_lowercase() || c == '_'))?;
    let other = if &src[state..end] == "major_outage" { "partial_outage" } else { "major_outage" };
    Some(format!("{}{other}{}", &src[..state], &src[end..]))
}

/// The number in `… {before}123{after} …`, e.g. `rebuilt in 123 ms`.
pub(crate) fn number_before(line: &str, before: &str, after: &str) -> Option<u64> {
    line.match_indices(before).find_map(|(i, _)| {
        let rest = &line[i + before.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && rest[digits.len()..].starts_with(after)).then(|| digits.parse().ok()).flatten()
    })
}

/// A minimal HTTP/1.1 GET (serve closes every connection after one response).
pub(crate) fn http_get(port: u16, path: &str) -> Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
