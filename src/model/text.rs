//! Localized text: a plain string (the same in every language) or a map from language
//! code to string, resolved per language with the fallback order of docs/content.md.

/// Text as written: plain, or per language in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawText {
    Plain(String),
    PerLanguage(Vec<(String, String)>),
}

/// A map in file order (YAML mappings are ordered; authors expect their order kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

/// A scalar read as text, whatever YAML thinks its type is (`de: 2022` is still text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarString(pub String);

/// One language's version of a text and the language it is really in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolved {
    pub text: String,
    /// The language the text is written in; differs from the page language on fallback.
    pub lang: String,
    pub fallback: bool,
}

/// Validated text, resolved once for every configured language (index = language index).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    per_lang: Vec<Resolved>,
}

impl Text {
    /// Resolve for `languages` (first is the default): own text, else the default
    /// language's, else the first one present.
    pub fn resolve(raw: &RawText, languages: &[String]) -> Text {
        let per_lang = languages
            .iter()
            .map(|lang| match raw {
                RawText::Plain(s) => Resolved { text: s.clone(), lang: lang.clone(), fallback: false },
                RawText::PerLanguage(map) => {
                    let find = |l: &str| map.iter().find(|(k, _)| k == l);
                    let (k, v) = find(lang)
                        .or_else(|| languages.first().and_then(|d| find(d)))
                        .or_else(|| map.iter().find(|(k, _)| languages.contains(k)))
                        .cloned()
                        .unwrap_or_default();
                    Resolved { fallback: &k != lang, text: v, lang: k }
                }
            })
            .collect();
        Text { per_lang }
    }

    /// The same text in every language.
    pub fn plain(s: &str, languages: &[String]) -> Text {
        Text::resolve(&RawText::Plain(s.to_string()), languages)
    }

    /// The text for language index `i` (0 = default language).
    pub fn get(&self, i: usize) -> &Resolved {
        static EMPTY: Resolved = Resolved { text: String::new(), lang: String::new(), fallback: false };
        self.per_lang.get(i).or_else(|| self.per_lang.first()).unwrap_or(&EMPTY)
    }

    pub fn all(&self) -> &[Resolved] {
        &self.per_lang
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["de".into(), "en".into(), "fr".into()]
    }

    #[test]
    fn plain_text_is_every_language() {
        let t = Text::resolve(&RawText::Plain("Mail".into()), &langs());
        assert_eq!(t.get(1).text, "Mail");
        assert_eq!(t.get(1).lang, "en");
        assert!(!t.get(2).fallback);
    }

    #[test]
    fn falls_back_to_default_then_any() {
        let raw = RawText::PerLanguage(vec![("de".into(), "Hallo".into())]);
        let t = Text::resolve(&raw, &langs());
        assert_eq!(t.get(1).text, "Hallo");
        assert_eq!(t.get(1).lang, "de");
        assert!(t.get(1).fallback);

        let raw = RawText::PerLanguage(vec![("fr".into(), "Bonjour".into())]);
        let t = Text::resolve(&raw, &langs());
        assert_eq!(t.get(0).text, "Bonjour");
        assert_eq!(t.get(0).lang, "fr");
        assert!(t.get(0).fallback);
        assert!(!t.get(2).fallback);
    }
}
