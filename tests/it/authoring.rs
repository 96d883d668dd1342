//! The authoring commands (`update`, `new`, `init`) run as the real binary on temporary
//! copies of the example site: what they write, what they refuse, and that the site
//! passes `check` afterwards.

use crate::common;

use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_aushang");
/// 2026-11-27T09:15:00Z, i.e. 10:15 in Berlin: "now" for every run, so output is stable.
const EPOCH: &str = "1795770900";
const NOW: &str = "2026-11-27T10:15:00+01:00";

/// A temporary site root holding a copy of the example content.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir.path().join("content"));
    dir
}

fn aushang(root: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).arg("--root").arg(root).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[track_caller]
fn assert_code(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

#[track_caller]
fn assert_check_passes(root: &Path) {
    let o = aushang(root, &["check", "--strict"]);
    assert_code(&o, 0);
}

fn parse(path: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn updates(path: &Path) -> Vec<Value> {
    match parse(path).get("updates") {
        Some(Value::Sequence(s)) => s.clone(),
        other => panic!("no updates list: {other:?}"),
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_else(|| panic!("no string `{key}` in {v:?}"))
}

fn service(root: &Path, id: &str) -> PathBuf {
    root.join("content/services").join(format!("{id}.yaml"))
}

fn incident(root: &Path, id: &str) -> PathBuf {
    root.join("content/incidents").join(format!("{id}.yaml"))
}

#[test]
fn update_service_keeps_original_bytes_as_prefix() {
    let site = example_site();
    let file = service(site.path(), "exchange");
    let before = std::fs::read(&file).unwrap();
    assert!(String::from_utf8_lossy(&before).contains("# The service's own news"), "fixture has comments");
    let count = updates(&file).len();

    let o = aushang(
        site.path(),
        &["update", "exchange", "--status", "degraded", "--de", "Langsam.", "--en", "Slow."],
    );
    assert_code(&o, 0);
    assert!(stdout(&o).contains("content/services/exchange.yaml"), "{}", stdout(&o));
    assert!(stdout(&o).contains("status: degraded"), "{}", stdout(&o));

    let after = std::fs::read(&file).unwrap();
    assert!(after.starts_with(&before), "original bytes are not a prefix");
    let list = updates(&file);
    assert_eq!(list.len(), count + 1);
    let last = &list[count];
    assert_eq!(s(last, "at"), NOW);
    assert_eq!(s(last, "status"), "degraded");
    assert_eq!(s(&last["text"], "de"), "Langsam.");
    assert_eq!(s(&last["text"], "en"), "Slow.");
    assert_check_passes(site.path());
}

#[test]
fn update_incident_with_set_keeps_prefix_and_parses() {
    let site = example_site();
    let file = incident(site.path(), "mailserver-migration-2027-03");
    let before = std::fs::read(&file).unwrap();
    assert!(String::from_utf8_lossy(&before).contains("  # Only announced so far."), "fixture has comments");

    let o = aushang(
        site.path(),
        &[
            "update",
            "mailserver-migration-2027-03",
            "--phase",
            "in_progress",
            "--set",
            "mailbox=maintenance",
            "--set",
            "webmail=maintenance",
            "--de",
            "Die Arbeiten haben begonnen.",
            "--en",
            "Work has started.",
            "--at",
            "2027-03-06 18:00",
        ],
    );
    assert_code(&o, 0);
    let after = std::fs::read(&file).unwrap();
    assert!(after.starts_with(&before), "original bytes are not a prefix");
    let list = updates(&file);
    let last = list.last().unwrap();
    assert_eq!(s(last, "at"), "2027-03-06T18:00:00+01:00");
    assert_eq!(s(last, "phase"), "in_progress");
    assert_eq!(s(&last["set"], "mailbox"), "maintenance");
    assert_eq!(s(&last["set"], "webmail"), "maintenance");
    let set_keys: Vec<&str> = last["set"].as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
    assert_eq!(set_keys, ["mailbox", "webmail"], "order of --set is kept");
    assert_eq!(s(&last["text"], "en"), "Work has started.");
    assert_check_passes(site.path());
}

#[test]
fn update_inserts_after_the_last_item_when_keys_follow() {
    let site = example_site();
    let file = service(site.path(), "quota");
    let original = "# Quota, hand-written.\n\
                    name: { de: Quota, en: Quota }   # keep this comment\n\
                    group: mail\n\
                    updates:\n\
                    - at: 2022-11-27T08:00:00+01:00\n  \
                      status: major_outage\n  \
                      text: { de: weg, en: gone }\n\
                    \n\
                    # Links come last in this file.\n\
                    links:\n  \
                      - label: { de: Anleitung, en: Guide }\n    \
                        guide: backup-mail\n";
    std::fs::write(&file, original).unwrap();

    let o = aushang(site.path(), &["update", "quota", "--status", "operational", "--text", "OK again"]);
    assert_code(&o, 0);
    let after = std::fs::read_to_string(&file).unwrap();
    let cut = original.find("\n\n# Links").unwrap() + 1;
    assert!(after.starts_with(&original[..cut]), "{after}");
    assert!(after.ends_with(&original[cut..]), "{after}");
    // Items at column 0 in this file: the new one follows that style.
    assert!(
        after[cut..]
            .starts_with("- at: 2026-11-27T10:15:00+01:00\n  status: operational\n  text: \"OK again\"\n"),
        "{after}"
    );
    assert_eq!(updates(&file).len(), 2);
    assert_check_passes(site.path());
}

#[test]
fn update_fills_an_empty_list_from_a_new_skeleton() {
    let site = example_site();
    assert_code(&aushang(site.path(), &["new", "service", "vpn"]), 0);
    let file = service(site.path(), "vpn");
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(before.contains("\nupdates: []\n"));

    let o = aushang(
        site.path(),
        &["update", "vpn", "--status", "partial_outage", "--de", "Teilweise.", "--en", "Partly."],
    );
    assert_code(&o, 0);
    let after = std::fs::read_to_string(&file).unwrap();
    let head = &before[..before.find("updates: []").unwrap()];
    assert!(
        after.starts_with(&format!("{head}updates:\n  - at: {NOW}\n    status: partial_outage\n")),
        "{after}"
    );
    assert_eq!(updates(&file).len(), 1);
    assert_check_passes(site.path());
}

#[test]
fn update_refusals_leave_the_file_untouched() {
    let site = example_site();
    let svc = service(site.path(), "exchange");
    let inc = incident(site.path(), "cyberattack-2022-11");
    let svc_before = std::fs::read(&svc).unwrap();
    let inc_before = std::fs::read(&inc).unwrap();
    let text = ["--de", "x", "--en", "y"];
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["update", "exchange", "--status", "major_outgae"], 1, "did you mean `major_outage`?"),
        (vec!["update", "exchange", "--status", "broken"], 1, "unknown state `broken`"),
        (vec!["update", "cyberattack-2022-11", "--phase", "resolvd"], 1, "did you mean `resolved`?"),
        (vec!["update", "cyberattack-2022-11", "--phase", "completed"], 1, "phase of a maintenance"),
        (
            vec!["update", "cyberattack-2022-11", "--phase", "monitoring", "--set", "webmial=degraded"],
            1,
            "did you mean `webmail`?",
        ),
        (
            vec!["update", "cyberattack-2022-11", "--phase", "monitoring", "--set", "webmail=slow"],
            1,
            "unknown state `slow` for `webmail`",
        ),
        (
            vec!["update", "exchange", "--status", "degraded", "--at", "yesterday"],
            1,
            "--at: `yesterday` is not a time",
        ),
        (vec!["update", "exchange", "--status", "degraded", "--at", "2023-03-26 02:30"], 1, "does not exist"),
        (vec!["update", "exchang", "--status", "degraded"], 1, "did you mean `exchange`?"),
        (
            vec!["update", "exchange", "--status", "degraded", "--lang-text", "fr=Salut"],
            1,
            "`fr` is not a language",
        ),
        (vec!["update", "exchange", "--phase", "resolved"], 2, "is a service"),
        (
            vec!["update", "exchange", "--status", "degraded", "--set", "webmail=degraded"],
            2,
            "--set is for incidents",
        ),
        (vec!["update", "cyberattack-2022-11", "--status", "degraded"], 2, "--status is for services"),
        (vec!["update", "../site", "--status", "degraded"], 2, "not a valid id"),
    ];
    for (args, code, message) in cases {
        let mut all = args.clone();
        all.extend(text);
        let o = aushang(site.path(), &all);
        assert_code(&o, code);
        assert!(stderr(&o).contains(message), "{args:?}: expected `{message}` in:\n{}", stderr(&o));
        assert_eq!(std::fs::read(&svc).unwrap(), svc_before, "{args:?} changed the service file");
        assert_eq!(std::fs::read(&inc).unwrap(), inc_before, "{args:?} changed the incident file");
    }
    // Clap-level usage errors: neither or both of --status/--phase, no text.
    for args in [
        vec!["update", "exchange", "--de", "x"],
        vec!["update", "exchange", "--status", "degraded", "--phase", "resolved", "--de", "x"],
        vec!["update", "exchange", "--status", "degraded"],
        vec!["update", "exchange", "--status", "degraded", "--de", "  "],
    ] {
        let o = aushang(site.path(), &args);
        assert_code(&o, 2);
        assert_eq!(std::fs::read(&svc).unwrap(), svc_before, "{args:?} changed the service file");
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.path().join("content/services"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    assert!(!site.path().join("content/.aushang.lock").exists());
}

#[test]
fn update_is_refused_while_the_site_has_errors() {
    let site = example_site();
    let guide = site.path().join("content/guides/backup-mail.en.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replacen("title:", "services: [no-such-service]\ntitle:", 1)).unwrap();
    let svc = service(site.path(), "exchange");
    let before = std::fs::read(&svc).unwrap();
    let o = aushang(site.path(), &["update", "exchange", "--status", "degraded", "--text", "x"]);
    assert_code(&o, 1);
    assert!(stderr(&o).contains("content/guides/backup-mail.en.md"), "{}", stderr(&o));
    assert!(stderr(&o).contains("exchange.yaml is unchanged"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&svc).unwrap(), before);
}

#[test]
fn update_text_survives_as_data() {
    let site = example_site();
    let file = service(site.path(), "webmail");
    let before = parse(&file);
    let de = "Achtung: \"Zitat\" und 'Apostroph' # kein Kommentar\nZweite Zeile: <script>alert(1)</script> \\ Ende";
    let en = "- starts like a list item\nupdates: []\n  status: major_outage\t{ x: y } & *alias !tag";
    let o = aushang(site.path(), &["update", "webmail", "--status", "degraded", "--de", de, "--en", en]);
    assert_code(&o, 0);
    let after = parse(&file);
    let list = updates(&file);
    let last = list.last().unwrap();
    assert_eq!(s(&last["text"], "de"), de);
    assert_eq!(s(&last["text"], "en"), en);
    assert_eq!(s(last, "status"), "degraded");
    assert_eq!(last.as_mapping().unwrap().len(), 3, "no injected keys: {last:?}");
    // Everything except the list is the same as before.
    let strip = |v: &Value| {
        let mut m = v.as_mapping().unwrap().clone();
        m.remove("updates");
        m
    };
    assert_eq!(strip(&after), strip(&before));
    assert_check_passes(site.path());
}

#[test]
fn concurrent_updates_lose_nothing() {
    let site = example_site();
    let file = service(site.path(), "mailbox");
    let before = std::fs::read(&file).unwrap();
    let count = updates(&file).len();
    let root = site.path().to_path_buf();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                let de = format!("Gleichzeitig {i}");
                let en = format!("Concurrent {i}");
                aushang(&root, &["update", "mailbox", "--status", "degraded", "--de", &de, "--en", &en])
            })
        })
        .collect();
    for h in handles {
        assert_code(&h.join().unwrap(), 0);
    }
    let after = std::fs::read(&file).unwrap();
    assert!(after.starts_with(&before));
    let list = updates(&file);
    assert_eq!(list.len(), count + 8);
    let mut texts: Vec<String> = list[count..].iter().map(|u| s(&u["text"], "en").to_string()).collect();
    texts.sort();
    let expected: Vec<String> = (0..8).map(|i| format!("Concurrent {i}")).collect();
    assert_eq!(texts, expected);
    assert!(!site.path().join("content/.aushang.lock").exists());
    assert_check_passes(site.path());
}

