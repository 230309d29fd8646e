//! The routes of the site and the shell around every page.

use crate::components::{footer::Footer, header::Header};
use crate::hooks::{remembered_language, set_language, AppContext};
use crate::i18n::Key;
use crate::pages::board::BoardPage;
use crate::pages::my_booking::{BookingPage, MyBooking};
use crate::pages::staff::Staff;
use crate::pages::{book::Book, home::Home, not_found::NotFound, section::Section};
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
    #[at("/track")]
    Track,
    #[at("/media")]
    Media,
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
        Route::Apply => html! { <Section title={Key::NavApply} summary={Key::ActionApply} /> },
        Route::Track => html! { <Section title={Key::NavTrack} summary={Key::ActionTrack} /> },
        Route::Media => html! { <Section title={Key::NavMedia} summary={Key::ActionMedia} /> },
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
