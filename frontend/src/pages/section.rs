//! A section of the site whose capability has not been built yet: it says so plainly, in the
//! citizen's language, instead of showing an empty form.

use crate::app::Route;
use crate::hooks::{use_t, use_title};
use crate::i18n::Key;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub title: Key,
    pub summary: Key,
}

#[function_component(Section)]
pub fn section(props: &SectionProps) -> Html {
    let t = use_t();
    use_title(t(props.title));
    html! {
        <>
            <h1>{ t(props.title) }</h1>
            <p class="lead">{ t(props.summary) }</p>
            <div class="card" role="status">{ t(Key::SectionSoon) }</div>
            <p><Link<Route> to={Route::Home}>{ t(Key::SectionBack) }</Link<Route>></p>
        </>
    }
}
