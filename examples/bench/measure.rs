//! Running a process and measuring it: wall and CPU time, peak memory, with a watchdog.

use super::*;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Duration,
    pub(crate) max_rss_kb: u64,
}

pub(crate) struct Measured {
    pub(crate) wall: Duration,
    /// User + system CPU time of the child (and anything it waited for).
    pub(crate) cpu: Option<Duration>,
    /// Peak resident set (VmHWM) in KiB, as last seen while the process ran.
    pub(crate) peak_rss_kb: u64,
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// Killed by the watchdog (timeout or memory limit), with the reason.
    pub(crate) killed: Option<String>,
}

impl Measured {
    pub(crate) fn ok(&self) -> bool {
        self.status.success() && self.killed.is_none()
    }

    pub(crate) fn describe_failure(&self, what: &str) -> String {
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
pub(crate) fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces and parentheses; fields start after the last `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // Field 3 (state) is index 0 here, so cutime (16) and cstime (17) are 13 and 14.
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// VmHWM ("high water mark" of the resident set, KiB) of a running process.
pub(crate) fn vm_hwm_kb(pid: u32) -> Option<u64> {
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
pub(crate) fn run_measured(cmd: &mut Command, limits: &Limits) -> Result<Measured> {
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

pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    if v.is_empty() {
        Duration::ZERO
    } else {
        v[v.len() / 2]
    }
}
