//! The interface languages: Kazakh, Russian and English.

use serde::{Deserialize, Serialize};

/// A language the interface and templates are offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// Kazakh (қазақ тілі).
    Kk,
    /// Russian (русский язык).
    Ru,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Language; 3] = [Language::Kk, Language::Ru, Language::En];

    /// The BCP 47 code stored in the database and used in cookies.
    pub fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// The language's own name for itself, as the switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Self::Kk => "Қазақша",
            Self::Ru => "Русский",
            Self::En => "English",
        }
    }

    /// Reads a language code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "kk" => Some(Self::Kk),
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Language::from_code("de"), None);
    }
}
