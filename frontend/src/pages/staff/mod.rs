//! The staff console (`/staff`): sign-in, then for an operator or a branch head (an admin too)
//! the branch's arrival desk, their counter and the live queue, and for heads and admins the
//! branch's reports and settings; for everyone signing out and
//! changing the password. The session is the server's HttpOnly cookie: the page asks
//! `/auth/me` who is signed in, and goes back to the sign-in form whenever a call answers 401.

mod applications;
mod arrival;
mod catalog;
mod chart;
mod console;
mod counter;
mod login;
mod media_editor;
mod password;
mod plans;
mod queue;
mod reports;
mod scan;
mod settings;

use crate::api::staff::{self, StaffView};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t, use_title};
use crate::i18n::Key;
use console::Console;
use login::LoginForm;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Session {
    Checking,
    Failed(ApiError),
    /// Not signed in; `expired` when a session just ended under the member's hands.
    Out {
        expired: bool,
    },
    In(StaffView),
}

/// Whether a failed call means that the session is gone.
pub fn session_ended(error: &ApiError) -> bool {
    error.status() == Some(401)
}

#[function_component(Staff)]
pub fn staff_page() -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavStaff));
    let session = use_state(|| Session::Checking);
    let retry = use_state(|| 0u32);
    {
        let session = session.clone();
        use_effect_with(*retry, move |_| {
            spawn_local(async move {
                session.set(match staff::me(language).await {
                    Ok(Some(member)) => Session::In(member),
                    Ok(None) => Session::Out { expired: false },
                    Err(error) => Session::Failed(error),
                });
            });
        });
    }
    let on_login = {
        let session = session.clone();
        Callback::from(move |member: StaffView| session.set(Session::In(member)))
    };
    let on_logout = {
        let session = session.clone();
        Callback::from(move |()| {
            let session = session.clone();
            spawn_local(async move {
                // Signed out here whatever the answer: the cookie is gone or will expire.
                let _ = staff::logout(language).await;
                session.set(Session::Out { expired: false });
            });
        })
    };
    let on_expired = {
        let session = session.clone();
        Callback::from(move |()| session.set(Session::Out { expired: true }))
    };
    match &*session {
        Session::Checking => html! { <Loading /> },
        Session::Failed(error) => {
            let retry = retry.clone();
            html! {
                <>
                    <h1>{ t(Key::NavStaff) }</h1>
                    <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| retry.set(*retry + 1))} />
                </>
            }
        }
        Session::Out { expired } => html! {
            <>
                <h1>{ t(Key::StaffLoginTitle) }</h1>
                <p class="lead">{ t(Key::StaffLoginLead) }</p>
                if *expired {
                    <p class="notice" role="alert" data-testid="session-over">{ t(Key::StaffSessionOver) }</p>
                }
                <LoginForm {on_login} />
            </>
        },
        Session::In(member) => html! {
            <Console member={member.clone()} {on_logout} {on_expired} />
        },
    }
}
