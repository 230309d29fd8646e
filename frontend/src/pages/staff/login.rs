//! The sign-in form. A wrong name or password reads the same (the server does not say which);
//! after too many attempts the button waits as long as the server asks (`Retry-After`).

use crate::api::staff::{self, LoginError, StaffView};
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Asking {
    Idle,
    Sending,
    Refused(LoginError),
}

#[derive(Properties, PartialEq)]
pub struct LoginFormProps {
    pub on_login: Callback<StaffView>,
}

/// An input's new value.
pub fn input_value(event: &InputEvent) -> Option<String> {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|input| input.value())
}

#[function_component(LoginForm)]
pub fn login_form(props: &LoginFormProps) -> Html {
    let t = use_t();
    let language = use_language();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let asking = use_state(|| Asking::Idle);
    // Until when (seconds left) the server asked to wait.
    let waiting = use_state(|| false);
    let wait_timer = use_mut_ref(|| None::<Timeout>);
    let onsubmit = {
        let (username, password, asking) = (username.clone(), password.clone(), asking.clone());
        let (waiting, wait_timer, on_login) =
            (waiting.clone(), wait_timer.clone(), props.on_login.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *asking == Asking::Sending || *waiting {
                return;
            }
            let (username, password) = (username.trim().to_owned(), (*password).clone());
            let (asking, waiting, wait_timer, on_login) = (
                asking.clone(),
                waiting.clone(),
                wait_timer.clone(),
                on_login.clone(),
            );
            asking.set(Asking::Sending);
            spawn_local(async move {
                match staff::login(&username, &password, language).await {
                    Ok(member) => on_login.emit(member),
                    Err(error) => {
                        if let LoginError::TooMany(seconds) = error {
                            waiting.set(true);
                            let millis = seconds.unwrap_or(30).saturating_mul(1000);
                            let waiting = waiting.clone();
                            *wait_timer.borrow_mut() =
                                Some(Timeout::new(millis, move || waiting.set(false)));
                        }
                        asking.set(Asking::Refused(error));
                    }
                }
            });
        })
    };
    let field = |id: &'static str,
                 label: Key,
                 kind: &'static str,
                 complete: &'static str,
                 value: &UseStateHandle<String>| {
        let value = value.clone();
        let current = (*value).clone();
        html! {
            <div class="field">
                <label for={id}>{ t(label) }</label>
                <input {id} type={kind} value={current} required=true autocomplete={complete}
                    spellcheck="false" autocapitalize="off"
                    oninput={move |e: InputEvent| if let Some(v) = input_value(&e) { value.set(v) }} />
            </div>
        }
    };
    let refusal = match &*asking {
        Asking::Refused(LoginError::Wrong) => Some(html! {
            <p class="card error" role="alert" data-testid="login-wrong">{ t(Key::StaffWrongLogin) }</p>
        }),
        Asking::Refused(LoginError::TooMany(seconds)) => Some(html! {
            <p class="card error" role="alert" data-testid="login-too-many">
                { match seconds {
                    Some(n) => fill(t(Key::StaffTooMany), &[("n", &n.to_string())]),
                    None => t(Key::StaffTooManyLater).to_owned(),
                } }
            </p>
        }),
        Asking::Refused(LoginError::Failed(error)) => {
            Some(html! { <ErrorNotice error={error.clone()} /> })
        }
        Asking::Idle | Asking::Sending => None,
    };
    let sending = *asking == Asking::Sending;
    html! {
        <section class="card login" data-testid="login">
            <form novalidate=true {onsubmit}>
                <div class="fields">
                    { field("staff-username", Key::StaffUsername, "text", "username", &username) }
                    { field("staff-password", Key::StaffPassword, "password", "current-password", &password) }
                </div>
                { for refusal }
                <button type="submit" class="button" disabled={sending || *waiting} aria-busy={sending.to_string()}>
                    { if sending { t(Key::Loading) } else { t(Key::StaffLogIn) } }
                </button>
            </form>
        </section>
    }
}
