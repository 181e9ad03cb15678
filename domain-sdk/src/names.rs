//! Client-side domain name validity check (§6.2), driven by the rules the generator emits from the spec.

use std::fmt;

/// The rules of §6.2, as data (`crate::types::DOMAIN_NAME_RULES` holds the reference's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainNameRules {
    /// Minimum length of the name's main label (the suffix excluded).
    pub min_length: usize,
    /// Maximum length of the main label.
    pub max_length: usize,
    /// Allowed characters of an English label, as ranges (`a-z0-9-`).
    pub ascii_chars: &'static str,
    /// A hyphen may not start the label.
    pub hyphen_not_first: bool,
    /// A hyphen may not end the label.
    pub hyphen_not_last: bool,
    /// Hyphens may not be the third and fourth characters together (`ab--`).
    pub hyphen_not_third_and_fourth: bool,
    /// Upper case is accepted and compared as lower case.
    pub case_insensitive: bool,
    /// A name with non-ASCII characters must contain at least one Chinese character.
    pub chinese_requires_han: bool,
    /// A Chinese label's length is measured on its punycode form (`xn--…`).
    pub chinese_length_in_punycode: bool,
    /// `xn--` (punycode) labels are refused: send the Chinese form.
    pub reject_punycode_input: bool,
}

/// Which rule of §6.2 a name breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DomainNameError {
    /// The name has no suffix (`example` instead of `example.com`).
    MissingSuffix,
    /// The main label is shorter than allowed.
    TooShort {
        /// Its length.
        length: usize,
        /// The minimum.
        min: usize,
    },
    /// The main label is longer than allowed.
    TooLong {
        /// Its length (of the punycode form for a Chinese name).
        length: usize,
        /// The maximum.
        max: usize,
        /// Whether the length is that of the punycode form.
        punycode: bool,
    },
    /// A character that is neither allowed ASCII nor Chinese.
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its position in the label (1-based).
        position: usize,
    },
    /// A non-ASCII name without any Chinese character.
    NoChineseCharacter,
    /// Upper case where the rules do not allow it.
    UpperCase,
    /// The label starts with a hyphen.
    HyphenFirst,
    /// The label ends with a hyphen.
    HyphenLast,
    /// The third and fourth characters are both hyphens.
    HyphenThirdAndFourth,
    /// The label is punycode (`xn--…`); the service wants the Chinese form.
    PunycodeInput,
}

impl fmt::Display for DomainNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid domain name (§6.2): ")?;
        match self {
            Self::MissingSuffix => write!(f, "no suffix: give the whole name, e.g. example.com"),
            Self::TooShort { length, min } => {
                write!(f, "the name is {length} characters long; at least {min} are needed")
            }
            Self::TooLong {
                length,
                max,
                punycode: false,
            } => {
                write!(
                    f,
                    "the name is {length} characters long; at most {max} are allowed (suffix excluded)"
                )
            }
            Self::TooLong {
                length,
                max,
                punycode: true,
            } => write!(
                f,
                "the name's punycode form is {length} characters long; at most {max} are allowed (suffix excluded)"
            ),
            Self::InvalidCharacter { character, position } => write!(
                f,
                "character {character:?} at position {position} is not allowed: use a-z, 0-9, '-' or Chinese characters"
            ),
            Self::NoChineseCharacter => write!(f, "a name with non-ASCII characters must contain a Chinese character"),
            Self::UpperCase => write!(f, "upper-case letters are not allowed"),
            Self::HyphenFirst => write!(f, "a hyphen may not start the name"),
            Self::HyphenLast => write!(f, "a hyphen may not end the name"),
            Self::HyphenThirdAndFourth => write!(f, "hyphens may not be the third and fourth characters"),
            Self::PunycodeInput => write!(f, "punycode (xn--) names are not accepted: send the Chinese form"),
        }
    }
}

impl std::error::Error for DomainNameError {}

/// Chinese (Han) characters: the CJK unified and compatibility ideograph blocks.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x3134F)
}

