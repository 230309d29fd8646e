//! A booking: the people it is for (as sent and as parsed), the states it goes through, and
//! what it costs.
//!
//! The wire types ([`ApplicantInput`], [`PassportInput`]) hold raw strings so that a bad value
//! becomes a message under its field rather than a JSON error for the whole body;
//! [`parse_applicant`] turns them into an [`Applicant`] or reports every invalid field.

use crate::catalog::Exemption;
use crate::identity::{
    parse_iso_date, DateOfBirth, DateOfBirthError, Email, EmailError, PassportNumber,
    PassportNumberError, PersonName, PersonNameError, PhoneNumber, PhoneNumberError,
};
use crate::{Language, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most people one booking may be for.
pub const MAX_APPLICANTS: usize = 5;

/// Field path (`applicants[0].passport.number`) → what is wrong with it, in the reader's language.
pub type FieldErrors = BTreeMap<String, String>;

// ---------------------------------------------------------------------------------------------
// Wire input

/// A passport as the citizen types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "number": "A1234567",
    "issued_on": "2020-05-20",
    "issued_by": "Türkmenistanyň Döwlet migrasiýa gullugy",
    "expires_on": "2030-05-19"
})))]
pub struct PassportInput {
    /// 1-4 letters and 6-9 digits; spaces, dashes and lower case are accepted.
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// The issuing office, 2-100 characters.
    pub issued_by: String,
    /// `YYYY-MM-DD`; the passport must still be valid on the day of the appointment.
    pub expires_on: String,
}

/// One person a booking is for, as the citizen types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "surname": "Amanow",
    "given_name": "Merdan",
    "patronymic": "Batyrowiç",
    "date_of_birth": "1990-04-12",
    "phone": "+993 65 123456",
    "email": "merdan.amanow@example.com",
    "passport": {
        "number": "A1234567",
        "issued_on": "2020-05-20",
        "issued_by": "Türkmenistanyň Döwlet migrasiýa gullugy",
        "expires_on": "2030-05-19"
    }
})))]
pub struct ApplicantInput {
    pub surname: String,
    pub given_name: String,
    /// The father's name; absent or empty when the person has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// A Turkmen mobile number: `+993 65 123456`, `865123456`, `65123456`...
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub passport: PassportInput,
}

// ---------------------------------------------------------------------------------------------
// Parsed

/// A passport whose number, dates and issuer have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passport {
    pub number: PassportNumber,
    pub issued_on: NaiveDate,
    /// Trimmed, 2 to 100 characters.
    pub issued_by: String,
    pub expires_on: NaiveDate,
}

/// A person a booking is for, every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub surname: PersonName,
    pub given_name: PersonName,
    pub patronymic: Option<PersonName>,
    pub date_of_birth: DateOfBirth,
    pub phone: PhoneNumber,
    pub email: Option<Email>,
    pub passport: Passport,
}

impl Applicant {
    /// Surname, given name and patronymic, as in Turkmen documents: `Amanow Merdan Batyrowiç`.
    pub fn full_name(&self) -> String {
        let mut name = format!("{} {}", self.surname, self.given_name);
        if let Some(patronymic) = &self.patronymic {
            name.push(' ');
            name.push_str(patronymic.as_str());
        }
        name
    }

    /// Full years of age on `date` (the appointment's date, for fees).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        self.date_of_birth.age_on(date)
    }
}

/// What can be wrong with an applicant beyond the rules of each field's own type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingInputError {
    /// A required text is empty.
    Missing,
    /// Not a date written `YYYY-MM-DD`.
    DateFormat,
    IssuerLength {
        min: usize,
        max: usize,
    },
    /// A control or formatting character (NUL, a line break, a bidirectional override...).
    ControlCharacter,
    IssuedInFuture,
    IssuedBeforeBirth,
    ExpiresNotAfterIssue,
    /// The passport expires before the appointment.
    ExpiresBeforeAppointment {
        appointment: NaiveDate,
    },
    NoApplicants,
    TooManyApplicants {
        max: usize,
    },
    /// Two people of one booking gave the same passport number.
    DuplicatePassport,
}

