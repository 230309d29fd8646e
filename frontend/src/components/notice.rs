//! How a page says that it is waiting for the API, or that a call failed and why.

use crate::api::ApiError;
use crate::hooks::use_t;
use crate::i18n::Key;
use yew::prelude::*;

/// A polite "Loading…" for screen readers and eyes alike.
#[function_component(Loading)]
pub fn loading() -> Html {
    let t = use_t();
    html! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            { t(Key::Loading) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorNoticeProps {
    pub error: ApiError,
    /// Offers "Try again" when given.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// A failed call: the server's own explanation (its problem `detail`) when it sent one, the
/// request id to quote to support, and a way to try again.
#[function_component(ErrorNotice)]
pub fn error_notice(props: &ErrorNoticeProps) -> Html {
    let t = use_t();
    let message = match (&props.error, props.error.detail()) {
        (_, Some(detail)) => detail.to_owned(),
        (ApiError::Unreadable(_), None) => t(Key::ErrorUnreadable).to_owned(),
        (_, None) => t(Key::ErrorNetwork).to_owned(),
    };
    let retry = props.on_retry.clone().map(|on_retry| {
        html! {
            <button type="button" class="button secondary" onclick={move |_| on_retry.emit(())}>
                { t(Key::ActionRetry) }
            </button>
        }
    });
    html! {
        <div class="card error" role="alert" data-testid="api-error">
            <strong>{ t(Key::ErrorTitle) }</strong>
            <p>{ message }</p>
            if let Some(id) = props.error.request_id() {
                <p class="muted"><small>{ t(Key::ErrorRequestId) }{ ": " }<code>{ id }</code></small></p>
            }
            { for retry }
        </div>
    }
}
