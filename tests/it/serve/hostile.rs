//! Broken and hostile clients: hundreds of parallel requests while the site rebuilds,
//! clients that trickle their request head, header floods, and event streams that are
//! opened and dropped by the hundred. Every count and wait is bounded, on loopback only.

use super::*;
use std::io::ErrorKind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;

/// Parallel connections per client thread, and client threads: 400 at once.
const PER_THREAD: usize = 50;
const THREADS: usize = 8;
/// The server's own limit on connections served at once (`src/serve/http.rs`).
const SERVER_CONNECTIONS: usize = 256;
const BUSY: &[u8] = b"too many connections\n";

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    stream.set_write_timeout(Some(Duration::from_secs(20))).expect("timeout");
    stream
}

/// A reply parsed from everything read until the server closed, with the check that its
/// body is exactly as long as its `Content-Length` says (a cut-off reply is shorter).
fn complete_reply(stream: &mut TcpStream, path: &str) -> Reply {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{path}: reading the reply: {e}"));
    let reply = parse_reply(&bytes);
    let length: usize = reply
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("{path}: no length"));
    assert_eq!(reply.body.len(), length, "{path}: incomplete reply");
    reply
}

/// The incident title the rebuild loop rewrites, in its `n`th wording.
fn reworded(original: &str, n: usize) -> String {
    let text = original.replacen("alten Exchange-Daten", &format!("alten Exchange-Daten (Fassung {n})"), 1);
    assert_ne!(text, original);
    text
}

#[test]
fn serve_answers_hundreds_of_parallel_requests_while_rebuilding() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let css = server.get("/style.css").body;
    let page_404 = strip_reload_script(&server.get("/nope/").text());
    assert!(page_404.contains("<title>"), "{page_404}");
    let incident = server.file("content/incidents/exchange-data-restore.yaml");
    let webmail = server.file("content/services/webmail.yaml");
    let incident_text = std::fs::read_to_string(&incident).expect("read incident");
    let webmail_text = std::fs::read_to_string(&webmail).expect("read service");

    // Saves in a loop (an incident: partial rebuilds; now and then a service: full ones)
    // for as long as the requests run, and at most 300 times.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, incident, webmail) = (Arc::clone(&stop), incident.clone(), webmail.clone());
        let (incident_text, webmail_text) = (incident_text.clone(), webmail_text.clone());
        thread::spawn(move || {
            for n in 0..300 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                replace_on_save(&incident, &reworded(&incident_text, n));
                if n % 10 == 5 {
                    let renamed = format!("name: {{ de: Webmail {n},");
                    replace_on_save(&webmail, &webmail_text.replacen("name: { de: Webmail,", &renamed, 1));
                }
                thread::sleep(Duration::from_millis(30));
            }
        })
    };

    let paths =
        ["/", "/style.css", "/nope/", "/api/v2/summary.json", "/incidents/exchange-data-restore/", "/en/"];
    let mut served = 0;
    let mut busy = 0;
    for round in 0..2 {
        // All connections are open before any request is sent, so that the server holds
        // them all at once.
        let all_open = Arc::new(Barrier::new(THREADS));
        let clients: Vec<_> = (0..THREADS)
            .map(|t| {
                let (port, all_open) = (server.port, Arc::clone(&all_open));
                thread::spawn(move || {
                    let mut streams: Vec<(TcpStream, &str)> = (0..PER_THREAD)
                        .map(|i| (connect(port), paths[(t * PER_THREAD + i) % paths.len()]))
                        .collect();
                    all_open.wait();
                    for (stream, path) in &mut streams {
                        let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                        stream.write_all(head.as_bytes()).expect("send");
                    }
                    streams.iter_mut().map(|(s, path)| (*path, complete_reply(s, path))).collect::<Vec<_>>()
                })
            })
            .collect();
        for client in clients {
            for (path, reply) in client.join().expect("client thread") {
                if reply.status == 503 {
                    assert_eq!(reply.body, BUSY, "{path} in round {round}");
                    busy += 1;
                    continue;
                }
                served += 1;
                match path {
                    "/style.css" => assert!(reply.status == 200 && reply.body == css, "{path}"),
                    "/nope/" => {
                        assert_eq!(reply.status, 404, "{path}");
                        assert_eq!(strip_reload_script(&reply.text()), page_404, "{path}");
                    }
                    "/api/v2/summary.json" => {
                        assert_eq!(reply.status, 200, "{path}");
                        serde_json::from_slice::<serde_json::Value>(&reply.body).expect("complete JSON");
                    }
                    _ => {
                        assert_eq!(reply.status, 200, "{path}");
                        let html = strip_reload_script(&reply.text());
                        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"), "{path}");
                        assert!(!html.contains(ERROR_TITLE), "{path}: {html}");
                        if path.starts_with("/incidents/") {
                            assert!(html.contains("alten Exchange-Daten"), "{path}: {html}");
                        }
                    }
                }
            }
        }
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("writer thread");
    assert_eq!(served + busy, 2 * THREADS * PER_THREAD);
    assert!(served >= 2 * SERVER_CONNECTIONS, "only {served} served, {busy} busy");
    assert!(server.rebuilds() >= 2, "the requests did not overlap rebuilds:\n{}", server.log());

    // Still answering, and the last save is served.
    replace_on_save(&incident, &reworded(&incident_text, 999));
    server.wait_for("the last save", || {
        server.get("/incidents/exchange-data-restore/").text().contains("Exchange-Daten (Fassung 999)")
    });
    assert_eq!(server.get("/").status, 200);
}