impl BookingInputError {
    pub fn message(&self, language: Language) -> String {
        let [tk, ru, en]: [String; 3] = match self {
            BookingInputError::Missing => [
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ],
            BookingInputError::DateFormat => [
                "sene ÝÝÝÝ-AA-GG görnüşinde bolmaly, meselem, 2026-06-15".into(),
                "дата должна быть в формате ГГГГ-ММ-ДД, например 2026-06-15".into(),
                "must be a date in the form YYYY-MM-DD, such as 2026-06-15".into(),
            ],
            BookingInputError::IssuerLength { min, max } => [
                format!("{min}-den {max}-e çenli belgiden ybarat bolmaly"),
                format!("должно содержать от {min} до {max} символов"),
                format!("must be {min} to {max} characters long"),
            ],
            BookingInputError::ControlCharacter => [
                "dolandyryş belgisi bolmaly däl (meselem, NUL ýa-da setir geçişi)".into(),
                "не должно содержать управляющих символов (например, NUL или перевода строки)"
                    .into(),
                "must not contain control characters (such as NUL or a line break)".into(),
            ],
            BookingInputError::IssuedInFuture => [
                "berlen senesi geljekde bolup bilmez".into(),
                "дата выдачи не может быть в будущем".into(),
                "the date of issue must not be in the future".into(),
            ],
            BookingInputError::IssuedBeforeBirth => [
                "berlen senesi doglan senesinden öň bolup bilmez".into(),
                "дата выдачи не может быть раньше даты рождения".into(),
                "the date of issue must not be before the date of birth".into(),
            ],
            BookingInputError::ExpiresNotAfterIssue => [
                "möhletiniň gutarýan senesi berlen senesinden soň bolmaly".into(),
                "дата окончания срока действия должна быть позже даты выдачи".into(),
                "the date of expiry must be after the date of issue".into(),
            ],
            BookingInputError::ExpiresBeforeAppointment { appointment } => {
                let day = appointment.format("%d.%m.%Y");
                [
                    format!("pasportyň möhleti kabul gününden ({day}) öň gutarýar"),
                    format!("срок действия паспорта истекает до дня приёма ({day})"),
                    format!("the passport expires before the appointment on {day}"),
                ]
            }
            BookingInputError::NoApplicants => [
                "azyndan bir adam goşuň".into(),
                "добавьте хотя бы одного человека".into(),
                "add at least one person".into(),
            ],
            BookingInputError::TooManyApplicants { max } => [
                format!("bir gezekde iň köp {max} adamy ýazdyryp bolýar"),
                format!("за один раз можно записать не более {max} человек"),
                format!("at most {max} people can be booked at once"),
            ],
            BookingInputError::DuplicatePassport => [
                "bu pasport belgisi şu ýazylyşda başga adam üçin eýýäm görkezildi".into(),
                "этот номер паспорта уже указан для другого человека в этой записи".into(),
                "this passport number is already given for another person in this booking".into(),
            ],
        };
        match language {
            Language::Tk => tk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}

impl fmt::Display for BookingInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for BookingInputError {}

/// Collects the errors of one applicant under its path, keeping the first error of each field.
struct Report<'a> {
    path: &'a str,
    language: Language,
    errors: &'a mut FieldErrors,
    failed: bool,
}

impl Report<'_> {
    fn fail(&mut self, field: &str, message: String) {
        self.failed = true;
        let key = if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        };
        self.errors.entry(key).or_insert(message);
    }

    fn take<T, E>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
        message: impl Fn(&E, Language) -> String,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                let text = message(&error, self.language);
                self.fail(field, text);
                None
            }
        }
    }

    /// An optional text: absent, empty or blank all mean "not given".
    fn take_optional<T, E>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl Fn(&str) -> Result<T, E>,
        message: impl Fn(&E, Language) -> String,
    ) -> Option<Option<T>> {
        match raw.filter(|raw| !raw.trim().is_empty()) {
            None => Some(None),
            Some(raw) => self.take(field, parse(raw), message).map(Some),
        }
    }
}

