//! Localized text: a plain string (the same in every language) or a map from language
//! code to string, resolved per language with the fallback order of CONTENT.md.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// Text as written: plain, or per language in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawText {
    Plain(String),
    PerLanguage(Vec<(String, String)>),
}

/// A map in file order (YAML mappings are ordered; authors expect their order kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map from language code to text such as { de: ..., en: ... }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawText, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, ScalarString>()? {
                    out.push((k, v.0));
                }
                Ok(RawText::PerLanguage(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A scalar read as text, whatever YAML thinks its type is (`de: 2022` is still text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarString(pub String);

impl<'de> Deserialize<'de> for ScalarString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScalarString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map such as { key: value }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedMap<V>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<ScalarString, V>()? {
                    out.push((k.0, v));
                }
                Ok(OrderedMap(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OrderedMap<V>, E> {
                Ok(OrderedMap(Vec::new()))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

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

    #[test]
    fn numbers_are_text() {
        let t: RawText = serde_yaml::from_str("de: 2022\nen: true").unwrap();
        assert_eq!(t, RawText::PerLanguage(vec![("de".into(), "2022".into()), ("en".into(), "true".into())]));
    }
}
