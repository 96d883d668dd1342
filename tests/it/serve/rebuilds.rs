//! Rebuilds after edits: live reload of open pages, the error page while the content has
//! errors and the site coming back, and partial rebuilds serving what a full build writes.

use super::*;

#[test]
fn serve_rebuilds_after_a_change_and_reloads_open_pages() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let webmail = server.file("content/services/webmail.yaml");
    assert!(!server.get("/").text().contains("Eingeschränkt"), "example already degraded");

    let mut events = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    events.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
    let before = read_until(&mut events, "\n\n", Duration::from_secs(10));
    let first_generation = generations(&before).pop().expect("initial generation");

    // Change a state, saved the replace-on-save way.
    let original = std::fs::read_to_string(&webmail).expect("read");
    let changed = format!(
        "{original}  - at: 2026-11-27T11:00:00+01:00\n    status: degraded\n    text:\n      de: Langsam (Test).\n      en: Slow (test).\n"
    );
    replace_on_save(&webmail, &changed);
    server.wait_for("the degraded state on the front page", || {
        server.get("/").text().contains("Eingeschränkt")
    });
    assert!(server.get("/en/").text().contains("Degraded performance"));
    assert!(server.get("/services/webmail/").text().contains("Langsam (Test)."));

    // Open pages are told, with the next generation.
    let next = first_generation.parse::<u64>().expect("number") + 1;
    let after = read_until(&mut events, &format!("event: reload\ndata: {next}\n\n"), WAIT);
    assert_eq!(generations(&after), [next.to_string()], "one reload per rebuild");

    // An in-place write is seen too.
    std::fs::write(&webmail, changed.replace("name: { de: Webmail,", "name: { de: Webmail-Portal,"))
        .expect("write");
    server.wait_for("the renamed service", || server.get("/").text().contains("Webmail-Portal"));

    // Editors' scratch files start no rebuild. (The log line follows the swap, so wait
    // for it, and for the watcher to settle, before counting.)
    server.wait_for("the second rebuild's log line", || server.rebuilds() >= 2);
    thread::sleep(Duration::from_millis(300));
    let log = server.log();
    assert!(log.contains("rebuilt in "), "{log}");
    // A service file is not an incident file: everything is rendered again.
    assert!(log.contains("(everything; changed: content/services/webmail.yaml)"), "{log}");
    assert!(log.contains("ms from file event to new pages"), "{log}");
    assert!(!log.contains(".webmail.yaml.tmp"), "temp file reported as a change: {log}");

    let rebuilds = server.rebuilds();
    let services = server.file("content/services");
    for scratch in ["4913", ".webmail.yaml.swp", "webmail.yaml~", ".#webmail.yaml"] {
        std::fs::write(services.join(scratch), "x").expect("write scratch");
    }
    for scratch in ["4913", ".webmail.yaml.swp", "webmail.yaml~", ".#webmail.yaml"] {
        std::fs::remove_file(services.join(scratch)).expect("remove scratch");
    }
    thread::sleep(Duration::from_millis(800));
    assert_eq!(server.rebuilds(), rebuilds, "scratch files caused a rebuild:\n{}", server.log());
}

#[test]
fn serve_shows_content_errors_and_recovers() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let webmail = server.file("content/services/webmail.yaml");
    let original = std::fs::read_to_string(&webmail).expect("read");

    let line = append_webmail_update(&webmail, "kaputt<b>", "Test.", "Test.");
    server.wait_for("the error page", || server.get("/").text().contains(ERROR_TITLE));
    let page = server.get("/");
    assert_eq!(page.status, 200, "pages stay 200 so live reload keeps working");
    let html = page.text();
    assert!(html.contains(&format!("content/services/webmail.yaml:{line}:")), "{html}");
    assert!(html.contains("unknown state"), "{html}");
    assert!(html.contains("kaputt&lt;b&gt;"), "message not escaped: {html}");
    assert!(!html.contains("kaputt<b>"), "message not escaped");
    assert!(html.contains(RELOAD), "error page needs the reload script");
    // Every page shows the errors, not the old site.
    for path in ["/en/", "/services/webmail/", "/incidents/", "/nope/"] {
        assert!(server.get(path).text().contains(ERROR_TITLE), "{path}");
    }
    assert_eq!(server.get("/style.css").status, 503);
    server.wait_for("the errors in the terminal too", || {
        server
            .log()
            .lines()
            .any(|l| l.starts_with("[stderr] content/services/webmail.yaml:") && l.contains("unknown state"))
    });

    // Fixed: the site comes back by itself.
    replace_on_save(&webmail, &original);
    server.wait_for("the site to come back", || {
        let r = server.get("/");
        r.status == 200 && !r.text().contains(ERROR_TITLE) && r.text().contains("<title>IT-Status")
    });
    assert_eq!(server.get("/style.css").status, 200);
}

#[test]
fn serve_starts_with_broken_content_and_recovers() {
    let (site, root) = site_copy();
    let webmail = root.join("content/services/webmail.yaml");
    let original = std::fs::read_to_string(&webmail).expect("read");
    std::fs::write(&webmail, format!("{original}  - this is: [not valid yaml\n")).expect("break");
    let server = start(site, root);

    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains(ERROR_TITLE), "{}", r.text());
    assert!(r.text().contains("content/services/webmail.yaml:"));

    std::fs::write(&webmail, original).expect("fix");
    server.wait_for("the site after the fix", || server.get("/").text().contains("<title>IT-Status"));
}