fn parse_date(raw: &str) -> Result<NaiveDate, BookingInputError> {
    if raw.trim().is_empty() {
        Err(BookingInputError::Missing)
    } else {
        parse_iso_date(raw).ok_or(BookingInputError::DateFormat)
    }
}

const ISSUER_CHARS: (usize, usize) = (2, 100);

fn parse_issuer(raw: &str) -> Result<String, BookingInputError> {
    let issuer = raw.trim();
    let (min, max) = ISSUER_CHARS;
    if issuer.is_empty() {
        Err(BookingInputError::Missing)
    } else if issuer.chars().any(crate::is_control_or_format) {
        Err(BookingInputError::ControlCharacter)
    } else if !(min..=max).contains(&issuer.chars().count()) {
        Err(BookingInputError::IssuerLength { min, max })
    } else {
        Ok(issuer.to_owned())
    }
}

/// Parses one applicant, reporting every invalid field into `errors` under `path`
/// (`applicant` gives `applicant.surname`, `applicant.passport.number`, ...; an empty path gives
/// bare field names) in `language`. `today` is the local date; `on` is the appointment's date,
/// on which the passport must still be valid. `None` when anything was wrong.
pub fn parse_applicant(
    input: &ApplicantInput,
    path: &str,
    today: NaiveDate,
    on: NaiveDate,
    language: Language,
    errors: &mut FieldErrors,
) -> Option<Applicant> {
    let mut report = Report {
        path,
        language,
        errors,
        failed: false,
    };
    let surname = report.take(
        "surname",
        PersonName::parse(&input.surname),
        PersonNameError::message,
    );
    let given_name = report.take(
        "given_name",
        PersonName::parse(&input.given_name),
        PersonNameError::message,
    );
    let patronymic = report.take_optional(
        "patronymic",
        input.patronymic.as_deref(),
        PersonName::parse,
        PersonNameError::message,
    );
    let date_of_birth = report.take(
        "date_of_birth",
        DateOfBirth::parse(&input.date_of_birth, today),
        DateOfBirthError::message,
    );
    let phone = report.take(
        "phone",
        PhoneNumber::parse(&input.phone),
        PhoneNumberError::message,
    );
    let email = report.take_optional(
        "email",
        input.email.as_deref(),
        Email::parse,
        EmailError::message,
    );

    let passport = &input.passport;
    let number = report.take(
        "passport.number",
        PassportNumber::parse(&passport.number),
        PassportNumberError::message,
    );
    let issued_by = report.take(
        "passport.issued_by",
        parse_issuer(&passport.issued_by),
        BookingInputError::message,
    );
    let issued_on = report.take(
        "passport.issued_on",
        parse_date(&passport.issued_on),
        BookingInputError::message,
    );
    let expires_on = report.take(
        "passport.expires_on",
        parse_date(&passport.expires_on),
        BookingInputError::message,
    );

    if let Some(issued) = issued_on {
        let before_birth = date_of_birth.is_some_and(|born| issued < born.date());
        if issued > today {
            report.fail(
                "passport.issued_on",
                BookingInputError::IssuedInFuture.message(language),
            );
        } else if before_birth {
            report.fail(
                "passport.issued_on",
                BookingInputError::IssuedBeforeBirth.message(language),
            );
        }
    }
    if let Some(expires) = expires_on {
        if issued_on.is_some_and(|issued| expires <= issued) {
            report.fail(
                "passport.expires_on",
                BookingInputError::ExpiresNotAfterIssue.message(language),
            );
        } else if expires < on {
            report.fail(
                "passport.expires_on",
                BookingInputError::ExpiresBeforeAppointment { appointment: on }.message(language),
            );
        }
    }

    if report.failed {
        return None;
    }
    Some(Applicant {
        surname: surname?,
        given_name: given_name?,
        patronymic: patronymic?,
        date_of_birth: date_of_birth?,
        phone: phone?,
        email: email?,
        passport: Passport {
            number: number?,
            issued_on: issued_on?,
            issued_by: issued_by?,
            expires_on: expires_on?,
        },
    })
}

