//! Step 4's form as a reducer: the people a booking is for as typed, the fields the citizen has
//! left (a field's error shows from then on, and follows the typing), and the errors the server
//! sent back (each until its field is edited). Checked by the very parser the server runs,
//! [`parse_booking_request`], so the citizen sees the same rules and words before sending.

use chrono::NaiveDate;
use nobat_domain::availability::Slot;
use nobat_domain::booking::{ApplicantInput, FieldErrors, PassportInput, MAX_APPLICANTS};
use nobat_domain::booking_api::{parse_booking_request, BookingRequest, SeatRequest};
use nobat_domain::catalog::Code;
use nobat_domain::Language;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// One input of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Surname,
    GivenName,
    Patronymic,
    DateOfBirth,
    Phone,
    Email,
    PassportNumber,
    IssuedOn,
    IssuedBy,
    ExpiresOn,
}

impl Field {
    pub const PERSONAL: [Field; 6] = [
        Field::Surname,
        Field::GivenName,
        Field::Patronymic,
        Field::DateOfBirth,
        Field::Phone,
        Field::Email,
    ];
    pub const PASSPORT: [Field; 4] = [
        Field::PassportNumber,
        Field::IssuedOn,
        Field::IssuedBy,
        Field::ExpiresOn,
    ];

    /// The field's path inside one applicant, as the API names it.
    pub fn path(self) -> &'static str {
        match self {
            Field::Surname => "surname",
            Field::GivenName => "given_name",
            Field::Patronymic => "patronymic",
            Field::DateOfBirth => "date_of_birth",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::PassportNumber => "passport.number",
            Field::IssuedOn => "passport.issued_on",
            Field::IssuedBy => "passport.issued_by",
            Field::ExpiresOn => "passport.expires_on",
        }
    }

    pub fn optional(self) -> bool {
        matches!(self, Field::Patronymic | Field::Email)
    }

    pub fn value(self, input: &ApplicantInput) -> &str {
        match self {
            Field::Surname => &input.surname,
            Field::GivenName => &input.given_name,
            Field::Patronymic => input.patronymic.as_deref().unwrap_or_default(),
            Field::DateOfBirth => &input.date_of_birth,
            Field::Phone => &input.phone,
            Field::Email => input.email.as_deref().unwrap_or_default(),
            Field::PassportNumber => &input.passport.number,
            Field::IssuedOn => &input.passport.issued_on,
            Field::IssuedBy => &input.passport.issued_by,
            Field::ExpiresOn => &input.passport.expires_on,
        }
    }

    fn set(self, input: &mut ApplicantInput, value: String) {
        let optional = || Some(value.clone()).filter(|v| !v.trim().is_empty());
        match self {
            Field::Surname => input.surname = value,
            Field::GivenName => input.given_name = value,
            Field::Patronymic => input.patronymic = optional(),
            Field::DateOfBirth => input.date_of_birth = value,
            Field::Phone => input.phone = value,
            Field::Email => input.email = optional(),
            Field::PassportNumber => input.passport.number = value,
            Field::IssuedOn => input.passport.issued_on = value,
            Field::IssuedBy => input.passport.issued_by = value,
            Field::ExpiresOn => input.passport.expires_on = value,
        }
    }
}

/// `applicants[1].passport.number`: where the API reports a field of the second person.
pub fn field_path(person: usize, field: Field) -> String {
    format!("applicants[{person}].{}", field.path())
}

/// The server names the fields of a one-person request `applicant.…`; the form always sends
/// `applicants`, but either way the error lands on the first person's field.
fn normalise(path: &str) -> String {
    match path.strip_prefix("applicant.") {
        Some(rest) => format!("applicants[0].{rest}"),
        None => path.to_owned(),
    }
}