/// Whether the server has closed `stream` (a read sees the end, or the socket errors).
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 256];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted),
    }
}

#[test]
fn serve_cuts_off_clients_that_trickle_their_request_and_answers_others_meanwhile() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let start_time = Instant::now();
    // Twenty clients send a head that never ends, one byte every 100 ms.
    let mut slow: Vec<Option<TcpStream>> = (0..20)
        .map(|_| {
            let mut s = connect(server.port);
            s.set_read_timeout(Some(Duration::from_millis(5))).expect("timeout");
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").expect("send");
            Some(s)
        })
        .collect();
    let mut others = 0;
    while slow.iter().any(Option::is_some) {
        assert!(
            start_time.elapsed() < Duration::from_secs(15),
            "{} trickling clients still connected after 15 s",
            slow.iter().flatten().count()
        );
        for entry in &mut slow {
            if let Some(stream) = entry {
                if stream.write_all(b"a").is_err() || closed_by_server(stream) {
                    *entry = None;
                }
            }
        }
        // Everyone else is answered at once meanwhile.
        let asked = Instant::now();
        assert_eq!(server.get("/style.css").status, 200);
        assert!(asked.elapsed() < Duration::from_secs(2), "a request waited {:?}", asked.elapsed());
        others += 1;
        thread::sleep(Duration::from_millis(100));
    }
    // Cut off by the head timeout (5 s), not at once.
    assert!(start_time.elapsed() >= Duration::from_secs(4), "cut off after {:?}", start_time.elapsed());
    assert!(others >= 10, "only {others} requests while the clients trickled");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn serve_refuses_header_floods() {
    let (site, root) = site_copy();
    let server = start(site, root);

    // Many short headers, well under the size limit: refused by count.
    let many = format!("GET / HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-Flood: 1\r\n".repeat(1000));
    assert_eq!(server.request(&many).status, 431);
    assert_eq!(server.get("/").status, 200);

    // A head that never ends: the server stops reading long before the client stops sending.
    let mut stream = connect(server.port);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").expect("send");
    let line = format!("X-Flood: {}\r\n", "a".repeat(1000));
    let started = Instant::now();
    let mut sent = 0;
    while sent < 64 * 1024 * 1024 {
        if stream.write_all(line.as_bytes()).is_err() {
            break;
        }
        sent += line.len();
    }
    assert!(sent < 64 * 1024 * 1024, "the server read 64 MB of headers");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn serve_frees_the_connections_of_closed_event_streams() {
    let (site, root) = site_copy();
    let server = start(site, root);
    // More tabs than the server holds connections for: the rest are told it is busy.
    let mut tabs = Vec::new();
    let mut refused = 0;
    for _ in 0..SERVER_CONNECTIONS + 20 {
        let mut stream = connect(server.port);
        stream.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
        let first = first_answer(&mut stream);
        if first.starts_with("HTTP/1.1 503") {
            refused += 1;
        } else {
            assert!(first.contains("event: reload\ndata: "), "{first}");
            tabs.push(stream);
        }
    }
    assert_eq!((tabs.len(), refused), (SERVER_CONNECTIONS, 20));
    assert_eq!(server.get("/").status, 503);

    // The tabs close: their connections are free again at once, not at the next heartbeat.
    let closed = Instant::now();
    drop(tabs);
    server.wait_for("free connections", || server.get("/").status == 200);
    assert!(closed.elapsed() < Duration::from_secs(5), "freed after {:?}", closed.elapsed());
}

/// What the server sends first: a whole short reply, or an event stream's head and first
/// event (bounded).
fn first_answer(stream: &mut TcpStream) -> String {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while started.elapsed() < Duration::from_secs(10) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("reading the first answer: {e}"),
        }
        let text = String::from_utf8_lossy(&got);
        if text.split_once("\r\n\r\n").is_some_and(|(_, body)| body.contains("\n\n")) {
            break;
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}
