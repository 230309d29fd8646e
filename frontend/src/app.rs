//! The routes of the site and the shell around every page.

use crate::components::{footer::Footer, header::Header};
use crate::hooks::{remembered_language, set_language, AppContext};
use crate::i18n::Key;
use crate::pages::apply::Apply;
use crate::pages::board::BoardPage;
use crate::pages::media::{MediaPage, MediaSection};
use crate::pages::my_booking::{BookingPage, MyBooking};
use crate::pages::staff::Staff;
use crate::pages::track::Track;
use crate::pages::{book::Book, home::Home, not_found::NotFound};
use crate::state::AppState;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/book")]
    Book,
    #[at("/my-booking")]
    MyBooking,
    /// One booking: its ticket, payment, changes.
    #[at("/my-booking/:reference")]
    Booking { reference: String },
    #[at("/apply")]
    Apply,
    /// One passport application: the rest of its wizard, or its status once submitted.
    #[at("/apply/:number")]
    Application { number: String },
    #[at("/track")]
    Track,
    #[at("/media")]
    Media,
    /// One item of the Multimedia section: an album, a video or an instruction.
    #[at("/media/:slug")]
    MediaItem { slug: String },
    #[at("/staff")]
    Staff,
    /// A branch's display board, full screen, without the site's header and footer.
    #[at("/board/:code")]
    Board { code: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// The sections in the main navigation, in order, with their labels.
    pub const NAVIGATION: [(Route, Key); 7] = [
        (Route::Home, Key::NavHome),
        (Route::Book, Key::NavBook),
        (Route::MyBooking, Key::NavMyBooking),
        (Route::Apply, Key::NavApply),
        (Route::Track, Key::NavTrack),
        (Route::Media, Key::NavMedia),
        (Route::Staff, Key::NavStaff),
    ];
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Book => html! { <Book /> },
        Route::MyBooking => html! { <MyBooking /> },
        Route::Booking { reference } => html! { <BookingPage reference={reference} /> },
        Route::Apply => html! { <Apply /> },
        Route::Application { number } => html! { <Apply number={Some(number)} /> },
        Route::Track => html! { <Track /> },
        Route::Media => html! { <MediaSection /> },
        Route::MediaItem { slug } => html! { <MediaPage {slug} /> },
        Route::Staff => html! { <Staff /> },
        Route::Board { code } => html! { <BoardPage code={code} /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The site's header and footer around the page, except on a display board, which is the
/// whole screen.
#[function_component(Chrome)]
fn chrome() -> Html {
    if let Some(Route::Board { code }) = use_route::<Route>() {
        return html! { <BoardPage code={code} /> };
    }
    html! {
        <>
            <Header />
            <main id="main" tabindex="-1">
                <Switch<Route> render={switch} />
            </main>
            <Footer />
        </>
    }
}

/// Moves an address written for hash routing (`/#/apply/P-26-4K7Q-93?paid`, as the bank's
/// return may be) to the path it names, before the router reads it.
pub fn hash_route_to_path() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    if let Some(path) = path_of_hash_route(&hash) {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

/// `#/apply/X?paid` → `/apply/X?paid`; anything else (`#token=…`, `#main`) → `None`.
pub fn path_of_hash_route(hash: &str) -> Option<String> {
    hash.strip_prefix("#/")
        .filter(|rest| !rest.is_empty())
        .map(|rest| format!("/{rest}"))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if let Some(language) = remembered_language() {
                set_language(&state, language);
            }
        });
    }
    html! {
        <ContextProvider<AppContext> context={state}>
            <BrowserRouter>
                <Chrome />
            </BrowserRouter>
        </ContextProvider<AppContext>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_routes_become_paths() {
        assert_eq!(
            path_of_hash_route("#/apply/P-26-4K7Q-93?paid").as_deref(),
            Some("/apply/P-26-4K7Q-93?paid")
        );
        assert_eq!(path_of_hash_route("#token=abc"), None);
        assert_eq!(path_of_hash_route("#/"), None);
        assert_eq!(path_of_hash_route(""), None);
    }
}
