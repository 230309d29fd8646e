//! "Track application" (`/track`): the application number and the applicant's date of birth give
//! the status, since when, what happens next and the history. The number is checked as typed
//! with the domain's own parser; a mismatch (404) and too many attempts (429) are said kindly.

use crate::api::applications::{self, TrackError, Tracking};
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t, use_title};
use crate::i18n::{fill, Key};
use crate::pages::apply::status::{moment, timeline};
use nobat_domain::passport::ApplicationNumber;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Waiting,
    Found(Tracking),
    Failed(TrackError),
}

#[function_component(Track)]
pub fn track() -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavTrack));
    let number = use_state(String::new);
    let born = use_state(String::new);
    let number_left = use_state(|| false);
    let answer = use_state(|| None::<Answer>);
    let parsed = ApplicationNumber::parse(&number);
    let number_error = match (&parsed, *number_left) {
        (Err(error), true) => Some(error.message(language)),
        _ => None,
    };
    let onsubmit = {
        let (number, born, answer, number_left) = (
            number.clone(),
            born.clone(),
            answer.clone(),
            number_left.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            number_left.set(true);
            let Ok(parsed) = ApplicationNumber::parse(&number) else {
                return;
            };
            if born.is_empty() {
                return;
            }
            let (answer, born) = (answer.clone(), (*born).clone());
            let number = parsed.as_str().to_owned();
            answer.set(Some(Answer::Waiting));
            spawn_local(async move {
                answer.set(Some(
                    match applications::track(&number, &born, language).await {
                        Ok(found) => Answer::Found(found),
                        Err(error) => Answer::Failed(error),
                    },
                ));
            });
        })
    };
    let on_number = {
        let number = number.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                number.set(input.value());
            }
        })
    };
    let on_born = {
        let born = born.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                born.set(input.value());
            }
        })
    };
    let on_number_left = {
        let number_left = number_left.clone();
        Callback::from(move |_: FocusEvent| number_left.set(true))
    };
    let result = match &*answer {
        None => html! {},
        Some(Answer::Waiting) => html! { <Loading /> },
        Some(Answer::Failed(TrackError::NotFound)) => html! {
            <p class="card outcome" data-tone="bad" role="alert" data-testid="track-not-found">{ t(Key::TrackNotFound) }</p>
        },
        Some(Answer::Failed(TrackError::TooMany(seconds))) => {
            let text = match seconds {
                Some(n) => fill(t(Key::MyTooMany), &[("n", &n.to_string())]),
                None => t(Key::MyTooManyLater).to_owned(),
            };
            html! { <p class="card outcome" data-tone="wait" role="alert" data-testid="track-too-many">{ text }</p> }
        }
        Some(Answer::Failed(TrackError::Failed(error))) => {
            html! { <ErrorNotice error={error.clone()} /> }
        }
        Some(Answer::Found(found)) => html! {
            <section class="card ticket valid" aria-labelledby="track-result-title" data-testid="track-result"
                data-status={found.status.clone()}>
                <h2 id="track-result-title">{ found.number.clone() }</h2>
                <p class="status-line" data-status={found.status.clone()}>
                    { t(Key::MyStatus) }{ ": " }<strong data-testid="track-status">{ found.status_label.clone() }</strong>
                    if let Some(since) = found.since {
                        <span class="muted">{ " · " }{ fill(t(Key::TrackSince), &[("date", &moment(since))]) }</span>
                    }
                </p>
                if !found.next_step.is_empty() {
                    <p class="notice" data-testid="track-next">{ found.next_step.clone() }</p>
                }
                if let Some(action) = found.action_required.as_ref().filter(|a| !a.trim().is_empty()) {
                    <p class="card outcome" data-tone="bad" role="alert" data-testid="track-action">{ action.clone() }</p>
                }
                if let Some(branch) = &found.collection_branch {
                    <p>{ t(Key::ApplyBranch) }{ ": " }<strong>{ branch.name_in(language) }</strong></p>
                }
                <h3>{ t(Key::TrackHistory) }</h3>
                { timeline(&found.history) }
            </section>
        },
    };
    html! {
        <>
            <h1>{ t(Key::NavTrack) }</h1>
            <p class="lead">{ t(Key::TrackLead) }</p>
            <form class="card recover" {onsubmit} data-testid="track-form" novalidate=true>
                <div class="fields">
                    <div class={classes!("field", number_error.as_ref().map(|_| "invalid"))}>
                        <label for="track-number">{ t(Key::ApplyNumber) }</label>
                        <input id="track-number" class="reference-input" autocomplete="off" value={(*number).clone()}
                            aria-invalid={number_error.is_some().to_string()}
                            aria-describedby={if number_error.is_some() { "track-number-hint track-number-error" } else { "track-number-hint" }}
                            oninput={on_number} onblur={on_number_left} />
                        <p class="hint" id="track-number-hint">{ t(Key::TrackNumberHint) }</p>
                        if let Some(error) = number_error {
                            <p class="field-error" id="track-number-error">{ error }</p>
                        }
                    </div>
                    <div class="field">
                        <label for="track-born">{ t(Key::FieldDateOfBirth) }</label>
                        <input id="track-born" type="date" required=true value={(*born).clone()} oninput={on_born} />
                    </div>
                </div>
                <button type="submit" class="button" data-testid="track-submit">{ t(Key::TrackSubmit) }</button>
            </form>
            { result }
        </>
    }
}
