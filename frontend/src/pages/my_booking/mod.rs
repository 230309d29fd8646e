//! "My booking": `/my-booking` lists the bookings this browser holds a token for and opens any
//! other with passport data; `/my-booking/{reference}` shows one booking (the ticket), after the
//! card page too (`?payment=paid|declined|pending|expired|refunded`). A manage link carries its
//! token in the fragment (`#token=…`), which never reaches a server: it is saved and removed.
//! While the citizen is checked in at the branch the booking is fetched again every 15 seconds,
//! so that their place in the queue, and the counter they are called to, stay current.

mod booking;
mod queue;
mod recover;
mod reschedule;
pub mod tokens;

use crate::api::bookings;
use crate::app::Route;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t, use_title};
use crate::i18n::Key;
use crate::pages::book::state::Load;
use booking::BookingDetails;
use nobat_domain::booking::BookingStatus;
use nobat_domain::booking_api::BookingView;
use nobat_domain::identity::BookingReference;
use recover::RecoverForm;
use serde::Deserialize;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

const LIVE_EVERY_MS: u32 = 15_000;

/// What the card page says on the way back.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct ReturnQuery {
    #[serde(default)]
    payment: Option<String>,
}

fn outcome_key(outcome: &str) -> Option<(Key, &'static str)> {
    Some(match outcome {
        "paid" => (Key::OutcomePaid, "ok"),
        "declined" => (Key::OutcomeDeclined, "bad"),
        "pending" => (Key::OutcomePending, "wait"),
        "expired" => (Key::OutcomeExpired, "bad"),
        "refunded" => (Key::OutcomeRefunded, "wait"),
        _ => return None,
    })
}

/// The reference as the server writes it (`AG7-K3Q-9XF`), whatever the address had.
fn normalise(reference: &str) -> String {
    BookingReference::parse(reference)
        .map(|r| r.as_str().to_owned())
        .unwrap_or_else(|_| reference.to_owned())
}

