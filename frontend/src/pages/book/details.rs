//! Step 4: how many people come, and each one's personal and passport data. A field's error
//! (the server's own rule, in the citizen's language) shows once the field is left and follows
//! the typing; each input names its label, hint and error for screen readers.

use super::people::{field_path, Field, People, PeopleAction};
use crate::hooks::{document, use_t};
use crate::i18n::{fill, Key};
use nobat_domain::booking::{FieldErrors, MAX_APPLICANTS};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How an input is drawn: its label, hint, type and what the browser may fill in.
struct Look {
    label: Key,
    hint: Option<Key>,
    kind: &'static str,
    autocomplete: &'static str,
}

fn look(field: Field) -> Look {
    let (label, hint, kind, autocomplete) = match field {
        Field::Surname => (Key::FieldSurname, None, "text", "family-name"),
        Field::GivenName => (Key::FieldGivenName, None, "text", "given-name"),
        Field::Patronymic => (
            Key::FieldPatronymic,
            Some(Key::HintPatronymic),
            "text",
            "additional-name",
        ),
        Field::DateOfBirth => (Key::FieldDateOfBirth, None, "date", "bday"),
        Field::Phone => (Key::FieldPhone, Some(Key::HintPhone), "tel", "tel"),
        Field::Email => (Key::FieldEmail, Some(Key::HintEmail), "email", "email"),
        Field::PassportNumber => (
            Key::FieldPassportNumber,
            Some(Key::HintPassportNumber),
            "text",
            "off",
        ),
        Field::IssuedOn => (Key::FieldIssuedOn, None, "date", "off"),
        Field::IssuedBy => (Key::FieldIssuedBy, Some(Key::HintIssuedBy), "text", "off"),
        Field::ExpiresOn => (Key::FieldExpiresOn, None, "date", "off"),
    };
    Look {
        label,
        hint,
        kind,
        autocomplete,
    }
}

/// The id of a person's input: `p0-passport-number`.
pub fn input_id(person: usize, field: Field) -> String {
    format!("p{person}-{}", field.path().replace(['.', '_'], "-"))
}

/// Moves the focus to the first input whose error shows, so the citizen lands on what to fix.
pub fn focus_first_error() {
    let input = document()
        .and_then(|d| {
            d.query_selector("#details [aria-invalid=\"true\"]")
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(input) = input {
        let _ = input.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub people: Rc<People>,
    /// What is wrong with the form now (shown per field as [`People::shown`] decides).
    pub errors: Rc<FieldErrors>,
    pub on_change: Callback<PeopleAction>,
    pub on_continue: Callback<()>,
}

#[function_component(Details)]
pub fn details(props: &DetailsProps) -> Html {
    let t = use_t();
    let people = &props.people;
    let count = people.applicants.len();
    let on_count = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Ok(count) = select.value().parse() {
                    on_change.emit(PeopleAction::Count(count));
                }
            }
        })
    };
    let options = (1..=MAX_APPLICANTS).map(|n| {
        html! { <option value={n.to_string()} selected={n == count}>{ n.to_string() }</option> }
    });
    let input = |person: usize, field: Field| -> Html {
        let look = look(field);
        let id = input_id(person, field);
        let path = field_path(person, field);
        let error = people.shown(&path, &props.errors);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described: Vec<&str> = [
            look.hint.map(|_| hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let oninput = {
            let on_change = props.on_change.clone();
            Callback::from(move |event: InputEvent| {
                if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    on_change.emit(PeopleAction::Edit(person, field, input.value()));
                }
            })
        };
        let onblur = {
            let on_change = props.on_change.clone();
            Callback::from(move |_: FocusEvent| on_change.emit(PeopleAction::Leave(person, field)))
        };
        let value = field.value(&people.applicants[person]).to_owned();
        let passport = matches!(field, Field::PassportNumber);
        html! {
            <div class={classes!("field", error.map(|_| "invalid"))} data-field={field.path()}>
                <label for={id.clone()}>
                    { t(look.label) }
                    if field.optional() {
                        <span class="optional">{ " (" }{ t(Key::FieldOptional) }{ ")" }</span>
                    }
                </label>
                if let Some(hint) = look.hint {
                    <p class="hint" id={hint_id.clone()}>{ t(hint) }</p>
                }
                <input id={id} name={path} type={look.kind} autocomplete={look.autocomplete}
                    value={value} required={!field.optional()}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={(!described.is_empty()).then(|| described.join(" "))}
                    autocapitalize={passport.then_some("characters")}
                    spellcheck={passport.then_some("false")}
                    inputmode={matches!(field, Field::Phone).then_some("tel")}
                    {oninput} {onblur} />
                if let Some(error) = error {
                    <p class="field-error" id={error_id}>{ error.to_owned() }</p>
                }
            </div>
        }
    };
    let persons = (0..count).map(|person| {
        let number = (person + 1).to_string();
        let heading = fill(t(Key::BookPerson), &[("n", &number)]);
        html! {
            <fieldset class="card person" data-person={person.to_string()}>
                <legend>{ heading }</legend>
                <div class="fields">
                    { for Field::PERSONAL.into_iter().map(|field| input(person, field)) }
                </div>
                <fieldset class="passport">
                    <legend>{ t(Key::BookPassport) }</legend>
                    <div class="fields">
                        { for Field::PASSPORT.into_iter().map(|field| input(person, field)) }
                    </div>
                </fieldset>
            </fieldset>
        }
    });
    let shown_errors = props
        .errors
        .keys()
        .filter(|path| people.shown(path, &props.errors).is_some())
        .count();
    let onsubmit = {
        let on_continue = props.on_continue.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_continue.emit(());
        })
    };
    html! {
        <section id="details" aria-labelledby="details-title" data-testid="details">
            <h2 id="details-title" tabindex="-1">{ t(Key::BookDetailsTitle) }</h2>
            <p class="hint">{ t(Key::BookDetailsLead) }</p>
            <form novalidate=true {onsubmit}>
                <div class="card count">
                    <label for="people-count">{ t(Key::BookPeopleCount) }</label>
                    <p class="hint" id="people-count-hint">{ t(Key::BookPeopleHint) }</p>
                    <select id="people-count" aria-describedby="people-count-hint" onchange={on_count}>
                        { for options }
                    </select>
                </div>
                { for persons }
                if people.showing_all() && shown_errors > 0 {
                    <p class="card error" role="alert" data-testid="details-errors">
                        { fill(t(Key::BookFixErrors), &[("n", &shown_errors.to_string())]) }
                    </p>
                }
                // Keeps the focus where it is on press: leaving a field shows its error, which
                // would move this button away between the press and the release, losing the click.
                <button type="submit" class="button next" onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}>
                    { t(Key::BookToReview) }
                </button>
            </form>
        </section>
    }
}
