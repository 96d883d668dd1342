//! `check` never panics or hangs on truncated, random or pathological input, and cuts
//! overlong names, numbers and problem lists.

use super::*;

// --- never panics ---------------------------------------------------------------------

/// A small deterministic generator: the same inputs on every run and machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Run check with a memory ceiling, so that a blow-up fails the test (the allocation
/// aborts) instead of taking the machine down.
fn check_bounded(site: &TestSite) -> common::Run {
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 4000000 && exec \"$0\" check --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_aushang"))
        .arg(site.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("RAYON_NUM_THREADS", "2");
    let run = common::run_command(cmd, Duration::from_secs(120));
    run.assert_no_panic();
    run
}

fn example_files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(common::example_content().join(folder))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn never_panics_on_truncated_files() {
    // Every example file cut at every 7th byte, all in one site: thousands of broken files
    // (including cuts inside a UTF-8 sequence) in one run.
    let site = TestSite::example();
    let mut written = 0;
    for folder in ["services", "incidents", "notices", "guides"] {
        for (n, (name, bytes)) in example_files(folder).into_iter().enumerate() {
            let suffix = if name.ends_with(".yaml") {
                ".yaml".to_string()
            } else {
                format!(".{}", &name[name.len() - 5..])
            };
            for cut in (0..bytes.len()).step_by(7) {
                site.write(&format!("content/{folder}/t{n}-{cut}{suffix}"), &bytes[..cut]);
                written += 1;
            }
        }
    }
    assert!(written > 1000, "{written}");
    check_bounded(&site).assert_code(1);

    // site.yaml is read first and alone: one run per cut.
    let config = std::fs::read(common::example_content().join("site.yaml")).unwrap();
    for cut in (0..config.len()).step_by(7) {
        let site = TestSite::example();
        site.write(SITE, &config[..cut]);
        check_bounded(&site);
    }
}

#[test]
fn never_panics_on_random_bytes_and_mutations() {
    let mut rng = XorShift(0x5eed_2022_1127_0815);
    let site = TestSite::example();
    let yamlish = b"[]{}:-,&*!|>'\"#%@`?~ \t\n\n  aZ09._/\\\r\xc3\xa4\xff";
    let examples: Vec<(String, Vec<u8>)> =
        ["services", "incidents"].iter().flat_map(|f| example_files(f)).collect();
    for i in 0..400 {
        let len = rng.below(600);
        let bytes: Vec<u8> = match i % 4 {
            // Raw noise.
            0 => (0..len).map(|_| rng.next() as u8).collect(),
            // Noise made of YAML's special characters: reaches deeper into the parsers.
            1 => (0..len).map(|_| yamlish[rng.below(yamlish.len())]).collect(),
            // A real file with a few bytes replaced by special characters.
            _ => {
                let (_, src) = &examples[rng.below(examples.len())];
                let mut b = src.clone();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(b.len());
                    b[at] = yamlish[rng.below(yamlish.len())];
                }
                b
            }
        };
        let rel = match i % 5 {
            0 | 1 => format!("content/services/r{i}.yaml"),
            2 => format!("content/incidents/r{i}.yaml"),
            3 => format!("content/notices/r{i}.en.md"),
            _ => format!("content/guides/r{i}.de.md"),
        };
        let bytes =
            if rel.ends_with(".md") && i % 2 == 0 { [b"---\n".as_slice(), &bytes].concat() } else { bytes };
        site.write(&rel, bytes);
    }
    check_bounded(&site);
}

#[test]
fn never_panics_or_hangs_on_pathological_yaml() {
    let mut laughs = String::from(
        "name: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        laughs.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 9].join(", ")));
    }
    // Few jumps, many values: 20000 aliases of a 1000-item list.
    let wide = format!(
        "name: x\ndescription: &a [{}]\nlinks: [{}]\n",
        vec!["1"; 1000].join(","),
        vec!["*a"; 20_000].join(",")
    );
    let nested_keys: String = (0..2000).map(|d| format!("{}k:\n", "  ".repeat(d))).collect();
    let many_keys: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
    let cases: Vec<(&str, String)> = vec![
        ("billion laughs", laughs),
        ("wide aliases", wide),
        ("deep flow sequences", "[".repeat(1_000_000)),
        ("deep flow mappings", "{a: ".repeat(300_000)),
        ("deep block sequences", "- ".repeat(1_000_000)),
        ("deep block mappings", nested_keys),
        ("many unknown keys", many_keys),
        ("one long line", format!("name: {}\n", "x".repeat(1_000_000))),
        ("unknown anchor", "name: *nowhere\n".into()),
        ("recursive alias", "name: &a [*a]\n".into()),
        ("huge numbers", "name: x\norder: 99999999999999999999999999\nupdates:\n  - at: 99999999-01-01\n    status: degraded\n".into()),
        ("tags", "name: !!binary aGVsbG8=\norder: !custom 3\n".into()),
        ("merge keys", "base: &b {name: x}\n<<: *b\n".into()),
        ("complex keys", "? [a, b]\n: c\n? {x: 1}\n: d\n".into()),
        ("only a document end", "...\n".into()),
        ("NUL bytes", "name: a\u{0}b\n".into()),
        ("byte order mark", "\u{feff}name: x\n".into()),
        ("CRLF", "name: x\r\nupdates:\r\n  - at: 2022-11-28 09:30\r\n    status: degraded\r\n".into()),
    ];
    for (what, src) in cases {
        let site = with(SVC, &src);
        let run = check_bounded(&site);
        assert!(run.elapsed < Duration::from_secs(60), "{what} took {:?}", run.elapsed);
    }
    // The same shapes in front matter and in site.yaml.
    for rel in ["content/notices/p.de.md", SITE] {
        for body in ["[".repeat(100_000), "- ".repeat(100_000), "a: &a [*a]\n".into()] {
            let src = if rel.ends_with(".md") { format!("---\n{body}\n---\n") } else { body };
            check_bounded(&with(rel, &src)).assert_code(1);
        }
    }
}

#[test]
fn overlong_name_is_refused() {
    let long = "Exchange ".repeat(40);
    let run = check(&with(SVC, &format!("name: {{ de: Test, en: {long} }}\n")));
    run.assert_code(1);
    run.expect_error(
        SVC,
        1,
        Some(7),
        &["name: `Exchange Exchange Exchange Exc…` is 359 characters long", "at most 200"],
    );
}

#[test]
fn number_too_large() {
    let run = check(&with(SVC, "name: Test\norder: 99999999999999999999999999\n"));
    run.assert_code(1);
    run.expect_error(SVC, 2, Some(8), &["order: found a number too large to read"]);
}

#[test]
fn too_many_problems_in_one_file_are_cut() {
    let src: String =
        std::iter::once("name: Test\n".to_string()).chain((0..150).map(|i| format!("k{i}: v\n"))).collect();
    let run = check(&with(SVC, &src));
    run.assert_code(1);
    assert_eq!(run.errors().len(), 101, "{run}");
    run.expect_error(SVC, 101, Some(1), &["50 more problem(s) in this file not shown"]);
    assert!(run.stdout.contains("150 error(s)"), "the summary counts all: {run}");
}