fn blank() -> ApplicantInput {
    ApplicantInput {
        surname: String::new(),
        given_name: String::new(),
        patronymic: None,
        date_of_birth: String::new(),
        phone: String::new(),
        email: None,
        passport: PassportInput {
            number: String::new(),
            issued_on: String::new(),
            issued_by: String::new(),
            expires_on: String::new(),
        },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct People {
    pub applicants: Vec<ApplicantInput>,
    /// The paths of the fields the citizen has left.
    left: BTreeSet<String>,
    /// Every error shows (the citizen tried to go on).
    show_all: bool,
    /// What the server said, by path, until the field changes.
    server: FieldErrors,
}

impl Default for People {
    fn default() -> Self {
        People {
            applicants: vec![blank()],
            left: BTreeSet::new(),
            show_all: false,
            server: FieldErrors::new(),
        }
    }
}

pub enum PeopleAction {
    /// How many people (kept within 1 to [`MAX_APPLICANTS`]); those already typed are kept.
    Count(usize),
    Edit(usize, Field, String),
    Leave(usize, Field),
    /// Show every error: the citizen tried to continue.
    ShowAll,
    /// The server refused these fields.
    Refused(FieldErrors),
}

impl People {
    /// The request this form makes for a slot.
    pub fn request(
        &self,
        branch: &Code,
        service: &Code,
        slot: &Slot,
        language: Language,
    ) -> BookingRequest {
        BookingRequest {
            branch: branch.as_str().to_owned(),
            service: service.as_str().to_owned(),
            start: slot.start.to_rfc3339(),
            language: Some(language.code().to_owned()),
            applicant: None,
            applicants: Some(self.applicants.clone()),
        }
    }

    /// Checks a request exactly as the server will, with the server's refusals on top.
    pub fn check(
        &self,
        request: &BookingRequest,
        today: NaiveDate,
        language: Language,
    ) -> Result<SeatRequest, FieldErrors> {
        let mut errors = match parse_booking_request(request, today, language) {
            Ok(seat) if self.server.is_empty() => return Ok(seat),
            Ok(_) => FieldErrors::new(),
            Err(errors) => errors,
        };
        for (path, message) in &self.server {
            errors.insert(path.clone(), message.clone());
        }
        Err(errors)
    }

    /// The error to show now under the field at `path`, out of everything `errors` holds.
    pub fn shown<'a>(&self, path: &str, errors: &'a FieldErrors) -> Option<&'a str> {
        let visible = self.show_all || self.left.contains(path) || self.server.contains_key(path);
        errors.get(path).filter(|_| visible).map(String::as_str)
    }

    pub fn showing_all(&self) -> bool {
        self.show_all
    }
}

impl Reducible for People {
    type Action = PeopleAction;

    fn reduce(self: Rc<Self>, action: PeopleAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PeopleAction::Count(count) => {
                let count = count.clamp(1, MAX_APPLICANTS);
                next.applicants.resize_with(count, blank);
                next.server
                    .retain(|path, _| !path.starts_with("applicants"));
            }
            PeopleAction::Edit(person, field, value) => {
                let Some(input) = next.applicants.get_mut(person) else {
                    return self;
                };
                field.set(input, value);
                next.server.remove(&field_path(person, field));
            }
            PeopleAction::Leave(person, field) => {
                next.left.insert(field_path(person, field));
            }
            PeopleAction::ShowAll => next.show_all = true,
            PeopleAction::Refused(errors) => {
                next.server = errors
                    .iter()
                    .map(|(path, message)| (normalise(path), message.clone()))
                    .collect();
                next.show_all = true;
            }
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
    }

