//! Who a booking is for: the citizen's names, passport number, phone, email and date of birth,
//! and the booking reference read aloud at the counter.
//!
//! Each type is parsed once from raw input and is valid from then on (STYLE.md, "Parse, don't
//! validate"): the field is private, `parse` is the only way in, and the canonical text is what
//! serialises. Every error speaks the three languages of the service through `message`; its
//! `Display` is the English text.

use crate::Language;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Picks the text in `language` out of the three.
fn pick(language: Language, tk: String, ru: String, en: String) -> String {
    match language {
        Language::Tk => tk,
        Language::Ru => ru,
        Language::En => en,
    }
}

/// A character as it can be shown inside a message (control characters escaped).
fn shown(c: char) -> String {
    c.escape_debug().to_string()
}

/// Composes the decomposed (NFD) spellings of the Turkmen letters Ç Ä Ž Ň Ö Ş Ü Ý into their
/// single code points (NFC), so that `S` + combining cedilla and `Ş` are the same name. The
/// crate has no Unicode normalisation library; the Turkmen alphabet is all that must round-trip.
fn compose_turkmen(raw: &str) -> String {
    let mut composed = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(letter) = chars.peek().and_then(|&mark| turkmen_letter(c, mark)) {
            composed.push(letter);
            chars.next();
        } else {
            composed.push(c);
        }
    }
    composed
}

fn turkmen_letter(base: char, mark: char) -> Option<char> {
    const CEDILLA: char = '\u{327}';
    const DIAERESIS: char = '\u{308}';
    const CARON: char = '\u{30C}';
    const ACUTE: char = '\u{301}';
    Some(match (base, mark) {
        ('C', CEDILLA) => 'Ç',
        ('c', CEDILLA) => 'ç',
        ('S', CEDILLA) => 'Ş',
        ('s', CEDILLA) => 'ş',
        ('A', DIAERESIS) => 'Ä',
        ('a', DIAERESIS) => 'ä',
        ('O', DIAERESIS) => 'Ö',
        ('o', DIAERESIS) => 'ö',
        ('U', DIAERESIS) => 'Ü',
        ('u', DIAERESIS) => 'ü',
        ('Z', CARON) => 'Ž',
        ('z', CARON) => 'ž',
        ('N', CARON) => 'Ň',
        ('n', CARON) => 'ň',
        ('Y', ACUTE) => 'Ý',
        ('y', ACUTE) => 'ý',
        _ => return None,
    })
}

/// Parses an ISO date written exactly as `YYYY-MM-DD` (surrounding whitespace ignored).
/// Stricter than chrono's `%Y-%m-%d`, which also takes `2026-1-5` and signed years.
pub fn parse_iso_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    let year = raw.get(0..4)?.parse().ok()?;
    let month = raw.get(5..7)?.parse().ok()?;
    let day = raw.get(8..10)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `Display`, `as_str`, `FromStr` and a `Deserialize` that goes through `parse`, for the string
/// newtypes of this module.
macro_rules! text_newtype {
    ($name:ident, $error:ident) => {
        impl $name {
            /// The canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                $name::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl fmt::Display for $error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message(Language::En))
            }
        }

        impl std::error::Error for $error {}
    };
}

// ---------------------------------------------------------------------------------------------
// Names

/// A surname, given name or patronymic as the citizen writes it: letters of any script, single
/// spaces, hyphens and apostrophes, 1 to 60 characters. The citizen's capitalisation is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "Öwezgeldiýewa"))]
#[serde(transparent)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonNameError {
    Empty,
    TooLong { max: usize },
    ForbiddenCharacter(char),
    NoLetter,
    HyphenAtEdge,
}

