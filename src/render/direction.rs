//! The writing direction of a language: right to left for Arabic, Persian, Hebrew, Urdu
//! and the other languages whose likely script is written so, as CLDR records it
//! (through `unic-langid`), by the primary subtag of the language code. Pages set it as
//! `dir` wherever they set `lang`.

use unic_langid::{CharacterDirection, LanguageIdentifier};

/// Left to right or right to left, as HTML's `dir` attribute names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The direction of language `code` (`ar`, `de`, `fa-AF`); a code that is not a
    /// language tag is left to right.
    pub fn of(code: &str) -> Direction {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.parse::<LanguageIdentifier>().map(|l| l.character_direction()) {
            Ok(CharacterDirection::RTL) => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Direction;

    #[test]
    fn right_to_left_languages_by_their_primary_subtag() {
        for code in ["ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ar-EG", "fa-AF"] {
            assert_eq!(Direction::of(code), Direction::Rtl, "{code}");
        }
        // Languages that CLDR lists with a right-to-left script too, but whose likely
        // script is written left to right (Punjabi in Gurmukhi, Hausa in Latin letters).
        for code in ["de", "en", "fr", "tr", "ku", "pa", "ha", "ms", "az", "uz", "", "not a code", "zh-Hant"]
        {
            assert_eq!(Direction::of(code), Direction::Ltr, "{code}");
        }
    }
}
