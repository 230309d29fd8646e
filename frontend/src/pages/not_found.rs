//! Shown for any address the site does not know.

use crate::app::Route;
use crate::hooks::{use_t, use_title};
use crate::i18n::Key;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(NotFound)]
pub fn not_found() -> Html {
    let t = use_t();
    use_title(t(Key::NotFoundTitle));
    html! {
        <>
            <h1 data-testid="not-found">{ t(Key::NotFoundTitle) }</h1>
            <p class="lead">{ t(Key::NotFoundText) }</p>
            <p><Link<Route> to={Route::Home}>{ t(Key::SectionBack) }</Link<Route>></p>
        </>
    }
}