    fn slot() -> Slot {
        serde_json::from_value(json!({
            "start": "2026-12-01T09:30:00+05:00", "end": "2026-12-01T10:00:00+05:00",
            "capacity": 2, "remaining": 2
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn code(text: &str) -> Code {
        Code::parse(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn check(people: &People, language: Language) -> Result<SeatRequest, FieldErrors> {
        let request = people.request(
            &code("dashoguz"),
            &code("passport-international"),
            &slot(),
            language,
        );
        people.check(&request, today(), language)
    }

    fn filled() -> Rc<People> {
        let values = [
            (Field::Surname, "Amanow"),
            (Field::GivenName, "Merdan"),
            (Field::DateOfBirth, "1990-05-17"),
            (Field::Phone, "+993 65 123456"),
            (Field::PassportNumber, "A1234567"),
            (Field::IssuedOn, "2019-03-01"),
            (Field::IssuedBy, "Aşgabat"),
            (Field::ExpiresOn, "2029-03-01"),
        ];
        values
            .into_iter()
            .fold(Rc::new(People::default()), |people, (field, value)| {
                people.reduce(PeopleAction::Edit(0, field, value.into()))
            })
    }

    #[test]
    fn errors_show_once_a_field_is_left_and_follow_the_typing() {
        let people = Rc::new(People::default());
        let errors = check(&people, Language::Tk).err().unwrap_or_default();
        let surname = field_path(0, Field::Surname);
        assert!(errors.contains_key(&surname));
        assert_eq!(
            people.shown(&surname, &errors),
            None,
            "not before the field is left"
        );
        let people = people.reduce(PeopleAction::Leave(0, Field::Surname));
        assert_eq!(people.shown(&surname, &errors), Some("bu meýdany dolduryň"));
        let people = people.reduce(PeopleAction::Edit(0, Field::Surname, "Amanow".into()));
        let errors = check(&people, Language::Tk).err().unwrap_or_default();
        assert_eq!(people.shown(&surname, &errors), None);
        let phone = field_path(0, Field::Phone);
        assert_eq!(people.shown(&phone, &errors), None);
        let people = people.reduce(PeopleAction::ShowAll);
        assert!(
            people.shown(&phone, &errors).is_some(),
            "every error after trying to go on"
        );
    }

    #[test]
    fn a_complete_person_passes_the_servers_own_parser() {
        let people = filled();
        let seat = check(&people, Language::En).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(seat.applicants.len(), 1);
        assert_eq!(seat.applicants[0].full_name(), "Amanow Merdan");
        let request = people.request(
            &code("dashoguz"),
            &code("passport-international"),
            &slot(),
            Language::En,
        );
        assert_eq!(request.start, "2026-12-01T09:30:00+05:00");
        let body = serde_json::to_value(&request).unwrap_or_default();
        assert!(
            body["applicants"][0].get("patronymic").is_none(),
            "an empty patronymic is not sent"
        );
    }

    #[test]
    fn a_second_person_with_the_same_passport_is_refused() {
        let people = filled().reduce(PeopleAction::Count(2));
        assert_eq!(people.applicants.len(), 2);
        let mut people = people;
        for field in Field::PERSONAL.into_iter().chain(Field::PASSPORT) {
            let value = field.value(&people.applicants[0]).to_owned();
            people = people.reduce(PeopleAction::Edit(1, field, value));
        }
        let errors = check(&people, Language::En).err().unwrap_or_default();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            vec!["applicants[1].passport.number"]
        );
        let fewer = people.reduce(PeopleAction::Count(9));
        assert_eq!(fewer.applicants.len(), MAX_APPLICANTS);
        assert_eq!(fewer.reduce(PeopleAction::Count(0)).applicants.len(), 1);
    }

    #[test]
    fn the_servers_refusals_land_on_their_fields_until_edited() {
        let people = filled().reduce(PeopleAction::Refused(
            [("applicant.phone".to_owned(), "not in service".to_owned())].into(),
        ));
        let phone = field_path(0, Field::Phone);
        let errors = check(&people, Language::En).err().unwrap_or_default();
        assert_eq!(people.shown(&phone, &errors), Some("not in service"));
        let people = people.reduce(PeopleAction::Edit(0, Field::Phone, "+993 65 654321".into()));
        assert!(check(&people, Language::En).is_ok());
    }
}
