//! The home page: what Nobat does, in the citizen's words, and where to start.

use crate::app::Route;
use crate::components::health_status::HealthStatus;
use crate::hooks::{use_t, use_title};
use crate::i18n::Key;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(Home)]
pub fn home() -> Html {
    let t = use_t();
    use_title(t(Key::NavHome));
    let steps = [
        Key::HomeStep1,
        Key::HomeStep2,
        Key::HomeStep3,
        Key::HomeStep4,
        Key::HomeStep5,
    ];
    let actions = [
        (Route::Book, Key::NavBook, Key::ActionBook),
        (Route::MyBooking, Key::NavMyBooking, Key::ActionMyBooking),
        (Route::Apply, Key::NavApply, Key::ActionApply),
        (Route::Track, Key::NavTrack, Key::ActionTrack),
        (Route::Media, Key::NavMedia, Key::ActionMedia),
    ];
    html! {
        <>
            <h1>{ t(Key::HomeTitle) }</h1>
            <p class="lead">{ t(Key::HomeLead) }</p>
            <p><HealthStatus /></p>
            <p class="notice" role="note"><strong>{ t(Key::HomeArrive) }</strong></p>
            <section aria-labelledby="steps-title">
                <h2 id="steps-title">{ t(Key::HomeStepsTitle) }</h2>
                <ol class="steps">
                    { for steps.iter().map(|&step| html! { <li>{ t(step) }</li> }) }
                </ol>
            </section>
            <section aria-labelledby="actions-title">
                <h2 id="actions-title">{ t(Key::HomeActionsTitle) }</h2>
                <div class="actions">
                    { for actions.into_iter().map(|(route, title, text)| html! {
                        <Link<Route> to={route}>
                            <strong>{ t(title) }</strong>
                            <span>{ t(text) }</span>
                        </Link<Route>>
                    }) }
                </div>
            </section>
            <crate::pages::media::LatestMedia />
        </>
    }
}