#[test]
fn new_skeletons_pass_check_and_refuse_to_overwrite() {
    let site = example_site();
    let content = site.path().join("content");
    let cases: [(&str, Vec<PathBuf>); 5] = [
        ("service", vec![content.join("services/vpn.yaml")]),
        ("incident", vec![content.join("incidents/vpn-outage.yaml")]),
        ("maintenance", vec![content.join("incidents/vpn-upgrade.yaml")]),
        ("notice", vec![content.join("notices/vpn-notice.de.md"), content.join("notices/vpn-notice.en.md")]),
        ("guide", vec![content.join("guides/vpn-setup.de.md"), content.join("guides/vpn-setup.en.md")]),
    ];
    for (kind, files) in &cases {
        let id = files[0].file_name().unwrap().to_str().unwrap().split('.').next().unwrap().to_string();
        let o = aushang(site.path(), &["new", kind, &id]);
        assert_code(&o, 0);
        for f in files {
            let text =
                std::fs::read_to_string(f).unwrap_or_else(|_| panic!("{kind}: {} missing", f.display()));
            assert!(text.contains("# "), "{kind}: no comments in {}", f.display());
            assert!(!text.contains("TODO"), "{kind}");
        }
        assert_check_passes(site.path());

        let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        let o = aushang(site.path(), &["new", kind, &id]);
        assert_code(&o, 1);
        assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
        let after: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert_eq!(before, after, "{kind} was overwritten");
    }
    // Both languages, with real text in each.
    let de = std::fs::read_to_string(content.join("guides/vpn-setup.de.md")).unwrap();
    let en = std::fs::read_to_string(content.join("guides/vpn-setup.en.md")).unwrap();
    assert!(de.contains("title: Neue Anleitung") && en.contains("title: New guide"));
    let svc = parse(&content.join("services/vpn.yaml"));
    assert_eq!(s(&svc, "group"), "mail", "first group of site.yaml");
    assert_eq!(s(&svc["name"], "de"), "Neuer Dienst");
    let maint = parse(&content.join("incidents/vpn-upgrade.yaml"));
    assert_eq!(s(&maint, "kind"), "maintenance");
    assert_eq!(s(&maint["scheduled"], "from"), "2026-12-04T18:00:00+01:00");
    assert_eq!(s(&maint["scheduled"], "until"), "2026-12-04T22:00:00+01:00");
    assert_eq!(s(&maint["updates"][0], "phase"), "scheduled");
    let inc = parse(&content.join("incidents/vpn-outage.yaml"));
    assert_eq!(s(&inc["updates"][0], "at"), NOW);
    assert!(inc["services"].as_sequence().is_some_and(|v| v.len() == 1));

    // An id that is not a file name, or clashes with the other kind: refused, nothing written.
    for (args, code) in
        [(["new", "guide", "Bad_Id"], 2), (["new", "service", "../x"], 2), (["new", "incident", "vpn"], 1)]
    {
        let o = aushang(site.path(), &args);
        assert_code(&o, code);
    }
    assert!(!content.join("incidents/vpn.yaml").exists());
    assert_check_passes(site.path());
}

