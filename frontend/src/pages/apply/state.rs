//! The application wizard's state: the application as typed (the domain's own
//! [`ApplicationInput`], which the server parses with the same [`parse_application`]), the step
//! shown, which fields the citizen has left (their errors show), the server's refusals, and
//! whether anything changed since the last save. A reducer, tested natively.

use chrono::NaiveDate;
use nobat_domain::booking::FieldErrors;
use nobat_domain::passport::{
    icao_transliterate, parse_application, ApplicationInput, ApplicationReason, GuardianInput,
    PreviousPassportInput, PreviousPassportRule, CHILD_AGE_LIMIT,
};
use nobat_domain::Language;
use std::collections::BTreeSet;
use std::rc::Rc;

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Reason,
    Person,
    Address,
    /// The previous passport and/or the parent or guardian, when the reason asks for them.
    Previous,
    Photo,
    Documents,
    Review,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Reason,
        Step::Person,
        Step::Address,
        Step::Previous,
        Step::Photo,
        Step::Documents,
        Step::Review,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Reason => "reason",
            Step::Person => "person",
            Step::Address => "address",
            Step::Previous => "previous",
            Step::Photo => "photo",
            Step::Documents => "documents",
            Step::Review => "review",
        }
    }

    /// Whether the field at `path` (or a block's own error) is filled in on this step.
    pub fn owns(self, path: &str) -> bool {
        let top = path.split(['.', '[']).next().unwrap_or(path);
        match self {
            Step::Reason => top == "reason",
            Step::Person => top == "applicant",
            Step::Address => matches!(top, "address" | "phone" | "email" | "collection_branch"),
            Step::Previous => matches!(top, "previous_passport" | "guardian"),
            Step::Photo => top == "photo",
            Step::Documents => false,
            Step::Review => true,
        }
    }
}

/// The fields of the form, by the path the parser and the server name them with.
pub mod path {
    pub const REASON: &str = "reason";
    pub const SURNAME: &str = "applicant.surname";
    pub const GIVEN_NAMES: &str = "applicant.given_names";
    pub const PATRONYMIC: &str = "applicant.patronymic";
    pub const PRINTED_SURNAME: &str = "applicant.printed_surname";
    pub const PRINTED_GIVEN_NAMES: &str = "applicant.printed_given_names";
    pub const DATE_OF_BIRTH: &str = "applicant.date_of_birth";
    pub const PLACE_OF_BIRTH: &str = "applicant.place_of_birth";
    pub const SEX: &str = "applicant.sex";
    pub const NATIONAL_ID: &str = "applicant.national_id";
    pub const VELAYAT: &str = "address.velayat";
    pub const LOCALITY: &str = "address.locality";
    pub const STREET: &str = "address.street";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const BRANCH: &str = "collection_branch";
    pub const PREVIOUS_NUMBER: &str = "previous_passport.number";
    pub const PREVIOUS_ISSUED_ON: &str = "previous_passport.issued_on";
    pub const GUARDIAN_SURNAME: &str = "guardian.surname";
    pub const GUARDIAN_GIVEN_NAMES: &str = "guardian.given_names";
    pub const GUARDIAN_PATRONYMIC: &str = "guardian.patronymic";
    pub const GUARDIAN_RELATION: &str = "guardian.relation";
    pub const GUARDIAN_NATIONAL_ID: &str = "guardian.national_id";
    pub const GUARDIAN_CONSENT: &str = "guardian.consent";

    pub const PERSON: [&str; 9] = [
        SURNAME,
        GIVEN_NAMES,
        PATRONYMIC,
        PRINTED_SURNAME,
        PRINTED_GIVEN_NAMES,
        DATE_OF_BIRTH,
        PLACE_OF_BIRTH,
        SEX,
        NATIONAL_ID,
    ];
    pub const ADDRESS: [&str; 6] = [VELAYAT, LOCALITY, STREET, PHONE, EMAIL, BRANCH];
    pub const PREVIOUS: [&str; 2] = [PREVIOUS_NUMBER, PREVIOUS_ISSUED_ON];
    pub const GUARDIAN: [&str; 6] = [
        GUARDIAN_SURNAME,
        GUARDIAN_GIVEN_NAMES,
        GUARDIAN_PATRONYMIC,
        GUARDIAN_RELATION,
        GUARDIAN_NATIONAL_ID,
        GUARDIAN_CONSENT,
    ];
}

