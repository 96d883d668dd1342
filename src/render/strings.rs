//! The theme's UI strings (`i18n.yaml`): every word the site shows that is not content,
//! per language. Templates get them as `t`; the feeds, the calendar, the badges and the
//! status API's localized fields read them here too, so a theme that rewords a label
//! changes it everywhere, and a third language gets its own words wherever it has them.

use crate::model::{IncidentKind, NoticeLevel, Phase};
use std::collections::BTreeMap;

/// One UI string: a text, or a list of texts (the month names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Word {
    Text(String),
    List(Vec<String>),
}

/// The strings of every language as the theme files give them: language → key → word.
pub type StringTable = BTreeMap<String, BTreeMap<String, Word>>;

/// Read one `i18n.yaml`: a map from language code to a map from key to a text or a list
/// of texts. Numbers and booleans are texts too (`minutes: 5` is the text "5").
pub fn parse(src: &str) -> Result<StringTable, String> {
    let doc: serde_yaml::Value = serde_yaml::from_str(src).map_err(|e| e.to_string())?;
    let mut table = StringTable::new();
    let serde_yaml::Value::Mapping(langs) = doc else {
        return Err("expected a map from language codes (`de:`, `en:`) to strings".into());
    };
    for (lang, words) in langs {
        let lang = scalar(&lang).ok_or("a language code must be text, such as `de`")?;
        let serde_yaml::Value::Mapping(words) = words else {
            return Err(format!("`{lang}`: expected a map from keys to strings"));
        };
        let entry = table.entry(lang.clone()).or_default();
        for (key, value) in words {
            let key = scalar(&key).ok_or_else(|| format!("`{lang}`: a key must be text"))?;
            let word = match &value {
                serde_yaml::Value::Sequence(items) => Word::List(
                    items
                        .iter()
                        .map(scalar)
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| format!("`{lang}.{key}`: expected a list of texts"))?,
                ),
                other => Word::Text(
                    scalar(other)
                        .ok_or_else(|| format!("`{lang}.{key}`: expected a text or a list of texts"))?,
                ),
            };
            entry.insert(key, word);
        }
    }
    Ok(table)
}

fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The UI strings of one language, completed key by key from English and then German,
/// the languages of the built-in theme (a configured third language still reads every
/// label, in English where its own is missing).
#[derive(Debug, Clone, Default)]
pub struct UiStrings {
    words: BTreeMap<String, Word>,
}

/// The keys that Rust code reads (the templates read theme keys of their own). The
/// built-in theme defines every one of them; a test holds it to that.
#[cfg(test)]
pub const KEYS_READ_BY_CODE: &[&str] = &[
    "language_name",
    "date_time",
    "date",
    "month_year",
    "months",
    "only_in",
    "minutes",
    "hours",
    "days",
    "day",
    "history_year",
    "this_year",
    "not_found_title",
    "feed_description",
    "service_feed_description",
    "new_state",
    "calendar_name",
    "print_title",
    "print_more_at",
    "overall_none",
    "overall_minor",
    "overall_major",
    "overall_critical",
    "overall_maintenance",
    "availability_days",
    "unavailable_for",
    "percent",
    "decimal_separator",
    "group_one_service",
    "group_services",
    "group_affected",
    "embed_title",
    "embed_more",
];

impl UiStrings {
    /// The strings for `lang` from `table`. A language the theme has no name for is
    /// called by its code: another language's name would mislabel it.
    pub fn for_language(table: &StringTable, lang: &str) -> UiStrings {
        let mut words = BTreeMap::new();
        for fallback in ["de", "en", lang] {
            if let Some(m) = table.get(fallback) {
                words.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        if !table.get(lang).is_some_and(|m| m.contains_key("language_name")) {
            words.insert("language_name".into(), Word::Text(lang.to_string()));
        }
        UiStrings { words }
    }

    /// The text of `key`; the key itself where the theme has none, so that a missing
    /// string shows up on the page instead of leaving a hole.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        match self.words.get(key) {
            Some(Word::Text(t)) => t,
            _ => key,
        }
    }

    /// The list of `key` (empty where the theme has none).
    pub fn list(&self, key: &str) -> &[String] {
        match self.words.get(key) {
            Some(Word::List(l)) => l,
            _ => &[],
        }
    }