#[test]
fn new_skeletons_fit_a_site_without_groups_or_services() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Status\nbase_url: https://status.example.net/\nlanguages: [en]\ntimezone: America/New_York\n",
    )
    .unwrap();
    for (kind, id) in [
        ("incident", "outage"),
        ("maintenance", "upgrade"),
        ("notice", "hello"),
        ("guide", "start"),
        ("service", "web"),
    ] {
        let o = aushang(dir.path(), &["new", kind, id]);
        assert_code(&o, 0);
        assert_check_passes(dir.path());
    }
    let svc = std::fs::read_to_string(content.join("services/web.yaml")).unwrap();
    assert!(!svc.contains("\ngroup:"), "no groups defined, so no group: {svc}");
    assert!(svc.contains("  en: New service"));
    assert!(!svc.contains(" de:") && !svc.contains("--de"), "only the site's language: {svc}");
    let inc = parse(&content.join("incidents/outage.yaml"));
    assert_eq!(inc["services"].as_sequence().map(Vec::len), Some(0));
    assert!(s(&inc["updates"][0], "at").ends_with("-05:00"), "site timezone offset");
    assert!(content.join("notices/hello.en.md").is_file());
    // The new service can be updated straight away.
    let o = aushang(dir.path(), &["update", "web", "--status", "degraded", "--en", "Slow."]);
    assert_code(&o, 0);
    assert_check_passes(dir.path());
}