impl PersonName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<PersonName, PersonNameError> {
        let composed = compose_turkmen(raw);
        let name = composed.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(PersonNameError::Empty);
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’');
        if let Some(c) = name.chars().find(|&c| !allowed(c)) {
            return Err(PersonNameError::ForbiddenCharacter(c));
        }
        if !name.chars().any(char::is_alphabetic) {
            return Err(PersonNameError::NoLetter);
        }
        if name.starts_with('-') || name.ends_with('-') {
            return Err(PersonNameError::HyphenAtEdge);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(PersonNameError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(PersonName(name))
    }
}

impl PersonNameError {
    pub fn message(&self, language: Language) -> String {
        match self {
            PersonNameError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            PersonNameError::TooLong { max } => pick(
                language,
                format!("iň köp {max} belgi bolup biler"),
                format!("не более {max} символов"),
                format!("must be at most {max} characters long"),
            ),
            PersonNameError::ForbiddenCharacter(c) => pick(
                language,
                format!(
                    "diňe harplardan, boşluklardan, defislerden we apostroflardan ybarat \
                     bolmaly («{}» nädogry belgi)",
                    shown(*c)
                ),
                format!(
                    "может содержать только буквы, пробелы, дефисы и апострофы \
                     (недопустимый знак «{}»)",
                    shown(*c)
                ),
                format!(
                    "may contain only letters, spaces, hyphens and apostrophes (found '{}')",
                    shown(*c)
                ),
            ),
            PersonNameError::NoLetter => pick(
                language,
                "azyndan bir harp bolmaly".into(),
                "нужна хотя бы одна буква".into(),
                "must contain at least one letter".into(),
            ),
            PersonNameError::HyphenAtEdge => pick(
                language,
                "defis bilen başlanyp ýa-da gutaryp bilmez".into(),
                "не может начинаться или заканчиваться дефисом".into(),
                "must not begin or end with a hyphen".into(),
            ),
        }
    }
}

text_newtype!(PersonName, PersonNameError);

// ---------------------------------------------------------------------------------------------
// Passport number

/// The number of a passport: 1 to 4 letters (Latin capitals or the Turkmen Ç Ä Ž Ň Ö Ş Ü Ý)
/// followed by 6 to 9 digits, stored compact and upper-case (`A1234567`, `IAŞ123456`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "A1234567"))]
#[serde(transparent)]
pub struct PassportNumber(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassportNumberError {
    Empty,
    /// A character that is neither a passport letter nor a digit (e.g. a Cyrillic `А`).
    InvalidCharacter(char),
    /// The letters and digits are not 1-4 letters followed by 6-9 digits.
    Format,
}

fn is_passport_letter(c: char) -> bool {
    c.is_ascii_uppercase() || "ÇÄŽŇÖŞÜÝ".contains(c)
}

impl PassportNumber {
    pub fn parse(raw: &str) -> Result<PassportNumber, PassportNumberError> {
        let compact: String = compose_turkmen(raw)
            .chars()
            .filter(|&c| !c.is_whitespace() && c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        if compact.is_empty() {
            return Err(PassportNumberError::Empty);
        }
        if let Some(c) = compact
            .chars()
            .find(|&c| !is_passport_letter(c) && !c.is_ascii_digit())
        {
            return Err(PassportNumberError::InvalidCharacter(c));
        }
        let letters = compact
            .chars()
            .take_while(|&c| is_passport_letter(c))
            .count();
        let digits = compact
            .chars()
            .skip(letters)
            .take_while(char::is_ascii_digit)
            .count();
        let shaped = (1..=4).contains(&letters)
            && (6..=9).contains(&digits)
            && letters + digits == compact.chars().count();
        if shaped {
            Ok(PassportNumber(compact))
        } else {
            Err(PassportNumberError::Format)
        }
    }

    /// The number with all but its last 3 characters hidden (`*****567`), for logs and
    /// notifications.
    pub fn masked(&self) -> String {
        let count = self.0.chars().count();
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| if i + 3 < count { '*' } else { c })
            .collect()
    }
}

impl PassportNumberError {
    pub fn message(&self, language: Language) -> String {
        match self {
            PassportNumberError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            PassportNumberError::InvalidCharacter(c) => pick(
                language,
                format!(
                    "diňe latyn harplaryndan we sifrlerden ybarat bolmaly («{}» nädogry belgi)",
                    shown(*c)
                ),
                format!(
                    "может содержать только латинские буквы и цифры (недопустимый знак «{}»)",
                    shown(*c)
                ),
                format!(
                    "may contain only Latin letters and digits (found '{}')",
                    shown(*c)
                ),
            ),
            PassportNumberError::Format => pick(
                language,
                "1-4 harpdan we olardan soň gelýän 6-9 sifrden ybarat bolmaly, meselem, A1234567"
                    .into(),
                "должен состоять из 1–4 букв и следующих за ними 6–9 цифр, например A1234567"
                    .into(),
                "must be 1 to 4 letters followed by 6 to 9 digits, such as A1234567".into(),
            ),
        }
    }
}

text_newtype!(PassportNumber, PassportNumberError);

// ---------------------------------------------------------------------------------------------
// Phone number

/// A Turkmen mobile number, stored in E.164 (`+99365123456`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "+99365123456"))]
#[serde(transparent)]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneNumberError {
    Empty,
    /// Letters or other characters that no way of writing a phone number uses.
    NotANumber,
    /// Another country, a landline, or an unknown operator code.
    NotTurkmenMobile,
    /// The operator code is right but not followed by exactly 6 digits.
    WrongLength,
}

impl PhoneNumber {
    /// The operator codes of Turkmen mobile networks.
    pub const OPERATOR_CODES: [&'static str; 7] = ["61", "62", "63", "64", "65", "71", "72"];

    /// Accepts `+99365123456`, `99365123456`, `0099365123456`, `865123456` (trunk prefix 8),
    /// `65123456`, with spaces, dashes, dots and parentheses anywhere.
    pub fn parse(raw: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        let mut digits = String::with_capacity(raw.len());
        let mut international = false;
        for (i, c) in raw.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => international = true,
                '-' | '.' | '(' | ')' => {}
                c if c.is_whitespace() => {}
                _ => return Err(PhoneNumberError::NotANumber),
            }
        }
        if digits.is_empty() {
            return Err(PhoneNumberError::NotANumber);
        }
        if !international {
            if let Some(rest) = digits.strip_prefix("00") {
                digits = rest.to_owned();
                international = true;
            }
        }
        let national = if international {
            digits
                .strip_prefix("993")
                .ok_or(PhoneNumberError::NotTurkmenMobile)?
        } else if let Some(rest) = digits.strip_prefix("993") {
            rest
        } else if let Some(rest) = digits.strip_prefix('8') {
            rest
        } else {
            &digits
        };
        let operator = national.get(..2).ok_or(PhoneNumberError::WrongLength)?;
        if !Self::OPERATOR_CODES.contains(&operator) {
            return Err(PhoneNumberError::NotTurkmenMobile);
        }
        if national.len() != 8 {
            return Err(PhoneNumberError::WrongLength);
        }
        Ok(PhoneNumber(format!("+993{national}")))
    }

