//! The site header: the service's name, the language switcher and the main navigation.

use crate::app::Route;
use crate::hooks::{set_language, use_t, AppContext};
use crate::i18n::Key;
use nobat_domain::Language;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    let t = use_t();
    let ctx = use_context::<AppContext>();
    let current = ctx.as_ref().map(|c| c.language).unwrap_or_default();
    let route = use_route::<Route>();
    let languages = Language::ALL.iter().map(|&language| {
        let onclick = {
            let ctx = ctx.clone();
            Callback::from(move |_| {
                if let Some(ctx) = &ctx {
                    set_language(ctx, language);
                }
            })
        };
        html! {
            <button type="button" lang={language.code()} {onclick}
                aria-pressed={(language == current).to_string()}
                data-language={language.code()}>
                { language.native_name() }
            </button>
        }
    });
    let links = Route::NAVIGATION.iter().map(|(target, label)| {
        let (target, label) = (target.clone(), *label);
        // A booking's page belongs to "My booking".
        let active = route.as_ref().is_some_and(|route| {
            route == &target
                || (target == Route::MyBooking && matches!(route, Route::Booking { .. }))
                || (target == Route::Apply && matches!(route, Route::Application { .. }))
                || (target == Route::Media && matches!(route, Route::MediaItem { .. }))
        });
        html! {
            <li>
                <Link<Route> to={target} classes={classes!(active.then_some("active"))}>
                    <span aria-current={active.then_some("page")}>{ t(label) }</span>
                </Link<Route>>
            </li>
        }
    });
    html! {
        <header class="site-header">
            <a class="skip-link" href="#main">{ t(Key::Skip) }</a>
            <div class="bar">
                <Link<Route> to={Route::Home} classes="brand">
                    <strong>{ t(Key::AppName) }</strong>
                    <span>{ t(Key::AppTagline) }</span>
                </Link<Route>>
                <div class="languages" role="group" aria-label={t(Key::LangLabel)}>
                    { for languages }
                </div>
            </div>
            <nav class="site-nav" aria-label={t(Key::NavLabel)}>
                <ul>{ for links }</ul>
            </nav>
        </header>
    }
}