    /// Every string, for templates (`t`).
    pub fn words(&self) -> &BTreeMap<String, Word> {
        &self.words
    }

    /// The label of a phase (`phase_<id>`).
    pub fn phase(&self, phase: Phase) -> &str {
        self.keyed("phase_", phase.as_str())
    }

    /// "Incident" or "Maintenance" (`kind_<kind>`).
    pub fn kind(&self, kind: IncidentKind) -> &str {
        self.keyed("kind_", kind.as_str())
    }

    /// The label of a notice level (`level_<level>`).
    pub fn level(&self, level: NoticeLevel) -> &str {
        self.keyed("level_", level.as_str())
    }

    /// The theme's label of a built-in state (`state_<id>`); a site's own label, where it
    /// gives one, comes first (see `BuildContext::state_label`).
    pub fn state<'s>(&'s self, id: &'s str) -> &'s str {
        self.keyed("state_", id)
    }

    /// `prefix` + `id` looked up; the id itself where the theme has no such string.
    fn keyed<'s>(&'s self, prefix: &str, id: &'s str) -> &'s str {
        match self.words.get(&format!("{prefix}{id}")) {
            Some(Word::Text(t)) => t,
            _ => id,
        }
    }

    /// The string `key` with `{name}` replaced by `value`.
    pub fn fill(&self, key: &str, name: &str, value: &str) -> String {
        self.get(key).replace(&format!("{{{name}}}"), value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::state::BUILTIN;

    fn builtin() -> StringTable {
        let src = crate::embedded::THEME_FILES
            .iter()
            .find(|(p, _)| *p == "i18n.yaml")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        parse(&src).unwrap()
    }

    /// Every key the code reads, every phase, kind, level and built-in state has a
    /// string in both languages of the built-in theme.
    #[test]
    fn the_builtin_theme_has_every_key_the_code_reads() {
        let table = builtin();
        for lang in ["de", "en"] {
            let words = &table[lang];
            let mut keys: Vec<String> = KEYS_READ_BY_CODE.iter().map(|k| k.to_string()).collect();
            keys.extend(Phase::ALL.iter().map(|p| format!("phase_{p}")));
            keys.extend(["kind_incident", "kind_maintenance"].map(String::from));
            keys.extend(["level_info", "level_warning", "level_critical"].map(String::from));
            keys.extend(BUILTIN.iter().map(|s| format!("state_{}", s.0)));
            for k in keys {
                assert!(words.contains_key(&k), "{lang}: no string `{k}`");
            }
        }
    }

    /// German and English have the same keys; any other language of the built-in theme
    /// only keys of theirs (it falls back to English for the rest).
    #[test]
    fn the_builtin_languages_have_the_same_keys() {
        let table = builtin();
        let keys = |lang: &str| table[lang].keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys("en"), keys("de"));
        for (lang, words) in &table {
            let unknown: Vec<&String> = words.keys().filter(|k| !table["en"].contains_key(*k)).collect();
            assert!(unknown.is_empty(), "{lang}: keys English does not have: {unknown:?}");
        }
    }

    #[test]
    fn a_third_language_falls_back_to_english_then_german() {
        let mut table = builtin();
        table.insert("fr".into(), [("home".to_string(), Word::Text("Accueil".into()))].into());
        let fr = UiStrings::for_language(&table, "fr");
        assert_eq!(fr.get("home"), "Accueil");
        assert_eq!(fr.phase(Phase::Resolved), "Resolved");
        assert_eq!(fr.get("no_such_key"), "no_such_key");
        // Not "English": a language without a name of its own is called by its code.
        assert_eq!(fr.get("language_name"), "fr");
        assert_eq!(UiStrings::for_language(&table, "ar").get("language_name"), "العربية");
    }

    #[test]
    fn texts_lists_and_errors() {
        let t = parse("de:\n  a: 5\n  b: [x, 1]\n  c: true\n").unwrap();
        assert_eq!(t["de"]["a"], Word::Text("5".into()));
        assert_eq!(t["de"]["b"], Word::List(vec!["x".into(), "1".into()]));
        assert!(parse("de:\n  a: {x: 1}\n").unwrap_err().contains("`de.a`"));
        assert!(parse("- de\n").is_err());
    }
}
