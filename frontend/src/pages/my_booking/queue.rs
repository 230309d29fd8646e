//! The citizen's place in the branch's queue once checked in: their number, how many are ahead
//! and about how long, or, once called, the counter to go to.

use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use nobat_domain::booking_api::QueuePosition;
use nobat_domain::queue::QueueEntryStatus;
use nobat_domain::Language;
use yew::prelude::*;

/// What to say under the number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Waiting: how many are ahead, and the estimate when there is one.
    Waiting(String),
    /// Called (or at the counter): where to go.
    GoTo(String),
    /// Served, not come or cancelled: just the state.
    Over(&'static str),
}

fn place(position: &QueuePosition, language: Language) -> Place {
    let t = |key| i18n::t(language, key);
    let status = QueueEntryStatus::parse(&position.status);
    if let (Some(QueueEntryStatus::Called | QueueEntryStatus::Serving), Some(counter)) =
        (status, position.counter)
    {
        return Place::GoTo(fill(t(Key::MyQueueGo), &[("n", &counter.to_string())]));
    }
    if let Some(
        over @ (QueueEntryStatus::Served | QueueEntryStatus::NoShow | QueueEntryStatus::Cancelled),
    ) = status
    {
        return Place::Over(over.label(language));
    }
    let ahead = match position.ahead {
        0 => t(Key::MyQueueNext).to_owned(),
        n => fill(t(Key::MyQueueAhead), &[("n", &n.to_string())]),
    };
    Place::Waiting(match position.estimated_wait_minutes {
        Some(minutes) => format!(
            "{ahead} — {}",
            fill(t(Key::MyQueueWait), &[("n", &minutes.to_string())])
        ),
        None => ahead,
    })
}

#[derive(Properties, PartialEq)]
pub struct QueuePlaceProps {
    pub position: QueuePosition,
}

#[function_component(QueuePlace)]
pub fn queue_place(props: &QueuePlaceProps) -> Html {
    let t = use_t();
    let language = use_language();
    let position = &props.position;
    let place = place(position, language);
    let called = matches!(place, Place::GoTo(_));
    let detail = match &place {
        Place::Waiting(text) => {
            html! { <p class="issued-detail" data-testid="queue-ahead">{ text.clone() }</p> }
        }
        Place::GoTo(text) => {
            html! { <p class="queue-go" data-testid="queue-go">{ text.clone() }</p> }
        }
        Place::Over(text) => html! { <p class="issued-detail">{ *text }</p> },
    };
    html! {
        <section class={classes!("issued", "queue-place", called.then_some("called"))} role="status"
            aria-live="polite" data-testid="queue-place" data-status={position.status.clone()}>
            <p class="issued-label">{ t(Key::MyQueueNumber) }</p>
            <p class="issued-number" data-testid="queue-number">{ position.number.clone() }</p>
            { detail }
            if !matches!(place, Place::Over(_)) {
                <p class="muted queue-updates"><small>{ t(Key::MyQueueUpdates) }</small></p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(
        status: &str,
        ahead: u32,
        wait: Option<u32>,
        counter: Option<i32>,
    ) -> QueuePosition {
        QueuePosition {
            number: "R-002".into(),
            status: status.into(),
            ahead,
            estimated_wait_minutes: wait,
            counter,
        }
    }

    #[test]
    fn a_waiting_citizen_hears_how_many_are_ahead_and_how_long() {
        let en = Language::En;
        assert_eq!(
            place(&position("waiting", 1, Some(10), None), en),
            Place::Waiting("1 ahead — about 10 min".into())
        );
        assert_eq!(
            place(&position("waiting", 0, None, None), en),
            Place::Waiting("You are next".into())
        );
    }

    #[test]
    fn a_called_citizen_is_sent_to_the_counter() {
        assert_eq!(
            place(&position("called", 0, None, Some(4)), Language::En),
            Place::GoTo("Go to counter 4".into())
        );
        assert_eq!(
            place(&position("serving", 0, None, Some(4)), Language::Ru),
            Place::GoTo("Пройдите к окну 4".into())
        );
    }

    #[test]
    fn a_finished_visit_only_says_its_state() {
        assert_eq!(
            place(&position("served", 0, None, Some(4)), Language::En),
            Place::Over("Served")
        );
        assert_eq!(
            place(&position("no_show", 0, None, None), Language::En),
            Place::Over("No-show")
        );
    }
}