/// Parses the people of one booking: 1 to [`MAX_APPLICANTS`], each under `applicants[i]`
/// (0-based, as in the JSON array), no passport number twice. Every error is reported.
pub fn parse_applicants(
    inputs: &[ApplicantInput],
    today: NaiveDate,
    on: NaiveDate,
    language: Language,
) -> Result<Vec<Applicant>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if inputs.is_empty() {
        errors.insert(
            "applicants".into(),
            BookingInputError::NoApplicants.message(language),
        );
    } else if inputs.len() > MAX_APPLICANTS {
        errors.insert(
            "applicants".into(),
            BookingInputError::TooManyApplicants {
                max: MAX_APPLICANTS,
            }
            .message(language),
        );
    }
    let mut applicants = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let path = format!("applicants[{i}]");
        if let Some(applicant) = parse_applicant(input, &path, today, on, language, &mut errors) {
            let repeated = applicants
                .iter()
                .any(|a: &Applicant| a.passport.number == applicant.passport.number);
            if repeated {
                errors.insert(
                    format!("{path}.passport.number"),
                    BookingInputError::DuplicatePassport.message(language),
                );
            }
            applicants.push(applicant);
        }
    }
    if errors.is_empty() {
        Ok(applicants)
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/// Where a booking is in its life (DESIGN.md §2, "Booking lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// A seat is held while the citizen pays.
    Held,
    /// Paid; the seat is the citizen's.
    Confirmed,
    /// The citizen has arrived at the branch.
    CheckedIn,
    /// At a counter now.
    Serving,
    Served,
    /// Called and not there.
    NoShow,
    /// Not checked in by the slot's start: the citizen must book anew.
    Missed,
    Cancelled,
    /// Not paid within the hold; the seat was released.
    Expired,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 9] = [
        BookingStatus::Held,
        BookingStatus::Confirmed,
        BookingStatus::CheckedIn,
        BookingStatus::Serving,
        BookingStatus::Served,
        BookingStatus::NoShow,
        BookingStatus::Missed,
        BookingStatus::Cancelled,
        BookingStatus::Expired,
    ];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Held => "held",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::Serving => "serving",
            BookingStatus::Served => "served",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Missed => "missed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<BookingStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the booking holds a seat and blocks a second booking for the same passport and
    /// service.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            BookingStatus::Held
                | BookingStatus::Confirmed
                | BookingStatus::CheckedIn
                | BookingStatus::Serving
        )
    }

    /// Whether no state follows this one.
    pub fn is_terminal(self) -> bool {
        !Self::ALL.into_iter().any(|next| self.can_become(next))
    }

    /// Whether a booking in this state may move to `next`.
    pub fn can_become(self, next: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, next),
            (Held, Confirmed | Expired | Cancelled)
                | (Confirmed, CheckedIn | Missed | Cancelled)
                | (CheckedIn, Serving | NoShow)
                | (Serving, Served | NoShow)
        )
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

// ---------------------------------------------------------------------------------------------
// Fees

/// The fee one person pays for a service whose fee is `base`.
///
/// Only [`Exemption::ChildUnder16`] is applied here, from the age on the appointment's date:
/// whether someone is a veteran or disabled cannot be told from the applicant's data, so those
/// exemptions are never applied automatically (they need a document checked by staff).
pub fn fee_for(base: Money, exemptions: &[Exemption], age_on_appointment: u32) -> Money {
    if exemptions.contains(&Exemption::ChildUnder16) && age_on_appointment < 16 {
        Money::ZERO
    } else {
        base
    }
}

