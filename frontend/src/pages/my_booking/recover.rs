//! Opening a booking without its manage token: the reference and the passport number and date
//! of birth of a person on it (`POST /api/v1/bookings/recover`). Every mismatch reads the same,
//! so the form cannot be used to probe whose booking a reference is.

use super::tokens;
use crate::api::bookings::{self, RecoverError};
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use nobat_domain::identity::{
    BookingReference, DateOfBirth, DateOfBirthError, PassportNumber, PassportNumberError,
};
use nobat_domain::Language;
use std::collections::BTreeMap;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Asking {
    Idle,
    Sending,
    Refused(RecoverError),
}

/// The form's three values, each checked by the domain's own parser; errors by input id.
fn check(
    reference: &str,
    passport: &str,
    born: &str,
    language: Language,
) -> BTreeMap<&'static str, String> {
    let today = nobat_domain::calendar::local_date(chrono::Utc::now());
    let mut errors = BTreeMap::new();
    if let Err(error) = BookingReference::parse(reference) {
        errors.insert("recover-reference", error.message(language));
    }
    if let Err(error) = PassportNumber::parse(passport) {
        errors.insert(
            "recover-passport",
            PassportNumberError::message(&error, language),
        );
    }
    if let Err(error) = DateOfBirth::parse(born, today) {
        errors.insert("recover-born", DateOfBirthError::message(&error, language));
    }
    errors
}

#[derive(Properties, PartialEq)]
pub struct RecoverFormProps {
    /// The reference, when the page already knows it.
    #[prop_or_default]
    pub reference: Option<AttrValue>,
    /// The token is saved: open the booking with this reference.
    pub on_recovered: Callback<String>,
}

#[function_component(RecoverForm)]
pub fn recover_form(props: &RecoverFormProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reference = use_state(|| {
        props
            .reference
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_default()
    });
    let passport = use_state(String::new);
    let born = use_state(String::new);
    let tried = use_state(|| false);
    let asking = use_state(|| Asking::Idle);
    let errors = if *tried {
        check(&reference, &passport, &born, language)
    } else {
        BTreeMap::new()
    };
    let onsubmit = {
        let (reference, passport, born) = (reference.clone(), passport.clone(), born.clone());
        let (tried, asking, on_recovered) =
            (tried.clone(), asking.clone(), props.on_recovered.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            tried.set(true);
            if !check(&reference, &passport, &born, language).is_empty()
                || *asking == Asking::Sending
            {
                return;
            }
            let normalised = BookingReference::parse(&reference)
                .map(|r| r.as_str().to_owned())
                .unwrap_or_else(|_| reference.to_string());
            let (passport, born) = (passport.trim().to_owned(), born.to_string());
            let (asking, on_recovered) = (asking.clone(), on_recovered.clone());
            asking.set(Asking::Sending);
            spawn_local(async move {
                match bookings::recover(&normalised, &passport, &born, language).await {
                    Ok(recovered) => {
                        tokens::remember(&recovered.reference, &recovered.manage_token);
                        asking.set(Asking::Idle);
                        on_recovered.emit(recovered.reference);
                    }
                    Err(error) => asking.set(Asking::Refused(error)),
                }
            });
        })
    };
    let field = |id: &'static str,
                 label: Key,
                 hint: Option<Key>,
                 kind: &'static str,
                 value: &UseStateHandle<String>| {
        let error = errors.get(id);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described: Vec<&str> = [
            hint.map(|_| hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let oninput = {
            let value = value.clone();
            Callback::from(move |event: InputEvent| {
                if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    value.set(input.value());
                }
            })
        };
        html! {
            <div class={classes!("field", error.map(|_| "invalid"))}>
                <label for={id}>{ t(label) }</label>
                if let Some(hint) = hint {
                    <p class="hint" id={hint_id.clone()}>{ t(hint) }</p>
                }
                <input {id} type={kind} value={(**value).clone()} required=true
                    autocomplete="off" spellcheck="false"
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={(!described.is_empty()).then(|| described.join(" "))}
                    {oninput} />
                if let Some(error) = error {
                    <p class="field-error" id={error_id}>{ error.clone() }</p>
                }
            </div>
        }
    };
    let refusal = match &*asking {
        Asking::Refused(RecoverError::NoMatch) => Some(html! {
            <p class="card error" role="alert" data-testid="recover-no-match">{ t(Key::MyNoMatch) }</p>
        }),
        Asking::Refused(RecoverError::TooMany(seconds)) => Some(html! {
            <p class="card error" role="alert" data-testid="recover-too-many">
                { match seconds {
                    Some(seconds) => fill(t(Key::MyTooMany), &[("n", &seconds.to_string())]),
                    None => t(Key::MyTooManyLater).to_owned(),
                } }
            </p>
        }),
        Asking::Refused(RecoverError::Failed(error)) => {
            Some(html! { <ErrorNotice error={error.clone()} /> })
        }
        Asking::Idle | Asking::Sending => None,
    };
    let sending = *asking == Asking::Sending;
    html! {
        <section class="card recover" aria-labelledby="recover-title" data-testid="recover">
            <h2 id="recover-title">{ t(Key::MyRecoverTitle) }</h2>
            <p class="hint">{ t(Key::MyRecoverLead) }</p>
            <form novalidate=true {onsubmit}>
                <div class="fields">
                    { field("recover-reference", Key::MyReference, Some(Key::MyReferenceHint), "text", &reference) }
                    { field("recover-passport", Key::FieldPassportNumber, Some(Key::MyPassportHint), "text", &passport) }
                    { field("recover-born", Key::FieldDateOfBirth, None, "date", &born) }
                </div>
                { for refusal }
                <button type="submit" class="button" disabled={sending} aria-busy={sending.to_string()}>
                    { if sending { t(Key::Loading) } else { t(Key::MyOpen) } }
                </button>
            </form>
        </section>
    }
}