    /// As shown to citizens: `+993 65 123456`.
    pub fn display(&self) -> String {
        match (self.0.get(4..6), self.0.get(6..)) {
            (Some(operator), Some(subscriber)) => format!("+993 {operator} {subscriber}"),
            _ => self.0.clone(),
        }
    }
}

impl PhoneNumberError {
    pub fn message(&self, language: Language) -> String {
        match self {
            PhoneNumberError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            PhoneNumberError::NotANumber => pick(
                language,
                "telefon belgisi däl: sifrleri ýazyň, meselem, +993 65 123456".into(),
                "это не номер телефона: введите цифры, например +993 65 123456".into(),
                "is not a phone number: use digits, such as +993 65 123456".into(),
            ),
            PhoneNumberError::NotTurkmenMobile => pick(
                language,
                "Türkmenistanyň ykjam telefon belgisi däl: operatoryň kody 61, 62, 63, 64, 65, \
                 71 ýa-da 72 bolmaly"
                    .into(),
                "это не мобильный номер Туркменистана: код оператора должен быть 61, 62, 63, \
                 64, 65, 71 или 72"
                    .into(),
                "is not a Turkmen mobile number: the operator code must be 61, 62, 63, 64, 65, \
                 71 or 72"
                    .into(),
            ),
            PhoneNumberError::WrongLength => pick(
                language,
                "operatoryň kodundan soň 6 sifr bolmaly, meselem, +993 65 123456".into(),
                "после кода оператора должно быть 6 цифр, например +993 65 123456".into(),
                "must have 6 digits after the operator code, such as +993 65 123456".into(),
            ),
        }
    }
}

text_newtype!(PhoneNumber, PhoneNumberError);

// ---------------------------------------------------------------------------------------------
// Email

/// An email address: one `@`, a local part of 1 to 64 characters without spaces (kept as
/// written), and a lower-cased ASCII domain with at least one dot. No IDN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "merdan.amanow@example.com"))]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong {
        max: usize,
    },
    /// No `@`, or more than one.
    NotAnAddress,
    /// The part before `@` is empty, longer than 64 characters, or has spaces.
    LocalPart,
    /// The part after `@` is not a domain such as `example.com`.
    Domain,
}

impl Email {
    pub const MAX_CHARS: usize = 254;
    const MAX_LOCAL_CHARS: usize = 64;
    const MAX_LABEL_CHARS: usize = 63;

    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(EmailError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(EmailError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        let Some((local, domain)) = raw.split_once('@') else {
            return Err(EmailError::NotAnAddress);
        };
        if domain.contains('@') {
            return Err(EmailError::NotAnAddress);
        }
        let local_ok = !local.is_empty()
            && local.chars().count() <= Self::MAX_LOCAL_CHARS
            && !local.chars().any(|c| c.is_whitespace() || c.is_control());
        if !local_ok {
            return Err(EmailError::LocalPart);
        }
        let domain = domain.to_ascii_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= Self::MAX_LABEL_CHARS
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
        if !domain_ok {
            return Err(EmailError::Domain);
        }
        Ok(Email(format!("{local}@{domain}")))
    }
}

impl EmailError {
    pub fn message(&self, language: Language) -> String {
        match self {
            EmailError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            EmailError::TooLong { max } => pick(
                language,
                format!("iň köp {max} belgi bolup biler"),
                format!("не более {max} символов"),
                format!("must be at most {max} characters long"),
            ),
            EmailError::NotAnAddress => pick(
                language,
                "elektron poçta salgysy bolmaly, meselem, name@example.com".into(),
                "должен быть адрес электронной почты, например name@example.com".into(),
                "must be an email address such as name@example.com".into(),
            ),
            EmailError::LocalPart => pick(
                language,
                "@ belgisinden öňki bölek boşluksyz 1-den 64-e çenli belgiden ybarat bolmaly"
                    .into(),
                "часть до @ должна содержать от 1 до 64 символов без пробелов".into(),
                "the part before @ must be 1 to 64 characters without spaces".into(),
            ),
            EmailError::Domain => pick(
                language,
                "@ belgisinden soňky bölek example.com ýaly domen bolmaly".into(),
                "часть после @ должна быть доменом, например example.com".into(),
                "the part after @ must be a domain such as example.com".into(),
            ),
        }
    }
}

text_newtype!(Email, EmailError);

// ---------------------------------------------------------------------------------------------
// Date of birth

/// A date of birth: not in the future, not before 1900. Serialises as `YYYY-MM-DD`.
///
/// There is no `Deserialize`: whether a date is in the future depends on "today", which the
/// caller must supply to [`DateOfBirth::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, format = Date, example = "1990-04-12")
)]
#[serde(transparent)]
pub struct DateOfBirth(NaiveDate);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOfBirthError {
    Empty,
    /// Not a date written `YYYY-MM-DD`.
    Format,
    InFuture,
    /// Before 1 January 1900.
    TooEarly,
}

impl DateOfBirth {
    pub const EARLIEST_YEAR: i32 = 1900;