/// What a booking for `applicants` costs, with ages taken on `on`, the appointment's date.
pub fn total_fee(
    base: Money,
    exemptions: &[Exemption],
    applicants: &[Applicant],
    on: NaiveDate,
) -> Money {
    let minor = applicants
        .iter()
        .map(|a| fee_for(base, exemptions, a.age_on(on)).amount_minor)
        .fold(0i64, i64::saturating_add);
    Money::tmt(minor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 6, 1);
    const ON: (i32, u32, u32) = (2026, 6, 15);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn on() -> NaiveDate {
        date(ON.0, ON.1, ON.2)
    }

    fn merdan() -> ApplicantInput {
        ApplicantInput {
            surname: "Amanow".into(),
            given_name: "Merdan".into(),
            patronymic: Some("Batyrowiç".into()),
            date_of_birth: "1990-04-12".into(),
            phone: "8 65 12-34-56".into(),
            email: Some("Merdan@Example.com".into()),
            passport: PassportInput {
                number: "a 1234567".into(),
                issued_on: "2020-05-20".into(),
                issued_by: "  Türkmenistanyň Döwlet migrasiýa gullugy ".into(),
                expires_on: "2030-05-19".into(),
            },
        }
    }

    fn parse(input: &ApplicantInput, language: Language) -> (Option<Applicant>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let applicant = parse_applicant(input, "applicant", today(), on(), language, &mut errors);
        (applicant, errors)
    }

    #[test]
    fn a_valid_applicant_is_parsed() {
        let (applicant, errors) = parse(&merdan(), Language::Tk);
        assert!(errors.is_empty(), "{errors:?}");
        let applicant = applicant.unwrap();
        assert_eq!(applicant.full_name(), "Amanow Merdan Batyrowiç");
        assert_eq!(applicant.phone.as_str(), "+99365123456");
        assert_eq!(applicant.email.unwrap().as_str(), "Merdan@example.com");
        assert_eq!(applicant.passport.number.as_str(), "A1234567");
        assert_eq!(
            applicant.passport.issued_by,
            "Türkmenistanyň Döwlet migrasiýa gullugy"
        );
        assert_eq!(applicant.passport.issued_on, date(2020, 5, 20));
        assert_eq!(applicant.passport.expires_on, date(2030, 5, 19));
        assert_eq!(applicant.date_of_birth.date(), date(1990, 4, 12));
    }

    #[test]
    fn empty_optional_fields_count_as_absent() {
        for blank in [None, Some(String::new()), Some("  ".to_owned())] {
            let mut input = merdan();
            input.patronymic = blank.clone();
            input.email = blank;
            let (applicant, errors) = parse(&input, Language::En);
            assert!(errors.is_empty(), "{errors:?}");
            let applicant = applicant.unwrap();
            assert_eq!(applicant.patronymic, None);
            assert_eq!(applicant.email, None);
            assert_eq!(applicant.full_name(), "Amanow Merdan");
        }
    }

    #[test]
    fn every_invalid_field_is_reported_under_its_path() {
        let input = ApplicantInput {
            surname: "Amanow1".into(),
            given_name: "".into(),
            patronymic: Some("<b>".into()),
            date_of_birth: "12.04.1990".into(),
            phone: "+7 916 1234567".into(),
            email: Some("merdan".into()),
            passport: PassportInput {
                number: "12".into(),
                issued_on: "2020-13-01".into(),
                issued_by: "X".into(),
                expires_on: "".into(),
            },
        };
        let mut errors = FieldErrors::new();
        let applicant = parse_applicant(
            &input,
            "applicants[1]",
            today(),
            on(),
            Language::En,
            &mut errors,
        );
        assert!(applicant.is_none());
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "applicants[1].date_of_birth",
                "applicants[1].email",
                "applicants[1].given_name",
                "applicants[1].passport.expires_on",
                "applicants[1].passport.issued_by",
                "applicants[1].passport.issued_on",
                "applicants[1].passport.number",
                "applicants[1].patronymic",
                "applicants[1].phone",
                "applicants[1].surname",
            ]
        );
        assert_eq!(errors["applicants[1].given_name"], "must not be empty");
        assert_eq!(
            errors["applicants[1].passport.issued_on"],
            "must be a date in the form YYYY-MM-DD, such as 2026-06-15"
        );
        assert_eq!(
            errors["applicants[1].passport.issued_by"],
            "must be 2 to 100 characters long"
        );
    }

    #[test]
    fn messages_follow_the_language() {
        let mut input = merdan();
        input.passport.issued_on = "2026-06-02".into();
        input.phone = "+993 12 345678".into();
        let (_, tk) = parse(&input, Language::Tk);
        let (_, ru) = parse(&input, Language::Ru);
        let (_, en) = parse(&input, Language::En);
        assert_eq!(
            tk["applicant.passport.issued_on"],
            "berlen senesi geljekde bolup bilmez"
        );
        assert_eq!(
            ru["applicant.passport.issued_on"],
            "дата выдачи не может быть в будущем"
        );
        assert_eq!(
            en["applicant.passport.issued_on"],
            "the date of issue must not be in the future"
        );
        assert!(tk["applicant.phone"].starts_with("Türkmenistanyň ykjam"));
        assert!(ru["applicant.phone"].starts_with("это не мобильный"));
        assert!(en["applicant.phone"].starts_with("is not a Turkmen mobile"));
    }

    #[test]
    fn passport_dates_are_checked_against_each_other_and_the_appointment() {
        let check = |issued: &str, expires: &str, born: &str| {
            let mut input = merdan();
            input.passport.issued_on = issued.into();
            input.passport.expires_on = expires.into();
            input.date_of_birth = born.into();
            parse(&input, Language::En).1
        };
        // Issued before birth.
        let errors = check("1989-01-01", "2030-01-01", "1990-04-12");
        assert_eq!(
            errors["applicant.passport.issued_on"],
            "the date of issue must not be before the date of birth"
        );
        // Issued on the day of birth is fine (a newborn's passport).
        assert!(check("1990-04-12", "2030-01-01", "1990-04-12").is_empty());
        // Issued today is fine; tomorrow is not.
        assert!(check("2026-06-01", "2036-06-01", "1990-04-12").is_empty());
        assert!(check("2026-06-02", "2036-06-01", "1990-04-12")
            .contains_key("applicant.passport.issued_on"));
        // Expiry not after issue.
        let errors = check("2020-05-20", "2020-05-20", "1990-04-12");
        assert_eq!(
            errors["applicant.passport.expires_on"],
            "the date of expiry must be after the date of issue"
        );
        // Expires before the appointment (15.06.2026); on the day itself it is still valid.
        let errors = check("2016-06-14", "2026-06-14", "1990-04-12");
        assert_eq!(
            errors["applicant.passport.expires_on"],
            "the passport expires before the appointment on 15.06.2026"
        );
        assert!(check("2016-06-15", "2026-06-15", "1990-04-12").is_empty());
        // A bad date of birth does not hide the passport's own checks.
        let errors = check("2026-06-02", "2026-06-10", "x");
        assert!(errors.contains_key("applicant.date_of_birth"));
        assert!(errors.contains_key("applicant.passport.issued_on"));
        assert!(errors.contains_key("applicant.passport.expires_on"));
    }

    #[test]
    fn issuer_is_trimmed_and_bounded() {
        let with_issuer = |issuer: String| {
            let mut input = merdan();
            input.passport.issued_by = issuer;
            parse(&input, Language::En)
        };
        assert_eq!(
            with_issuer(" MG ".into()).0.unwrap().passport.issued_by,
            "MG"
        );
        assert!(with_issuer("ý".repeat(100)).0.is_some());
        assert!(with_issuer("ý".repeat(101)).0.is_none());
        assert_eq!(
            with_issuer("   ".into()).1["applicant.passport.issued_by"],
            "must not be empty"
        );
    }

    #[test]
    fn an_empty_path_gives_bare_field_names() {
        let mut input = merdan();
        input.surname = String::new();
        let mut errors = FieldErrors::new();
        parse_applicant(&input, "", today(), on(), Language::En, &mut errors);
        assert!(errors.contains_key("surname"));
    }

    #[test]
    fn errors_of_other_applicants_do_not_fail_this_one() {
        let mut errors = FieldErrors::new();
        errors.insert("applicants[0].surname".into(), "must not be empty".into());
        let applicant = parse_applicant(
            &merdan(),
            "applicants[1]",
            today(),
            on(),
            Language::En,
            &mut errors,
        );
        assert!(applicant.is_some());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_booking_has_one_to_five_people_with_distinct_passports() {
        let tk = Language::Tk;
        let errors = parse_applicants(&[], today(), on(), tk).unwrap_err();
        assert_eq!(errors["applicants"], "azyndan bir adam goşuň");

        let six = vec![merdan(); 6];
        let errors = parse_applicants(&six, today(), on(), Language::En).unwrap_err();
        assert_eq!(
            errors["applicants"],
            "at most 5 people can be booked at once"
        );

        let mut sister = merdan();
        sister.given_name = "Aýna".into();
        sister.passport.number = "A 123 4567".into();
        let errors =
            parse_applicants(&[merdan(), sister.clone()], today(), on(), Language::En).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["applicants[1].passport.number"]
        );

        sister.passport.number = "A7654321".into();
        let applicants = parse_applicants(&[merdan(), sister], today(), on(), tk).unwrap();
        assert_eq!(applicants.len(), 2);
        assert_eq!(applicants[1].full_name(), "Amanow Aýna Batyrowiç");
    }

    #[test]
    fn wire_input_reads_json_with_optional_fields_left_out() {
        let json = serde_json::json!({
            "surname": "Amanow", "given_name": "Merdan", "date_of_birth": "1990-04-12",
            "phone": "865123456",
            "passport": {"number": "A1234567", "issued_on": "2020-05-20",
                         "issued_by": "TDMG", "expires_on": "2030-05-19"}
        });
        let input: ApplicantInput = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(input.patronymic, None);
        assert_eq!(input.email, None);
        assert_eq!(serde_json::to_value(&input).unwrap(), json);
        // A number where a string is expected is a JSON error, but any string is accepted.
        let odd = serde_json::json!({
            "surname": "1", "given_name": "", "date_of_birth": "no",
            "phone": "x", "email": "",
            "passport": {"number": "", "issued_on": "", "issued_by": "", "expires_on": ""}
        });
        assert!(serde_json::from_value::<ApplicantInput>(odd).is_ok());
    }

    // --- lifecycle

    #[test]
    fn transitions_follow_the_lifecycle_exactly() {
        use BookingStatus::*;
        let allowed = [
            (Held, Confirmed),
            (Held, Expired),
            (Held, Cancelled),
            (Confirmed, CheckedIn),
            (Confirmed, Missed),
            (Confirmed, Cancelled),
            (CheckedIn, Serving),
            (CheckedIn, NoShow),
            (Serving, Served),
            (Serving, NoShow),
        ];
        for from in BookingStatus::ALL {
            for to in BookingStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn active_and_terminal_states() {
        use BookingStatus::*;
        let active = [Held, Confirmed, CheckedIn, Serving];
        let terminal = [Served, NoShow, Missed, Cancelled, Expired];
        for status in BookingStatus::ALL {
            assert_eq!(status.is_active(), active.contains(&status), "{status}");
            assert_eq!(status.is_terminal(), terminal.contains(&status), "{status}");
        }
    }

    #[test]
    fn statuses_serialize_as_snake_case_codes() {
        for status in BookingStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(BookingStatus::parse(status.code()), Some(status));
            assert_eq!(
                serde_json::from_str::<BookingStatus>(&json).unwrap(),
                status
            );
        }
        assert_eq!(BookingStatus::CheckedIn.code(), "checked_in");
        assert_eq!(BookingStatus::NoShow.code(), "no_show");
        assert_eq!(BookingStatus::parse("done"), None);
    }

    // --- fees

    #[test]
    fn children_under_16_pay_nothing_where_the_service_says_so() {
        let base = Money::tmt(6000);
        let child = [Exemption::ChildUnder16];
        assert_eq!(fee_for(base, &child, 0), Money::ZERO);
        assert_eq!(fee_for(base, &child, 15), Money::ZERO);
        assert_eq!(fee_for(base, &child, 16), base);
        assert_eq!(fee_for(base, &[], 10), base);
        // Veterans and disabled people prove it at the counter; no automatic exemption.
        assert_eq!(
            fee_for(base, &[Exemption::Veteran, Exemption::Disabled], 70),
            base
        );
    }

    #[test]
    fn total_fee_uses_ages_on_the_appointment_date() {
        let mut father = merdan();
        father.passport.number = "A7654321".into();
        let mut son = merdan();
        son.given_name = "Döwlet".into();
        son.date_of_birth = "2010-06-15".into(); // 16 on the appointment day itself
        son.passport.issued_on = "2020-01-10".into();
        let mut daughter = merdan();
        daughter.given_name = "Ogulgerek".into();
        daughter.date_of_birth = "2010-06-16".into(); // still 15
        daughter.passport.number = "A1111111".into();
        daughter.passport.issued_on = "2020-01-10".into();
        let applicants =
            parse_applicants(&[father, son, daughter], today(), on(), Language::En).unwrap();
        let base = Money::tmt(6000);
        assert_eq!(
            total_fee(base, &[Exemption::ChildUnder16], &applicants, on()),
            Money::tmt(12000)
        );
        assert_eq!(total_fee(base, &[], &applicants, on()), Money::tmt(18000));
        assert_eq!(total_fee(base, &[], &[], on()), Money::ZERO);
    }

    proptest! {
        #[test]
        fn parse_applicant_never_panics_and_fails_with_errors(
            fields in prop::collection::vec(".{0,12}", 10),
            language in 0usize..3,
        ) {
            let input = ApplicantInput {
                surname: fields[0].clone(),
                given_name: fields[1].clone(),
                patronymic: Some(fields[2].clone()),
                date_of_birth: fields[3].clone(),
                phone: fields[4].clone(),
                email: Some(fields[5].clone()),
                passport: PassportInput {
                    number: fields[6].clone(),
                    issued_on: fields[7].clone(),
                    issued_by: fields[8].clone(),
                    expires_on: fields[9].clone(),
                },
            };
            let mut errors = FieldErrors::new();
            let parsed = parse_applicant(
                &input, "applicant", today(), on(), Language::ALL[language], &mut errors,
            );
            prop_assert_eq!(parsed.is_some(), errors.is_empty());
            prop_assert!(errors.keys().all(|k| k.starts_with("applicant.")));
        }

        #[test]
        fn total_is_the_sum_of_each_fee(
            base in 0i64..1_000_000,
            born in prop::collection::vec(1990i32..2026, 0..=MAX_APPLICANTS),
        ) {
            let exemptions = [Exemption::ChildUnder16];
            let inputs: Vec<ApplicantInput> = born
                .iter()
                .enumerate()
                .map(|(i, year)| {
                    let mut input = merdan();
                    input.date_of_birth = format!("{year}-01-01");
                    input.passport.issued_on = "2026-01-01".into();
                    input.passport.number = format!("A{:07}", i);
                    input
                })
                .collect();
            let applicants = if inputs.is_empty() {
                Vec::new()
            } else {
                parse_applicants(&inputs, today(), on(), Language::En).unwrap()
            };
            let expected: i64 = applicants
                .iter()
                .map(|a| fee_for(Money::tmt(base), &exemptions, a.age_on(on())).amount_minor)
                .sum();
            let total = total_fee(Money::tmt(base), &exemptions, &applicants, on());
            prop_assert_eq!(total, Money::tmt(expected));
            prop_assert!(total.amount_minor <= base * applicants.len() as i64);
        }

        #[test]
        fn only_active_states_lead_anywhere(from in 0usize..9, to in 0usize..9) {
            let (from, to) = (BookingStatus::ALL[from], BookingStatus::ALL[to]);
            if from.can_become(to) {
                prop_assert!(from.is_active());
                prop_assert_ne!(from, to);
            }
        }
    }
}