#[test]
fn init_creates_a_site_that_passes_check() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("status");
    let o = Command::new(BIN).arg("init").arg(&dir).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap();
    assert_code(&o, 0);
    assert!(stdout(&o).contains("aushang serve"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(dir.join(".gitignore")).unwrap(), "/public\n");
    assert!(dir.join("content/site.yaml").is_file());
    assert!(!dir.join("themes").exists(), "the built-in theme is not copied");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/services/exchange.yaml");
    assert_eq!(
        std::fs::read(dir.join("content/services/exchange.yaml")).unwrap(),
        std::fs::read(example).unwrap()
    );
    assert_check_passes(&dir);

    // Not empty now: refused, nothing changed.
    let site_yaml = std::fs::read(dir.join("content/site.yaml")).unwrap();
    let o = Command::new(BIN).arg("init").arg(&dir).output().unwrap();
    assert_code(&o, 2);
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join("content/site.yaml")).unwrap(), site_yaml);

    // An existing empty folder (or one holding only `.git`) is fine.
    let empty = parent.path().join("empty");
    std::fs::create_dir_all(empty.join(".git")).unwrap();
    let o = Command::new(BIN).arg("init").arg(&empty).output().unwrap();
    assert_code(&o, 0);

    // A folder with anything else in it is refused and left alone.
    let busy = parent.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    let o = Command::new(BIN).arg("init").arg(&busy).output().unwrap();
    assert_code(&o, 2);
    assert_eq!(std::fs::read_dir(&busy).unwrap().count(), 1);
}