fn in_ranges(ranges: &str, c: char) -> bool {
    let chars: Vec<char> = ranges.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            if (chars[i]..=chars[i + 2]).contains(&c) {
                return true;
            }
            i += 3;
        } else {
            if chars[i] == c {
                return true;
            }
            i += 1;
        }
    }
    false
}

impl DomainNameRules {
    /// Checks a whole name (`example.com`, `例子.中国`): its main label against every rule.
    ///
    /// # Errors
    /// The first rule the name breaks.
    pub fn check(&self, name: &str) -> Result<(), DomainNameError> {
        let (label, suffix) = name.split_once('.').ok_or(DomainNameError::MissingSuffix)?;
        if suffix.is_empty() {
            return Err(DomainNameError::MissingSuffix);
        }
        self.check_label(label)
    }

    /// Checks a main label alone (`example`), the suffix excluded.
    ///
    /// # Errors
    /// The first rule the label breaks.
    pub fn check_label(&self, label: &str) -> Result<(), DomainNameError> {
        let lower = if self.case_insensitive {
            label.to_lowercase()
        } else {
            label.to_owned()
        };
        if self.reject_punycode_input && lower.starts_with("xn--") {
            return Err(DomainNameError::PunycodeInput);
        }
        let chars: Vec<char> = lower.chars().collect();
        let mut has_non_ascii = false;
        let mut has_han = false;
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii() {
                if !in_ranges(self.ascii_chars, c) {
                    if !self.case_insensitive && c.is_ascii_uppercase() {
                        return Err(DomainNameError::UpperCase);
                    }
                    return Err(DomainNameError::InvalidCharacter {
                        character: c,
                        position: i + 1,
                    });
                }
            } else {
                has_non_ascii = true;
                if is_han(c) {
                    has_han = true;
                } else if self.chinese_requires_han && !c.is_alphanumeric() {
                    return Err(DomainNameError::InvalidCharacter {
                        character: c,
                        position: i + 1,
                    });
                }
            }
        }
        if has_non_ascii && self.chinese_requires_han && !has_han {
            return Err(DomainNameError::NoChineseCharacter);
        }
        if self.hyphen_not_first && chars.first() == Some(&'-') {
            return Err(DomainNameError::HyphenFirst);
        }
        if self.hyphen_not_last && chars.len() > 1 && chars.last() == Some(&'-') {
            return Err(DomainNameError::HyphenLast);
        }
        if self.hyphen_not_third_and_fourth && chars.get(2) == Some(&'-') && chars.get(3) == Some(&'-') {
            return Err(DomainNameError::HyphenThirdAndFourth);
        }
        let (length, punycode) = if has_non_ascii && self.chinese_length_in_punycode {
            let encoded = idna::punycode::encode_str(&lower).unwrap_or_default();
            ("xn--".len() + encoded.len(), true)
        } else {
            (chars.len(), false)
        };
        if length < self.min_length {
            return Err(DomainNameError::TooShort {
                length,
                min: self.min_length,
            });
        }
        if length > self.max_length {
            return Err(DomainNameError::TooLong {
                length,
                max: self.max_length,
                punycode,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: DomainNameRules = DomainNameRules {
        min_length: 1,
        max_length: 63,
        ascii_chars: "a-z0-9-",
        hyphen_not_first: true,
        hyphen_not_last: true,
        hyphen_not_third_and_fourth: true,
        case_insensitive: true,
        chinese_requires_han: true,
        chinese_length_in_punycode: true,
        reject_punycode_input: true,
    };

    #[test]
    fn ranges() {
        assert!(in_ranges("a-z0-9-", 'q') && in_ranges("a-z0-9-", '7') && in_ranges("a-z0-9-", '-'));
        assert!(!in_ranges("a-z0-9-", '_') && !in_ranges("a-z0-9-", 'A'));
    }

    #[test]
    fn a_rule_that_is_off_is_not_enforced() {
        let lax = DomainNameRules {
            hyphen_not_first: false,
            case_insensitive: false,
            ..RULES
        };
        assert_eq!(lax.check("-ab.com"), Ok(()));
        assert_eq!(lax.check("Ab.com"), Err(DomainNameError::UpperCase));
    }
}