fn optional(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

/// The text of the field at `path` (a printed name shows its ICAO suggestion when not set).
pub fn get(input: &ApplicationInput, at: &str) -> String {
    let a = &input.applicant;
    let previous = input.previous_passport.clone().unwrap_or_default();
    let guardian = input.guardian.clone().unwrap_or_default();
    match at {
        path::REASON => input.reason.clone(),
        path::SURNAME => a.surname.clone(),
        path::GIVEN_NAMES => a.given_names.clone(),
        path::PATRONYMIC => a.patronymic.clone().unwrap_or_default(),
        path::PRINTED_SURNAME => a
            .printed_surname
            .clone()
            .unwrap_or_else(|| icao_transliterate(&a.surname)),
        path::PRINTED_GIVEN_NAMES => a
            .printed_given_names
            .clone()
            .unwrap_or_else(|| icao_transliterate(&a.given_names)),
        path::DATE_OF_BIRTH => a.date_of_birth.clone(),
        path::PLACE_OF_BIRTH => a.place_of_birth.clone(),
        path::SEX => a.sex.clone(),
        path::NATIONAL_ID => a.national_id.clone(),
        path::VELAYAT => input.address.velayat.clone(),
        path::LOCALITY => input.address.locality.clone(),
        path::STREET => input.address.street.clone(),
        path::PHONE => input.phone.clone(),
        path::EMAIL => input.email.clone().unwrap_or_default(),
        path::BRANCH => input.collection_branch.clone(),
        path::PREVIOUS_NUMBER => previous.number,
        path::PREVIOUS_ISSUED_ON => previous.issued_on,
        path::GUARDIAN_SURNAME => guardian.surname,
        path::GUARDIAN_GIVEN_NAMES => guardian.given_names,
        path::GUARDIAN_PATRONYMIC => guardian.patronymic.unwrap_or_default(),
        path::GUARDIAN_RELATION => guardian.relation,
        path::GUARDIAN_NATIONAL_ID => guardian.national_id,
        path::GUARDIAN_CONSENT => guardian.consent.to_string(),
        _ => String::new(),
    }
}

/// Sets the field at `path`. A printed name equal to the suggestion (or emptied) goes back to
/// following the name; an optional text emptied is left out.
pub fn set(input: &mut ApplicationInput, at: &str, value: String) {
    let a = &mut input.applicant;
    match at {
        path::REASON => input.reason = value,
        path::SURNAME => a.surname = value,
        path::GIVEN_NAMES => a.given_names = value,
        path::PATRONYMIC => a.patronymic = optional(value),
        path::PRINTED_SURNAME => {
            let suggestion = icao_transliterate(&a.surname);
            a.printed_surname = optional(value).filter(|v| v.trim() != suggestion);
        }
        path::PRINTED_GIVEN_NAMES => {
            let suggestion = icao_transliterate(&a.given_names);
            a.printed_given_names = optional(value).filter(|v| v.trim() != suggestion);
        }
        path::DATE_OF_BIRTH => a.date_of_birth = value,
        path::PLACE_OF_BIRTH => a.place_of_birth = value,
        path::SEX => a.sex = value,
        path::NATIONAL_ID => a.national_id = value,
        path::VELAYAT => input.address.velayat = value,
        path::LOCALITY => input.address.locality = value,
        path::STREET => input.address.street = value,
        path::PHONE => input.phone = value,
        path::EMAIL => input.email = optional(value),
        path::BRANCH => input.collection_branch = value,
        path::PREVIOUS_NUMBER | path::PREVIOUS_ISSUED_ON => {
            let previous = input
                .previous_passport
                .get_or_insert_with(PreviousPassportInput::default);
            if at == path::PREVIOUS_NUMBER {
                previous.number = value;
            } else {
                previous.issued_on = value;
            }
            if previous.number.trim().is_empty() && previous.issued_on.trim().is_empty() {
                input.previous_passport = None;
            }
        }
        _ if at.starts_with("guardian.") => {
            let guardian = input.guardian.get_or_insert_with(GuardianInput::default);
            match at {
                path::GUARDIAN_SURNAME => guardian.surname = value,
                path::GUARDIAN_GIVEN_NAMES => guardian.given_names = value,
                path::GUARDIAN_PATRONYMIC => guardian.patronymic = optional(value),
                path::GUARDIAN_RELATION => guardian.relation = value,
                path::GUARDIAN_NATIONAL_ID => guardian.national_id = value,
                path::GUARDIAN_CONSENT => guardian.consent = value == "true",
                _ => {}
            }
        }
        _ => {}
    }
}

/// The reason chosen, if it is one.
pub fn reason(input: &ApplicationInput) -> Option<ApplicationReason> {
    ApplicationReason::parse(&input.reason)
}

/// The applicant's age on `today`, once the date of birth reads.
pub fn age(input: &ApplicationInput, today: NaiveDate) -> Option<u32> {
    let born = NaiveDate::parse_from_str(input.applicant.date_of_birth.trim(), "%Y-%m-%d").ok()?;
    today.years_since(born)
}

/// Whether the previous passport is asked for, and whether it must be given.
pub fn asks_previous(input: &ApplicationInput) -> Option<PreviousPassportRule> {
    reason(input)
        .map(ApplicationReason::previous_passport)
        .filter(|rule| *rule != PreviousPassportRule::NotAsked)
}

/// Whether a parent or guardian applies (the child's reason, or an applicant under 16).
pub fn asks_guardian(input: &ApplicationInput, today: NaiveDate) -> bool {
    reason(input).is_some_and(ApplicationReason::needs_guardian)
        || age(input, today).is_some_and(|age| age < CHILD_AGE_LIMIT)
}

/// The steps this application goes through: the Previous step only when it asks something.
pub fn steps(input: &ApplicationInput, today: NaiveDate) -> Vec<Step> {
    let previous = asks_previous(input).is_some() || asks_guardian(input, today);
    Step::ALL
        .into_iter()
        .filter(|&step| step != Step::Previous || previous)
        .collect()
}

/// Where a saved draft continues: the first step with something missing or wrong (by the
/// parser, or by the server's `problems`, which also name a missing photo), else the review.
pub fn resume_step(
    input: &ApplicationInput,
    problems: &FieldErrors,
    today: NaiveDate,
    language: Language,
) -> Step {
    let errors = parse_application(input, today, language)
        .err()
        .unwrap_or_default();
    steps(input, today)
        .into_iter()
        .filter(|step| !matches!(step, Step::Documents | Step::Review))
        .find(|step| errors.keys().chain(problems.keys()).any(|at| step.owns(at)))
        .unwrap_or(Step::Review)
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApplyState {
    pub input: ApplicationInput,
    pub step: Step,
    /// Fields the citizen has left: their errors show from then on.
    pub left: BTreeSet<String>,
    /// What the server refused, by path; a field's refusal goes when it is edited.
    pub refused: FieldErrors,
    /// Changed since the last save.
    pub dirty: bool,
}

impl Default for ApplyState {
    fn default() -> Self {
        ApplyState {
            input: ApplicationInput::default(),
            step: Step::Reason,
            left: BTreeSet::new(),
            refused: FieldErrors::new(),
            dirty: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApplyAction {
    /// A saved draft, to continue.
    Load(Box<ApplicationInput>),
    Edit(&'static str, String),
    Leave(&'static str),
    /// Shows every error of the step (the citizen tried to go on).
    Reveal(Step),
    Go(Step),
    /// The server refused these fields: show them and go to the first step that has one.
    Refused(FieldErrors),
    Saved,
}

impl ApplyState {
    /// What is wrong with the application now, by the server's own rules.
    pub fn errors(&self, today: NaiveDate, language: Language) -> FieldErrors {
        match parse_application(&self.input, today, language) {
            Ok(_) => FieldErrors::new(),
            Err(errors) => errors,
        }
    }

    /// The error to show at `path`: the server's refusal, or the parser's once the field is left.
    pub fn shown<'a>(&'a self, at: &str, errors: &'a FieldErrors) -> Option<&'a str> {
        self.refused
            .get(at)
            .or_else(|| self.left.contains(at).then(|| errors.get(at)).flatten())
            .map(String::as_str)
    }

    /// The errors that keep the citizen on `step`.
    pub fn blocking(&self, step: Step, errors: &FieldErrors) -> Vec<String> {
        errors
            .keys()
            .chain(self.refused.keys())
            // The reason and the date of birth must agree: the person step says so too.
            .filter(|at| {
                (step.owns(at) || (step == Step::Person && *at == path::REASON)) && *at != "photo"
            })
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The step after the current one, for this application.
    pub fn next(&self, today: NaiveDate) -> Option<Step> {
        let steps = steps(&self.input, today);
        let at = steps.iter().position(|&s| s == self.step)?;
        steps.get(at + 1).copied()
    }

    pub fn previous(&self, today: NaiveDate) -> Option<Step> {
        let steps = steps(&self.input, today);
        let at = steps.iter().position(|&s| s == self.step)?;
        at.checked_sub(1).and_then(|i| steps.get(i)).copied()
    }
}

impl yew::Reducible for ApplyState {
    type Action = ApplyAction;

    fn reduce(self: Rc<Self>, action: ApplyAction) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            ApplyAction::Load(input) => {
                state.input = *input;
                state.dirty = false;
                state.refused.clear();
            }
            ApplyAction::Edit(at, value) => {
                set(&mut state.input, at, value);
                state.refused.remove(at);
                // A block's own refusal ("previous_passport") goes with any of its fields.
                if let Some((block, _)) = at.split_once('.') {
                    state.refused.remove(block);
                }
                state.dirty = true;
            }
            ApplyAction::Leave(at) => {
                state.left.insert(at.to_owned());
            }
            ApplyAction::Reveal(step) => {
                let all = path::PERSON
                    .iter()
                    .chain(&path::ADDRESS)
                    .chain(&path::PREVIOUS)
                    .chain(&path::GUARDIAN)
                    .chain(&[path::REASON, "previous_passport", "guardian"]);
                for at in all.filter(|at| step.owns(at)) {
                    state.left.insert((*at).to_owned());
                }
            }
            ApplyAction::Go(step) => state.step = step,
            ApplyAction::Refused(errors) => {
                if let Some(first) = Step::ALL
                    .into_iter()
                    .find(|step| *step != Step::Review && errors.keys().any(|at| step.owns(at)))
                {
                    state.step = first;
                }
                state.refused = errors;
            }
            ApplyAction::Saved => state.dirty = false,
        }
        Rc::new(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yew::Reducible;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
    }

    fn edit(state: Rc<ApplyState>, at: &'static str, value: &str) -> Rc<ApplyState> {
        state.reduce(ApplyAction::Edit(at, value.to_owned()))
    }

    fn complete() -> Rc<ApplyState> {
        let mut state = Rc::new(ApplyState::default());
        for (at, value) in [
            (path::REASON, "renewal_expiring"),
            (path::SURNAME, "Öwezgeldiýewa"),
            (path::GIVEN_NAMES, "Aýna"),
            (path::PATRONYMIC, "Merdanowna"),
            (path::DATE_OF_BIRTH, "1990-04-12"),
            (path::PLACE_OF_BIRTH, "Aşgabat"),
            (path::SEX, "F"),
            (path::NATIONAL_ID, "I-AŞ 123456"),
            (path::VELAYAT, "ashgabat"),
            (path::LOCALITY, "Aşgabat"),
            (path::STREET, "Magtymguly şaýoly 12, 5"),
            (path::PHONE, "+993 65 123456"),
            (path::BRANCH, "ashgabat-1"),
            (path::PREVIOUS_NUMBER, "A1234567"),
            (path::PREVIOUS_ISSUED_ON, "2016-07-01"),
        ] {
            state = edit(state, at, value);
        }
        state
    }

    #[test]
    fn a_complete_application_parses_as_the_server_would() {
        let state = complete();
        assert_eq!(state.errors(today(), Language::En), FieldErrors::new());
        assert!(state.dirty);
        assert!(!state.reduce(ApplyAction::Saved).dirty);
    }

    #[test]
    fn the_printed_name_follows_the_name_until_changed() {
        let state = complete();
        assert_eq!(get(&state.input, path::PRINTED_SURNAME), "OEWEZGELDIYEWA");
        assert_eq!(state.input.applicant.printed_surname, None);
        let state = edit(state, path::PRINTED_SURNAME, "OVEZGELDIYEVA");
        assert_eq!(
            state.input.applicant.printed_surname.as_deref(),
            Some("OVEZGELDIYEVA")
        );
        // Back to the suggestion, or emptied: it follows the name again.
        let state = edit(state, path::PRINTED_SURNAME, "OEWEZGELDIYEWA");
        assert_eq!(state.input.applicant.printed_surname, None);
        let state = edit(state, path::SURNAME, "Amanowa");
        assert_eq!(get(&state.input, path::PRINTED_SURNAME), "AMANOWA");
    }

    #[test]
    fn errors_show_once_a_field_is_left_or_the_server_refuses_it() {
        let state = Rc::new(ApplyState::default());
        let errors = state.errors(today(), Language::En);
        assert!(errors.contains_key(path::SURNAME));
        assert_eq!(state.shown(path::SURNAME, &errors), None);
        let state = state.reduce(ApplyAction::Leave(path::SURNAME));
        assert!(state.shown(path::SURNAME, &errors).is_some());
        let state = state.reduce(ApplyAction::Reveal(Step::Address));
        assert!(state.shown(path::PHONE, &errors).is_some());
        assert_eq!(
            state.shown(path::GIVEN_NAMES, &errors),
            None,
            "another step"
        );
        assert!(!state.blocking(Step::Person, &errors).is_empty());
    }

    #[test]
    fn a_refusal_goes_to_its_step_and_goes_away_when_edited() {
        let state = complete().reduce(ApplyAction::Go(Step::Review));
        let refused = FieldErrors::from([(
            "previous_passport.number".to_owned(),
            "already replaced".to_owned(),
        )]);
        let state = state.reduce(ApplyAction::Refused(refused));
        assert_eq!(state.step, Step::Previous);
        let errors = state.errors(today(), Language::En);
        assert_eq!(
            state.shown(path::PREVIOUS_NUMBER, &errors),
            Some("already replaced")
        );
        assert_eq!(
            state.blocking(Step::Previous, &errors),
            vec![path::PREVIOUS_NUMBER]
        );
        let state = edit(state, path::PREVIOUS_NUMBER, "A7654321");
        assert_eq!(state.shown(path::PREVIOUS_NUMBER, &errors), None);
    }

    #[test]
    fn the_previous_step_is_there_only_when_it_asks_something() {
        let first = edit(
            Rc::new(ApplyState::default()),
            path::REASON,
            "first_passport",
        );
        assert!(!steps(&first.input, today()).contains(&Step::Previous));
        let first = first.reduce(ApplyAction::Go(Step::Address));
        assert_eq!(first.next(today()), Some(Step::Photo));
        let lost = edit(first, path::REASON, "lost");
        assert_eq!(
            asks_previous(&lost.input),
            Some(PreviousPassportRule::Optional)
        );
        assert_eq!(lost.next(today()), Some(Step::Previous));
        // A child's application asks for the parent, whatever the reason says.
        let child = edit(
            edit(
                Rc::new(ApplyState::default()),
                path::REASON,
                "first_passport",
            ),
            path::DATE_OF_BIRTH,
            "2015-01-01",
        );
        assert!(asks_guardian(&child.input, today()));
        assert!(steps(&child.input, today()).contains(&Step::Previous));
        assert_eq!(
            child
                .reduce(ApplyAction::Go(Step::Reason))
                .previous(today()),
            None
        );
    }

    #[test]
    fn a_draft_continues_where_something_is_missing() {
        let none = FieldErrors::new();
        let empty = ApplicationInput::default();
        assert_eq!(
            resume_step(&empty, &none, today(), Language::Tk),
            Step::Reason
        );
        let state = complete();
        let photo = FieldErrors::from([("photo".to_owned(), "missing".to_owned())]);
        assert_eq!(
            resume_step(&state.input, &photo, today(), Language::Tk),
            Step::Photo
        );
        assert_eq!(
            resume_step(&state.input, &none, today(), Language::Tk),
            Step::Review
        );
        let state = edit(state, path::PHONE, "12");
        assert_eq!(
            resume_step(&state.input, &photo, today(), Language::Tk),
            Step::Address
        );
    }

    #[test]
    fn emptied_blocks_and_optional_texts_are_left_out() {
        let state = edit(Rc::new(ApplyState::default()), path::PREVIOUS_NUMBER, "A1");
        assert!(state.input.previous_passport.is_some());
        let state = edit(state, path::PREVIOUS_NUMBER, " ");
        assert_eq!(state.input.previous_passport, None);
        let state = edit(state, path::EMAIL, "");
        assert_eq!(state.input.email, None);
        let state = edit(state, path::GUARDIAN_CONSENT, "true");
        assert_eq!(get(&state.input, path::GUARDIAN_CONSENT), "true");
        assert!(state.input.guardian.as_ref().is_some_and(|g| g.consent));
    }
}