/// Every file a fresh `build` writes (same content, "now" and base URL) is served with the
/// same bytes: what a partial rebuild left in memory is what a full build gives.
fn assert_serves_what_build_writes(server: &Server, step: &str) {
    let out = tempfile::tempdir().expect("temp dir");
    build(&server.root, out.path(), &format!("http://127.0.0.1:{}/", server.port));
    let files = walk(out.path());
    assert!(files.len() > 50, "{step}: only {} files built", files.len());
    for file in files {
        let rel = file.strip_prefix(out.path()).expect("inside out").to_string_lossy().replace('\\', "/");
        let built = std::fs::read(&file).expect("read built file");
        let reply = server.get(&format!("/{rel}"));
        assert_eq!(reply.status, 200, "{step}: /{rel} not served\n{}", server.log());
        if rel.ends_with(".html") && !rel.ends_with("404.html") {
            let served = strip_reload_script(&reply.text());
            assert_eq!(served, String::from_utf8_lossy(&built), "{step}: /{rel} differs from the build");
        } else if !rel.ends_with(".html") {
            assert!(reply.body == built, "{step}: /{rel} differs from the build");
        }
    }
}

/// Wait for rebuild number `n` and require it to have been a partial one.
fn wait_for_partial_rebuild(server: &Server, n: usize) {
    server.wait_for(&format!("rebuild {n}"), || server.rebuilds() >= n);
    let log = server.log();
    let line = log.lines().filter(|l| l.starts_with("rebuilt in")).nth(n - 1).unwrap_or_default();
    assert!(line.contains("only what depends on it"), "rebuild {n} was not partial: {line}\n{log}");
}

#[test]
fn partial_rebuilds_after_incident_edits_serve_what_a_full_build_writes() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let incidents = server.file("content/incidents");
    let main = incidents.join("cyberattack-2022-11.yaml");

    // A new update that sets a state: service pages, front page, feeds, API change.
    let original = std::fs::read_to_string(&main).expect("read");
    let edited = format!(
        "{original}  - at: 2026-11-27T10:00:00+01:00\n    phase: monitoring\n    set:\n      webmail: degraded\n    text:\n      de: Webmail ist langsam (Test).\n      en: Webmail is slow (test).\n"
    );
    replace_on_save(&main, &edited);
    wait_for_partial_rebuild(&server, 1);
    assert!(server.get("/services/webmail/").text().contains("Webmail ist langsam (Test)."));
    assert_serves_what_build_writes(&server, "after an edit");

    // Only the wording: serve keeps its derived view, and the pages still match a build.
    let restore = incidents.join("exchange-data-restore.yaml");
    let text = std::fs::read_to_string(&restore).expect("read");
    let reworded = text.replacen("alten Exchange-Daten", "alten Exchange-Daten (neu formuliert)", 1);
    assert_ne!(reworded, text);
    replace_on_save(&restore, &reworded);
    wait_for_partial_rebuild(&server, 2);
    assert!(server
        .get("/incidents/exchange-data-restore/")
        .text()
        .contains("Exchange-Daten (neu formuliert)"));
    assert_serves_what_build_writes(&server, "after rewording");

    // A new incident in a year the archive did not have, with code in its text.
    let new = "title: { de: Alter Ausfall, en: Old outage }\nkind: incident\nservices: [exchange]\nupdates:\n  - at: 2019-05-02T10:00:00+02:00\n    phase: investigating\n    set: { exchange: major_outage }\n    text: |\n      ```sh\n      echo test\n      ```\n  - at: 2019-05-02T12:00:00+02:00\n    phase: resolved\n    set: { exchange: operational }\n";
    std::fs::write(incidents.join("old-outage-2019.yaml"), new).expect("write new incident");
    wait_for_partial_rebuild(&server, 3);
    assert_eq!(server.get("/incidents/2019/").status, 200);
    assert_serves_what_build_writes(&server, "after adding an incident");

    // A broken incident shows errors; saving another incident keeps them; fixing it
    // brings back the site, still partially.
    std::fs::write(incidents.join("old-outage-2019.yaml"), new.replace("phase: resolved", "phase: kaputt"))
        .expect("break");
    server.wait_for("the error page", || server.get("/").text().contains(ERROR_TITLE));
    let other = incidents.join("exchange-data-restore.yaml");
    let text = std::fs::read_to_string(&other).expect("read");
    std::fs::write(&other, format!("{text}\n# a comment\n")).expect("touch other");
    server.wait_for("rebuild 5", || server.rebuilds() >= 5);
    assert!(server.get("/").text().contains(ERROR_TITLE), "an error still on disk was hidden");
    std::fs::remove_file(incidents.join("old-outage-2019.yaml")).expect("remove");
    wait_for_partial_rebuild(&server, 6);
    assert_eq!(server.get("/incidents/old-outage-2019/").status, 404);
    assert_eq!(server.get("/incidents/2019/").status, 404);
    assert_serves_what_build_writes(&server, "after removing an incident");
}

/// The generation a served page came from, as its reload script knows it.
fn page_generation(html: &str) -> u64 {
    let rest = &html[html.find("var seen=\"").expect("reload script") + "var seen=\"".len()..];
    rest[..rest.find('"').expect("end of generation")].parse().expect("a number")
}

#[test]
fn a_restarted_server_makes_open_pages_reload() {
    let (site, root) = site_copy();
    let first = start(site, root);
    let page = page_generation(&first.get("/").text());
    drop(first);

    // The page stays open; the new server's event stream must name another generation, or
    // the page would go on showing what the old server rendered.
    let (site, root) = site_copy();
    let second = start(site, root);
    let mut events = TcpStream::connect(("127.0.0.1", second.port)).expect("connect");
    events.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
    let streamed = generations(&read_until(&mut events, "\n\n", Duration::from_secs(10)));
    let now: u64 = streamed.first().expect("a generation").parse().expect("a number");
    assert!(now > page, "restarted at generation {now}, the open page has {page}");
    assert_eq!(page_generation(&second.get("/").text()), now);
}
