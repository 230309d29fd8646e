//! Changing one's own password (folded away under the console): the server checks the current
//! one (401) and the rules for the new one (422, with the reason for `new_password`).

use super::login::input_value;
use crate::api::staff;
use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    None,
    Sending,
    Changed,
    WrongCurrent,
    Failed(ApiError),
}

#[derive(Properties, PartialEq)]
pub struct PasswordFormProps {
    pub on_expired: Callback<()>,
}

#[function_component(PasswordForm)]
pub fn password_form(props: &PasswordFormProps) -> Html {
    let t = use_t();
    let language = use_language();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let outcome = use_state(|| Outcome::None);
    let onsubmit = {
        let (current, new, outcome) = (current.clone(), new.clone(), outcome.clone());
        let on_expired = props.on_expired.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *outcome == Outcome::Sending {
                return;
            }
            let (current, new, outcome, on_expired) = (
                current.clone(),
                new.clone(),
                outcome.clone(),
                on_expired.clone(),
            );
            outcome.set(Outcome::Sending);
            spawn_local(async move {
                match staff::change_password(&current, &new, language).await {
                    Ok(()) => {
                        current.set(String::new());
                        new.set(String::new());
                        outcome.set(Outcome::Changed);
                    }
                    // The session is checked first: a 401 with no session means it has ended.
                    Err(error) if error.status() == Some(401) => match staff::me(language).await {
                        Ok(None) => on_expired.emit(()),
                        _ => outcome.set(Outcome::WrongCurrent),
                    },
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let new_error = match &*outcome {
        Outcome::Failed(ApiError::Problem(problem)) => problem.errors.get("new_password").cloned(),
        _ => None,
    };
    let input = |id: &'static str,
                 label: Key,
                 complete: &'static str,
                 value: &UseStateHandle<String>,
                 hint: Option<Key>,
                 error: Option<String>| {
        let value = value.clone();
        let current = (*value).clone();
        let hint_id = format!("{id}-hint");
        html! {
            <div class={classes!("field", error.is_some().then_some("invalid"))}>
                <label for={id}>{ t(label) }</label>
                if let Some(hint) = hint {
                    <p class="hint" id={hint_id.clone()}>{ t(hint) }</p>
                }
                <input {id} type="password" value={current} autocomplete={complete} required=true
                    aria-describedby={hint.map(|_| hint_id)}
                    aria-invalid={error.is_some().to_string()}
                    oninput={move |e: InputEvent| if let Some(v) = input_value(&e) { value.set(v) }} />
                if let Some(error) = error {
                    <p class="field-error">{ error }</p>
                }
            </div>
        }
    };
    let result = match &*outcome {
        Outcome::Changed => html! {
            <p class="card outcome" data-tone="ok" role="status">{ t(Key::StaffPasswordChanged) }</p>
        },
        Outcome::WrongCurrent => html! {
            <p class="card error" role="alert">{ t(Key::StaffWrongPassword) }</p>
        },
        Outcome::Failed(error) if new_error.is_none() => {
            html! { <ErrorNotice error={error.clone()} /> }
        }
        _ => html! {},
    };
    let sending = *outcome == Outcome::Sending;
    html! {
        <details class="card password" data-testid="password">
            <summary>{ t(Key::StaffPasswordTitle) }</summary>
            <form novalidate=true {onsubmit}>
                <div class="fields">
                    { input("current-password", Key::StaffCurrentPassword, "current-password", &current, None, None) }
                    { input("new-password", Key::StaffNewPassword, "new-password", &new, Some(Key::StaffNewPasswordHint), new_error.clone()) }
                </div>
                { result }
                <button type="submit" class="button" disabled={sending}>{ t(Key::StaffChangePassword) }</button>
            </form>
        </details>
    }
}