/// Saves the token of a manage link's fragment and removes the fragment from the address, so it
/// is neither bookmarked nor shared by accident.
fn take_fragment_token(reference: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let Some(token) = location
        .hash()
        .ok()
        .and_then(|hash| tokens::from_fragment(&hash))
    else {
        return;
    };
    tokens::remember(reference, &token);
    let path = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

#[function_component(MyBooking)]
pub fn my_booking() -> Html {
    let t = use_t();
    use_title(t(Key::NavMyBooking));
    let navigator = use_navigator();
    let saved = use_memo((), |_| tokens::references());
    let on_recovered = Callback::from(move |reference: String| {
        if let Some(navigator) = &navigator {
            navigator.push(&Route::Booking { reference });
        }
    });
    html! {
        <>
            <h1>{ t(Key::NavMyBooking) }</h1>
            <p class="lead">{ t(Key::MyLead) }</p>
            if !saved.is_empty() {
                <section class="card" aria-labelledby="saved-title" data-testid="saved">
                    <h2 id="saved-title">{ t(Key::MySavedTitle) }</h2>
                    <ul class="choices">
                        { for saved.iter().map(|reference| html! {
                            <li>
                                <Link<Route> to={Route::Booking { reference: reference.clone() }} classes="choice reference-link">
                                    { reference.clone() }
                                </Link<Route>>
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <RecoverForm {on_recovered} />
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct BookingPageProps {
    pub reference: AttrValue,
}

#[function_component(BookingPage)]
pub fn booking_page(props: &BookingPageProps) -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavMyBooking));
    let reference = normalise(&props.reference);
    let location = use_location();
    let outcome = location
        .and_then(|l| l.query::<ReturnQuery>().ok())
        .and_then(|q| q.payment)
        .and_then(|p| outcome_key(&p));
    let token = {
        let reference = reference.clone();
        use_state(move || {
            take_fragment_token(&reference);
            tokens::get(&reference)
        })
    };
    // The booking, with the reference and token it was loaded for.
    let load = use_state(|| None::<(String, Load<BookingView>)>);
    // The saved token no longer opens the booking.
    let refused = use_state(|| false);
    let reload = use_state(|| 0u32);
    {
        let (load, token_state, refused) = (load.clone(), token.clone(), refused.clone());
        use_effect_with(
            (reference.clone(), (*token).clone(), *reload),
            move |(reference, token, _)| {
                let (Some(token), reference) = (token.clone(), reference.clone()) else {
                    return;
                };
                load.set(Some((reference.clone(), Load::Loading)));
                spawn_local(async move {
                    let result = bookings::fetch(&reference, &token, language).await;
                    match result {
                        Err(error) if error.status() == Some(404) => {
                            tokens::forget(&reference);
                            refused.set(true);
                            token_state.set(None);
                        }
                        Ok(booking) => load.set(Some((reference, Load::Ready(booking)))),
                        Err(error) => load.set(Some((reference, Load::Failed(error)))),
                    }
                });
            },
        );
    }
    // Checked in or at the counter: the queue moves, so the booking is fetched again quietly
    // (an answer that fails leaves what is shown).
    let live = match &*load {
        Some((for_reference, Load::Ready(booking))) if *for_reference == reference => matches!(
            booking.status,
            BookingStatus::CheckedIn | BookingStatus::Serving
        ),
        _ => false,
    };
    {
        let load = load.clone();
        use_effect_with(
            (reference.clone(), (*token).clone(), live),
            move |(reference, token, live)| {
                let (reference, token) = (reference.clone(), token.clone());
                let timer = token.filter(|_| *live).map(|token| {
                    gloo_timers::callback::Interval::new(LIVE_EVERY_MS, move || {
                        let (load, reference, token) =
                            (load.clone(), reference.clone(), token.clone());
                        spawn_local(async move {
                            if let Ok(booking) = bookings::fetch(&reference, &token, language).await
                            {
                                load.set(Some((reference, Load::Ready(booking))));
                            }
                        });
                    })
                });
                move || drop(timer)
            },
        );
    }
    {
        // Another booking's page: its own token.
        let token = token.clone();
        use_effect_with(reference.clone(), move |reference| {
            take_fragment_token(reference);
            let saved = tokens::get(reference);
            if *token != saved {
                token.set(saved);
            }
        });
    }
    let notice = outcome.map(|(key, tone)| {
        html! {
            <p class="card outcome" data-tone={tone} role="status" data-testid="payment-outcome">{ t(key) }</p>
        }
    });
    let body = match (&*token, &*load) {
        (None, _) => {
            let on_recovered = {
                let token = token.clone();
                let refused = refused.clone();
                Callback::from(move |reference: String| {
                    refused.set(false);
                    token.set(tokens::get(&reference));
                })
            };
            html! {
                <>
                    if *refused {
                        <p class="notice" role="alert" data-testid="token-refused">{ t(Key::MyTokenRefused) }</p>
                    }
                    <RecoverForm reference={AttrValue::from(reference.clone())} {on_recovered} />
                </>
            }
        }
        (Some(token), Some((for_reference, loaded))) if *for_reference == reference => match loaded
        {
            Load::Loading => html! { <Loading /> },
            Load::Failed(error) => {
                let reload = reload.clone();
                html! { <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| reload.set(*reload + 1))} /> }
            }
            Load::Ready(booking) => {
                let on_changed = {
                    let (load, reference) = (load.clone(), reference.clone());
                    Callback::from(move |booking: BookingView| {
                        load.set(Some((reference.clone(), Load::Ready(booking))));
                    })
                };
                let on_reload = {
                    let reload = reload.clone();
                    Callback::from(move |()| reload.set(*reload + 1))
                };
                html! {
                    <BookingDetails booking={booking.clone()} token={AttrValue::from(token.clone())}
                        {on_changed} {on_reload} />
                }
            }
        },
        (Some(_), _) => html! { <Loading /> },
    };
    html! {
        <>
            <h1 class="no-print">{ t(Key::NavMyBooking) }</h1>
            { for notice }
            { body }
            <p class="no-print"><Link<Route> to={Route::MyBooking}>{ t(Key::MyOther) }</Link<Route>></p>
        </>
    }
}
