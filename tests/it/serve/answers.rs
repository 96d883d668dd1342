//! What the preview answers: the built bytes plus the reload script, content types, HEAD,
//! redirects, 404s, refused paths, bad requests, and the event stream.

use super::*;

#[test]
fn serve_answers_requests_and_refuses_paths_outside_the_site() {
    let (site, root) = site_copy();
    let server = start(site, root);

    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("cache-control"), Some("no-store"));
    let html = index.text();
    assert!(html.contains(RELOAD), "reload script missing");
    assert!(html.contains("<title>IT-Status"), "site title missing");
    assert!(html.find(RELOAD) < html.rfind("</body>"), "script must sit before </body>");

    // Byte for byte what `build` writes (with the preview's base URL), plus the script.
    let built = tempfile::tempdir().expect("temp dir");
    build(&server.root, built.path(), &format!("http://127.0.0.1:{}/", server.port));
    for page in ["index.html", "en/index.html", "services/webmail/index.html"] {
        let expected = std::fs::read_to_string(built.path().join(page)).expect("built page");
        let served = server.get(&format!("/{}", page.trim_end_matches("index.html"))).text();
        assert_eq!(strip_reload_script(&served), expected, "{page}");
    }

    let head = server.request("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), Some(index.body.len().to_string().as_str()));

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/api/v2/summary.json", "application/json"),
        ("/maintenance.ics", "text/calendar; charset=utf-8"),
        ("/badge.svg", "image/svg+xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert!(!r.text().contains(RELOAD), "{path} must not get the script");
    }
    let css = server.get("/style.css");
    assert_eq!(css.body, std::fs::read(built.path().join("style.css")).expect("built css"));

    // A folder without its slash redirects, keeping the query.
    let r = server.get("/incidents?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/incidents/?x=1"));

    for evil in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/services/../../../etc/passwd",
        "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/index.html%00.css",
        "//etc/passwd",
    ] {
        let r = server.get(evil);
        assert!(r.status == 403 || r.status == 404, "{evil}: {}", r.status);
        assert!(!r.text().contains("root:"), "{evil} leaked a file");
    }

    let missing = server.get("/nope/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("text/html; charset=utf-8"));
    let page_404 = std::fs::read_to_string(built.path().join("404.html")).expect("built 404");
    assert_eq!(strip_reload_script(&missing.text()), page_404);

    let post = server.request("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("get, head"));
    assert_eq!(server.request("DELETE /index.html HTTP/1.1\r\n\r\n").status, 405);

    // Garbage and oversized requests get an error, never a crash.
    assert_eq!(request(server.port, b"\x00\x01\x02 garbage\r\n\r\n").status, 400);
    assert_eq!(server.request("GET / HTTP/9.9\r\n\r\n").status, 400);
    assert_eq!(server.request("GET /%zz HTTP/1.1\r\n\r\n").status, 400);
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20 * 1024));
    assert_eq!(server.request(&huge).status, 431);
    // A client that connects and says nothing does not block others.
    let _idle = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    assert_eq!(server.get("/").status, 200);

    // The event stream answers at once with the current generation.
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    events.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    events.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
    let first = read_until(&mut events, "\n\n", Duration::from_secs(10));
    assert!(
        first.contains("content-type: text/event-stream")
            || first.contains("Content-Type: text/event-stream")
    );
    assert!(first.contains("event: reload\ndata: "), "{first}");
}

#[test]
fn build_output_has_no_live_reload_script() {
    let (_site, root) = site_copy();
    let out = tempfile::tempdir().expect("temp dir");
    build(&root, out.path(), "https://status.example.org/");
    let mut checked = 0;
    for entry in walk(out.path()) {
        let bytes = std::fs::read(&entry).expect("read output");
        assert!(!String::from_utf8_lossy(&bytes).contains("__aushang"), "{}", entry.display());
        checked += 1;
    }
    assert!(checked > 10);
}
