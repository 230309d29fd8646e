//! The end of step 3: what the citizen has chosen, the fee, the rule about arriving early, and
//! the way on to step 4. Nothing is reserved yet: the seat is held when the citizen pays.

use super::services::fee_text;
use super::state::{slot_time, BookQuery, Choice};
use crate::app::Route;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use chrono::Datelike;
use nobat_domain::availability::Slot;
use nobat_domain::catalog::{Branch, Service};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub branch: Branch,
    pub service: Service,
    pub slot: Slot,
    pub arrive_minutes_early: u16,
    /// Step 4 for this choice.
    pub next: Choice,
}

#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let t = use_t();
    let language = use_language();
    let heading = use_node_ref();
    {
        // The summary is the answer to choosing a time: move there, for eyes and screen readers.
        let heading = heading.clone();
        use_effect_with(props.slot.start, move |_| {
            if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    let date = props.slot.start.date_naive();
    let weekday = t(Key::weekday(date.weekday()));
    let end = props.slot.end.time();
    let minutes = props.arrive_minutes_early.to_string();
    html! {
        <section class="card summary" aria-labelledby="summary-title" data-testid="summary">
            <h2 id="summary-title" tabindex="-1" ref={heading}>{ t(Key::BookSummaryTitle) }</h2>
            <dl class="facts">
                <dt>{ t(Key::BookStepBranch) }</dt>
                <dd>
                    { props.branch.name.get(language).to_owned() }
                    <br /><small>{ props.branch.address.get(language).to_owned() }</small>
                </dd>
                <dt>{ t(Key::BookStepService) }</dt>
                <dd>{ props.service.name.get(language).to_owned() }</dd>
                <dt>{ t(Key::BookDate) }</dt>
                <dd data-testid="summary-date">{ i18n::date(date) }{ ", " }{ weekday }</dd>
                <dt>{ t(Key::BookTime) }</dt>
                <dd data-testid="summary-time">{ i18n::time(slot_time(&props.slot)) }{ "–" }{ i18n::time(end) }</dd>
                <dt>{ t(Key::BookFee) }</dt>
                <dd>{ fee_text(props.service.fee, t(Key::BookFree)) }</dd>
            </dl>
            <p class="notice" role="note" data-testid="arrive">
                <strong>{ fill(t(Key::BookArrive), &[("n", &minutes)]) }</strong>
            </p>
            <p class="next-step">{ t(Key::BookNextStep) }</p>
            <Link<Route, BookQuery> to={Route::Book} query={Some(props.next.to_query())}
                classes="button next" >
                { t(Key::BookContinue) }
            </Link<Route, BookQuery>>
        </section>
    }
}