    /// Parses `YYYY-MM-DD`; `today` is the local date (Asia/Ashgabat) the rule is checked on.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<DateOfBirth, DateOfBirthError> {
        if raw.trim().is_empty() {
            return Err(DateOfBirthError::Empty);
        }
        let date = parse_iso_date(raw).ok_or(DateOfBirthError::Format)?;
        DateOfBirth::new(date, today)
    }

    /// The same rules for a date that is already a date (e.g. read back from the database).
    pub fn new(date: NaiveDate, today: NaiveDate) -> Result<DateOfBirth, DateOfBirthError> {
        if date > today {
            Err(DateOfBirthError::InFuture)
        } else if date.year() < Self::EARLIEST_YEAR {
            Err(DateOfBirthError::TooEarly)
        } else {
            Ok(DateOfBirth(date))
        }
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// Full years of age on `date`: one more on each birthday itself. Someone born on 29
    /// February has their birthday on 1 March in common years. 0 before birth.
    pub fn age_on(self, date: NaiveDate) -> u32 {
        let born = self.0;
        let mut years = date.year() - born.year();
        if (date.month(), date.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }
}

impl fmt::Display for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl DateOfBirthError {
    pub fn message(&self, language: Language) -> String {
        match self {
            DateOfBirthError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            DateOfBirthError::Format => pick(
                language,
                "sene ÝÝÝÝ-AA-GG görnüşinde bolmaly, meselem, 1990-04-12".into(),
                "дата должна быть в формате ГГГГ-ММ-ДД, например 1990-04-12".into(),
                "must be a date in the form YYYY-MM-DD, such as 1990-04-12".into(),
            ),
            DateOfBirthError::InFuture => pick(
                language,
                "doglan senesi geljekde bolup bilmez".into(),
                "дата рождения не может быть в будущем".into(),
                "the date of birth must not be in the future".into(),
            ),
            DateOfBirthError::TooEarly => pick(
                language,
                "doglan senesi 1900-nji ýyldan öň bolup bilmez".into(),
                "дата рождения не может быть раньше 1900 года".into(),
                "the date of birth must not be before 1900".into(),
            ),
        }
    }
}

impl fmt::Display for DateOfBirthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for DateOfBirthError {}

// ---------------------------------------------------------------------------------------------
// Booking reference

/// The symbols of a booking reference: digits and capitals without the look-alikes 0/O and 1/I.
const REFERENCE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const REFERENCE_SYMBOLS: usize = 9;
const REFERENCE_BITS: u32 = 45;

/// A booking's public reference, easy to read aloud and type: 9 symbols in groups of three,
/// `AG7-K3Q-9XF`. It carries 45 random bits; it is not a secret (the manage token is).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "AG7-K3Q-9XF"))]
#[serde(transparent)]
pub struct BookingReference(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingReferenceError {
    Empty,
    /// `0`, `O`, `1` or `I`: never part of a reference, so most likely a misreading.
    LookAlike(char),
    InvalidCharacter(char),
    /// Not 9 symbols once dashes and spaces are removed.
    WrongLength,
}

impl BookingReference {
    /// Builds a reference from the low 45 bits of `random`; the caller supplies the randomness
    /// (and retries on the rare collision the database reports).
    pub fn from_random(random: u64) -> BookingReference {
        let bits = random & ((1u64 << REFERENCE_BITS) - 1);
        let mut text = String::with_capacity(REFERENCE_SYMBOLS + 2);
        for i in 0..REFERENCE_SYMBOLS {
            if i > 0 && i % 3 == 0 {
                text.push('-');
            }
            let shift = 5 * (REFERENCE_SYMBOLS - 1 - i);
            let index = ((bits >> shift) & 0b1_1111) as usize;
            text.push(char::from(REFERENCE_ALPHABET[index]));
        }
        BookingReference(text)
    }

    /// Accepts lower case and any dashes or spaces (`ag7k3q9xf`, `AG7 K3Q 9XF`).
    pub fn parse(raw: &str) -> Result<BookingReference, BookingReferenceError> {
        let mut symbols = Vec::with_capacity(REFERENCE_SYMBOLS);
        for c in raw.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let upper = c.to_ascii_uppercase();
            if matches!(upper, '0' | 'O' | '1' | 'I') {
                return Err(BookingReferenceError::LookAlike(upper));
            }
            if !REFERENCE_ALPHABET.iter().any(|&s| char::from(s) == upper) {
                return Err(BookingReferenceError::InvalidCharacter(c));
            }
            symbols.push(upper);
        }
        if symbols.is_empty() {
            return Err(BookingReferenceError::Empty);
        }
        if symbols.len() != REFERENCE_SYMBOLS {
            return Err(BookingReferenceError::WrongLength);
        }
        let mut text = String::with_capacity(REFERENCE_SYMBOLS + 2);
        for (i, symbol) in symbols.into_iter().enumerate() {
            if i > 0 && i % 3 == 0 {
                text.push('-');
            }
            text.push(symbol);
        }
        Ok(BookingReference(text))
    }
}

impl BookingReferenceError {
    pub fn message(&self, language: Language) -> String {
        match self {
            BookingReferenceError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            BookingReferenceError::LookAlike(c) => pick(
                language,
                format!(
                    "belgide 0, O, 1 we I ulanylmaýar («{}» tapyldy), ýene bir gezek barlaň",
                    shown(*c)
                ),
                format!(
                    "в номере записи не бывает 0, O, 1 и I (найдено «{}»), проверьте ещё раз",
                    shown(*c)
                ),
                format!(
                    "a booking reference never contains 0, O, 1 or I (found '{}'): check it again",
                    shown(*c)
                ),
            ),
            BookingReferenceError::InvalidCharacter(c) => pick(
                language,
                format!(
                    "diňe harplardan we sifrlerden ybarat bolmaly, meselem, AG7-K3Q-9XF («{}» \
                     nädogry belgi)",
                    shown(*c)
                ),
                format!(
                    "может содержать только буквы и цифры, например AG7-K3Q-9XF (недопустимый \
                     знак «{}»)",
                    shown(*c)
                ),
                format!(
                    "may contain only letters and digits, such as AG7-K3Q-9XF (found '{}')",
                    shown(*c)
                ),
            ),
            BookingReferenceError::WrongLength => pick(
                language,
                "9 harpdan we sifrden ybarat bolmaly, meselem, AG7-K3Q-9XF".into(),
                "должен состоять из 9 букв и цифр, например AG7-K3Q-9XF".into(),
                "must have 9 letters and digits, such as AG7-K3Q-9XF".into(),
            ),
        }
    }
}

text_newtype!(BookingReference, BookingReferenceError);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // --- names

    #[test]
    fn names_that_citizens_write_are_accepted() {
        for name in [
            "Amanow",
            "Batyrowiç",
            "Öwezgeldiýewa",
            "Ak-Myrat",
            "O’Neil",
            "O'Neil",
        ] {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(PersonName::parse("Мередова").unwrap().as_str(), "Мередова");
        assert_eq!(
            PersonName::parse("ÇÄŽŇÖŞÜÝ çäžňöşüý").unwrap().as_str(),
            "ÇÄŽŇÖŞÜÝ çäžňöşüý"
        );
    }

    #[test]
    fn names_are_trimmed_and_inner_whitespace_collapsed() {
        assert_eq!(
            PersonName::parse("  Amanow \t  Merdan\n").unwrap().as_str(),
            "Amanow Merdan"
        );
        assert_eq!(PersonName::parse("amanow").unwrap().as_str(), "amanow");
    }

    #[test]
    fn decomposed_turkmen_letters_are_composed() {
        let decomposed = "O\u{308}wezgeldi\u{79}\u{301}ewa";
        assert_eq!(
            PersonName::parse(decomposed).unwrap().as_str(),
            "Öwezgeldiýewa"
        );
        assert_eq!(
            PassportNumber::parse("ias\u{327}123456").unwrap().as_str(),
            "IAŞ123456"
        );
    }

    #[test]
    fn bad_names_are_rejected_with_the_reason() {
        assert_eq!(PersonName::parse(""), Err(PersonNameError::Empty));
        assert_eq!(PersonName::parse("   "), Err(PersonNameError::Empty));
        assert_eq!(
            PersonName::parse("Amanow1"),
            Err(PersonNameError::ForbiddenCharacter('1'))
        );
        assert_eq!(
            PersonName::parse("<script>"),
            Err(PersonNameError::ForbiddenCharacter('<'))
        );
        assert_eq!(PersonName::parse("-'-"), Err(PersonNameError::NoLetter));
        assert_eq!(
            PersonName::parse("-Amanow"),
            Err(PersonNameError::HyphenAtEdge)
        );
        assert_eq!(
            PersonName::parse("Amanow-"),
            Err(PersonNameError::HyphenAtEdge)
        );
        assert_eq!(
            PersonName::parse("Ama\u{301}now"),
            Err(PersonNameError::ForbiddenCharacter('\u{301}'))
        );
        assert!(PersonName::parse(&"a".repeat(60)).is_ok());
        assert_eq!(
            PersonName::parse(&"a".repeat(61)),
            Err(PersonNameError::TooLong { max: 60 })
        );
        // Counted in characters, not bytes.
        assert!(PersonName::parse(&"ý".repeat(60)).is_ok());
    }

    #[test]
    fn name_serde_uses_the_canonical_text_and_parses_on_the_way_in() {
        let name = PersonName::parse(" Ak-Myrat ").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"Ak-Myrat\"");
        let back: PersonName = serde_json::from_str("\"  Ak-Myrat\"").unwrap();
        assert_eq!(back, name);
        assert!(serde_json::from_str::<PersonName>("\"<b>\"").is_err());
    }

    #[test]
    fn errors_speak_three_languages_and_display_in_english() {
        let errors: Vec<(String, [String; 3])> = vec![
            (
                PersonNameError::Empty.to_string(),
                Language::ALL.map(|l| PersonNameError::Empty.message(l)),
            ),
            (
                PhoneNumberError::NotTurkmenMobile.to_string(),
                Language::ALL.map(|l| PhoneNumberError::NotTurkmenMobile.message(l)),
            ),
            (
                BookingReferenceError::LookAlike('O').to_string(),
                Language::ALL.map(|l| BookingReferenceError::LookAlike('O').message(l)),
            ),
        ];
        for (display, [tk, ru, en]) in errors {
            assert_eq!(display, en);
            assert!(tk != ru && ru != en && tk != en);
        }
        assert_eq!(
            PersonNameError::ForbiddenCharacter('1').message(Language::Tk),
            "diňe harplardan, boşluklardan, defislerden we apostroflardan ybarat bolmaly \
             («1» nädogry belgi)"
        );
        assert!(PersonNameError::ForbiddenCharacter('\0')
            .to_string()
            .contains("'\\0'"));
    }

    // --- passport numbers

    #[test]
    fn passport_numbers_are_compacted_and_upper_cased() {
        assert_eq!(
            PassportNumber::parse("A1234567").unwrap().as_str(),
            "A1234567"
        );
        assert_eq!(
            PassportNumber::parse("a 123-4567").unwrap().as_str(),
            "A1234567"
        );
        assert_eq!(
            PassportNumber::parse("iaş123456").unwrap().as_str(),
            "IAŞ123456"
        );
        assert_eq!(
            PassportNumber::parse("IAŞ 123456").unwrap().as_str(),
            "IAŞ123456"
        );
        assert_eq!(
            PassportNumber::parse("ABCD123456789").unwrap().as_str(),
            "ABCD123456789"
        );
        assert_eq!(
            PassportNumber::parse("çäžň 123456").unwrap().as_str(),
            "ÇÄŽŇ123456"
        );
    }

    #[test]
    fn bad_passport_numbers_are_rejected() {
        use PassportNumberError::*;
        assert_eq!(PassportNumber::parse(""), Err(Empty));
        assert_eq!(PassportNumber::parse(" - "), Err(Empty));
        assert_eq!(PassportNumber::parse("A12345"), Err(Format)); // 5 digits
        assert_eq!(PassportNumber::parse("A1234567890"), Err(Format)); // 10 digits
        assert_eq!(PassportNumber::parse("ABCDE123456"), Err(Format)); // 5 letters
        assert_eq!(PassportNumber::parse("1234567"), Err(Format)); // no letter
        assert_eq!(PassportNumber::parse("A123456B"), Err(Format)); // letter after digits
        assert_eq!(
            PassportNumber::parse("А1234567"),
            Err(InvalidCharacter('А'))
        ); // Cyrillic
        assert_eq!(
            PassportNumber::parse("A12/34567"),
            Err(InvalidCharacter('/'))
        );
        assert_eq!(
            PassportNumber::parse("A١٢٣٤٥٦٧"),
            Err(InvalidCharacter('١'))
        );
    }

    #[test]
    fn passport_numbers_mask_all_but_the_last_three() {
        assert_eq!(
            PassportNumber::parse("A1234567").unwrap().masked(),
            "*****567"
        );
        assert_eq!(
            PassportNumber::parse("IAŞ123456").unwrap().masked(),
            "******456"
        );
    }

    // --- phones

    #[test]
    fn phones_in_every_accepted_form_become_e164() {
        for raw in [
            "+99365123456",
            "99365123456",
            "865123456",
            "65123456",
            "+993 65 123456",
            "8 (65) 12-34-56",
            "+993.65.12.34.56",
            "00993 65 123456",
            " +993 (65) 123-456 ",
        ] {
            let phone = PhoneNumber::parse(raw).unwrap();
            assert_eq!(phone.as_str(), "+99365123456", "{raw}");
            assert_eq!(phone.display(), "+993 65 123456");
        }
        for operator in PhoneNumber::OPERATOR_CODES {
            assert!(PhoneNumber::parse(&format!("{operator}000000")).is_ok());
        }
    }

    #[test]
    fn phone_errors_say_what_is_wrong() {
        use PhoneNumberError::*;
        assert_eq!(PhoneNumber::parse(""), Err(Empty));
        assert_eq!(PhoneNumber::parse("  "), Err(Empty));
        assert_eq!(PhoneNumber::parse("phone"), Err(NotANumber));
        assert_eq!(PhoneNumber::parse("65 12345a"), Err(NotANumber));
        assert_eq!(PhoneNumber::parse("65+123456"), Err(NotANumber));
        assert_eq!(PhoneNumber::parse("()-"), Err(NotANumber));
        assert_eq!(
            PhoneNumber::parse("+7 916 123 45 67"),
            Err(NotTurkmenMobile)
        );
        assert_eq!(PhoneNumber::parse("+993 12 345678"), Err(NotTurkmenMobile)); // landline
        assert_eq!(PhoneNumber::parse("+993 66 123456"), Err(NotTurkmenMobile));
        assert_eq!(PhoneNumber::parse("+993 60 123456"), Err(NotTurkmenMobile));
        assert_eq!(PhoneNumber::parse("+993 65 12345"), Err(WrongLength));
        assert_eq!(PhoneNumber::parse("+993 65 1234567"), Err(WrongLength));
        assert_eq!(PhoneNumber::parse("8 65 12345"), Err(WrongLength));
        assert_eq!(PhoneNumber::parse("+993"), Err(WrongLength));
        assert_eq!(PhoneNumber::parse("6"), Err(WrongLength));
    }

    #[test]
    fn phone_serialises_as_e164() {
        let phone = PhoneNumber::parse("8 65 123456").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"+99365123456\"");
        let back: PhoneNumber = serde_json::from_str("\"865123456\"").unwrap();
        assert_eq!(back, phone);
    }

    // --- email

    #[test]
    fn emails() {
        use EmailError::*;
        assert_eq!(
            Email::parse(" Merdan.Amanow@Example.COM ")
                .unwrap()
                .as_str(),
            "Merdan.Amanow@example.com"
        );
        assert!(Email::parse("a+tag@mail.gov.tm").is_ok());
        assert!(Email::parse("x@my-host.tm").is_ok());
        assert_eq!(Email::parse(""), Err(Empty));
        assert_eq!(Email::parse("merdan"), Err(NotAnAddress));
        assert_eq!(Email::parse("a@b@example.com"), Err(NotAnAddress));
        assert_eq!(Email::parse("@example.com"), Err(LocalPart));
        assert_eq!(Email::parse("mer dan@example.com"), Err(LocalPart));
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(65))),
            Err(LocalPart)
        );
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(64))).is_ok());
        assert_eq!(Email::parse("merdan@localhost"), Err(Domain));
        assert_eq!(Email::parse("merdan@example..com"), Err(Domain));
        assert_eq!(Email::parse("merdan@example.com."), Err(Domain));
        assert_eq!(Email::parse("merdan@-example.com"), Err(Domain));
        assert_eq!(Email::parse("merdan@exa_mple.com"), Err(Domain));
        assert_eq!(Email::parse("merdan@türkmen.tm"), Err(Domain));
        let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(186));
        assert_eq!(long.len(), 255);
        assert_eq!(Email::parse(&long), Err(TooLong { max: 254 }));
    }

    // --- dates of birth

    #[test]
    fn dates_of_birth() {
        let today = date(2026, 6, 1);
        assert_eq!(
            DateOfBirth::parse("1990-04-12", today).unwrap().date(),
            date(1990, 4, 12)
        );
        assert_eq!(
            DateOfBirth::parse("2026-06-01", today).unwrap().date(),
            today
        );
        assert_eq!(
            DateOfBirth::parse("1900-01-01", today).unwrap().date(),
            date(1900, 1, 1)
        );
        assert_eq!(DateOfBirth::parse("", today), Err(DateOfBirthError::Empty));
        assert_eq!(
            DateOfBirth::parse("2026-06-02", today),
            Err(DateOfBirthError::InFuture)
        );
        assert_eq!(
            DateOfBirth::parse("1899-12-31", today),
            Err(DateOfBirthError::TooEarly)
        );
        for bad in [
            "12.04.1990",
            "1990-4-12",
            "1990-02-30",
            "+1990-04-12",
            "19900412",
            "x",
        ] {
            assert_eq!(
                DateOfBirth::parse(bad, today),
                Err(DateOfBirthError::Format),
                "{bad}"
            );
        }
        let born = DateOfBirth::parse("1990-04-12", today).unwrap();
        assert_eq!(serde_json::to_string(&born).unwrap(), "\"1990-04-12\"");
        assert_eq!(born.to_string(), "1990-04-12");
    }

    #[test]
    fn age_counts_full_years_and_turns_on_the_birthday() {
        let born = DateOfBirth::parse("2010-06-15", date(2026, 1, 1)).unwrap();
        assert_eq!(born.age_on(date(2026, 6, 14)), 15);
        assert_eq!(born.age_on(date(2026, 6, 15)), 16);
        assert_eq!(born.age_on(date(2010, 6, 15)), 0);
        assert_eq!(born.age_on(date(2000, 1, 1)), 0);
    }

    #[test]
    fn leap_day_birthdays_fall_on_the_first_of_march_in_common_years() {
        let born = DateOfBirth::parse("2008-02-29", date(2026, 1, 1)).unwrap();
        assert_eq!(born.age_on(date(2024, 2, 28)), 15);
        assert_eq!(born.age_on(date(2024, 2, 29)), 16);
        assert_eq!(born.age_on(date(2025, 2, 28)), 16);
        assert_eq!(born.age_on(date(2025, 3, 1)), 17);
    }

    // --- booking references

    #[test]
    fn references_are_grouped_and_forgiving_to_type() {
        let reference = BookingReference::parse("AG7-K3Q-9XF").unwrap();
        assert_eq!(reference.as_str(), "AG7-K3Q-9XF");
        for raw in [
            "ag7k3q9xf",
            "AG7 K3Q 9XF",
            " ag7--k3q 9xf ",
            "A G 7 K 3 Q 9 X F",
        ] {
            assert_eq!(BookingReference::parse(raw).unwrap(), reference, "{raw}");
        }
        assert_eq!(
            serde_json::to_string(&reference).unwrap(),
            "\"AG7-K3Q-9XF\""
        );
    }

    #[test]
    fn references_reject_look_alikes_and_bad_lengths() {
        use BookingReferenceError::*;
        assert_eq!(BookingReference::parse("AG0-K3Q-9XF"), Err(LookAlike('0')));
        assert_eq!(BookingReference::parse("ago-k3q-9xf"), Err(LookAlike('O')));
        assert_eq!(BookingReference::parse("AG1-K3Q-9XF"), Err(LookAlike('1')));
        assert_eq!(BookingReference::parse("AGi-K3Q-9XF"), Err(LookAlike('I')));
        assert_eq!(
            BookingReference::parse("AG7-K3Q-9X#"),
            Err(InvalidCharacter('#'))
        );
        assert_eq!(
            BookingReference::parse("AG7-K3Q-9XŞ"),
            Err(InvalidCharacter('Ş'))
        );
        assert_eq!(BookingReference::parse("AG7-K3Q-9X"), Err(WrongLength));
        assert_eq!(BookingReference::parse("AG7-K3Q-9XFF"), Err(WrongLength));
        assert_eq!(BookingReference::parse(" - "), Err(Empty));
    }

    #[test]
    fn references_from_random_bits() {
        assert_eq!(BookingReference::from_random(0).as_str(), "222-222-222");
        assert_eq!(
            BookingReference::from_random((1 << 45) - 1).as_str(),
            "ZZZ-ZZZ-ZZZ"
        );
        assert_eq!(
            BookingReference::from_random(1 << 45).as_str(),
            "222-222-222"
        );
        assert_eq!(BookingReference::from_random(33).as_str(), "222-222-233");
    }

    // --- properties

    const TURKMEN_NAME: &str =
        "[A-ZÇÄŽŇÖŞÜÝ][a-zçäžňöşüý]{1,15}((-| )[A-ZÇÄŽŇÖŞÜÝ][a-zçäžňöşüý]{1,15})?";

    fn phone_styles(operator: &str, d: &str) -> Vec<String> {
        let (a, b, c) = (&d[0..2], &d[2..4], &d[4..6]);
        vec![
            format!("+993{operator}{d}"),
            format!("993{operator}{d}"),
            format!("8{operator}{d}"),
            format!("{operator}{d}"),
            format!("+993 {operator} {d}"),
            format!("8 ({operator}) {a}-{b}-{c}"),
            format!("+993-{operator}-{a}{b}-{c}"),
            format!(" 00993.{operator}.{a}.{b}.{c} "),
            format!("+993 ({operator}) {a} {b} {c}"),
        ]
    }

    proptest! {
        #[test]
        fn any_mobile_in_any_style_has_one_canonical_form(
            operator in prop::sample::select(PhoneNumber::OPERATOR_CODES.to_vec()),
            subscriber in "[0-9]{6}",
        ) {
            let canonical = format!("+993{operator}{subscriber}");
            for raw in phone_styles(operator, &subscriber) {
                let phone = PhoneNumber::parse(&raw);
                prop_assert_eq!(phone.as_ref().map(PhoneNumber::as_str), Ok(canonical.as_str()));
            }
        }

        #[test]
        fn phone_parse_never_panics_and_is_idempotent(raw in "[+0-9 ()a.-]{0,20}") {
            if let Ok(phone) = PhoneNumber::parse(&raw) {
                prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Ok(phone.clone()));
                prop_assert_eq!(PhoneNumber::parse(&phone.display()), Ok(phone));
            }
        }

        #[test]
        fn passport_parse_is_idempotent(raw in "[A-Za-zÇÄŽŇÖŞÜÝçäžňöşüý]{1,4}[ -]?[0-9]{6,9}") {
            let number = PassportNumber::parse(&raw).unwrap();
            prop_assert_eq!(PassportNumber::parse(number.as_str()), Ok(number.clone()));
            prop_assert_eq!(PassportNumber::parse(&raw.to_lowercase()), Ok(number.clone()));
            let masked = number.masked();
            prop_assert_eq!(masked.chars().count(), number.as_str().chars().count());
            prop_assert!(number.as_str().ends_with(masked.trim_start_matches('*')));
        }

        #[test]
        fn passport_parse_never_panics(raw in ".{0,30}") {
            if let Ok(number) = PassportNumber::parse(&raw) {
                prop_assert_eq!(PassportNumber::parse(number.as_str()), Ok(number));
            }
        }

        #[test]
        fn names_never_accept_digits_or_angle_brackets(
            before in ".{0,20}", bad in "[0-9<]", after in ".{0,20}",
        ) {
            let raw = format!("{before}{bad}{after}");
            prop_assert!(PersonName::parse(&raw).is_err(), "accepted {:?}", raw);
        }

        #[test]
        fn turkmen_names_round_trip_unchanged(name in TURKMEN_NAME) {
            let parsed = PersonName::parse(&name).unwrap();
            prop_assert_eq!(parsed.as_str(), name.as_str());
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), parsed);
        }

        #[test]
        fn parsed_names_are_normalised(raw in "\\PC{0,70}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert!(!name.as_str().contains("  "));
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(name.as_str().chars().count() <= PersonName::MAX_CHARS);
                prop_assert_eq!(PersonName::parse(name.as_str()), Ok(name.clone()));
            }
        }

        #[test]
        fn email_parse_is_idempotent(raw in "[A-Za-z0-9._+]{1,20}@[A-Za-z0-9]{1,10}(\\.[A-Za-z]{2,6}){1,2}") {
            let email = Email::parse(&raw).unwrap();
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn age_on_the_nth_birthday_is_n(days in 0i64..45_000, years in 0u32..120) {
            let born = date(1900, 1, 1) + chrono::Days::new(days as u64);
            let today = date(2026, 6, 1);
            if let Ok(birth) = DateOfBirth::new(born, today) {
                let birthday = born
                    .with_year(born.year() + years as i32)
                    .unwrap_or_else(|| date(born.year() + years as i32, 3, 1));
                prop_assert_eq!(birth.age_on(birthday), years);
                prop_assert_eq!(birth.age_on(birthday.pred_opt().unwrap()), years.saturating_sub(1));
            }
        }

        #[test]
        fn references_round_trip_for_any_random_number(random in any::<u64>()) {
            let reference = BookingReference::from_random(random);
            prop_assert_eq!(BookingReference::parse(reference.as_str()), Ok(reference.clone()));
            let typed = reference.as_str().replace('-', "").to_lowercase();
            prop_assert_eq!(BookingReference::parse(&typed), Ok(reference.clone()));
            prop_assert!(reference.as_str().chars().all(|c| !"0O1I".contains(c)));
        }

        #[test]
        fn distinct_45_bit_values_give_distinct_references(
            a in 0u64..(1 << 45), b in 0u64..(1 << 45),
        ) {
            prop_assume!(a != b);
            prop_assert_ne!(BookingReference::from_random(a), BookingReference::from_random(b));
        }
    }
}
