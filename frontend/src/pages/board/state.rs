//! What the display board shows, as a reducer: the snapshot loaded from the API, then each call
//! heard on the event stream. A snapshot answered while calls were arriving must not undo them,
//! so the calls it cannot have seen are applied again on top of it.

use crate::api::board::{BoardCall, BoardView, CallEvent};
use std::rc::Rc;
use yew::Reducible;

/// How many calls the board keeps in "last calls" (as many as the API sends).
const LAST_CALLS: usize = 10;
/// How many rows "now serving" shows at most.
const NOW_SERVING: usize = 8;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardState {
    /// A snapshot has arrived.
    pub loaded: bool,
    /// Called or at a counter now, newest first; one row per counter.
    pub now_serving: Vec<BoardCall>,
    pub last_calls: Vec<BoardCall>,
    /// The newest call: the one the board announces.
    pub newest: Option<BoardCall>,
    /// Calls heard on the stream so far; each one chimes.
    pub heard: u32,
    /// The event stream is connected.
    pub live: bool,
    /// Which language the headings are in now (an index into `Language::ALL`).
    pub turn: usize,
    /// The latest calls heard, to re-apply over a snapshot that may predate them.
    recent: Vec<CallEvent>,
}

pub enum BoardAction {
    Snapshot(BoardView),
    Called(CallEvent),
    Connected(bool),
    NextLanguage,
}

impl BoardState {
    fn apply(&mut self, event: &CallEvent) {
        let call = BoardCall::from(event);
        // A counter serves one citizen at a time: its new call replaces the one before.
        self.now_serving.retain(|c| {
            c.number != call.number && (call.counter.is_none() || c.counter != call.counter)
        });
        self.now_serving.insert(0, call.clone());
        self.now_serving.truncate(NOW_SERVING);
        self.last_calls.retain(|c| c.number != call.number);
        self.last_calls.insert(0, call.clone());
        self.last_calls.truncate(LAST_CALLS);
        self.newest = Some(call);
    }
}

impl Reducible for BoardState {
    type Action = BoardAction;

    fn reduce(self: Rc<Self>, action: BoardAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BoardAction::Snapshot(view) => {
                let seen = view
                    .now_serving
                    .iter()
                    .chain(&view.last_calls)
                    .filter_map(|c| c.called_at)
                    .max();
                next.loaded = true;
                next.now_serving = view.now_serving;
                next.now_serving.truncate(NOW_SERVING);
                next.last_calls = view.last_calls;
                next.newest = next.now_serving.first().cloned();
                let later: Vec<CallEvent> = self
                    .recent
                    .iter()
                    .filter(|e| seen.is_none_or(|seen| e.at > seen))
                    .cloned()
                    .collect();
                for event in &later {
                    next.apply(event);
                }
            }
            BoardAction::Called(event) => {
                next.apply(&event);
                next.heard = next.heard.wrapping_add(1);
                next.recent.push(event);
                if next.recent.len() > LAST_CALLS {
                    next.recent.remove(0);
                }
            }
            BoardAction::Connected(live) if live == self.live => return self,
            BoardAction::Connected(live) => next.live = live,
            BoardAction::NextLanguage => next.turn = (self.turn + 1) % 3,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 4, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn event(number: &str, counter: i32, minute: u32) -> CallEvent {
        CallEvent {
            number: number.into(),
            counter: Some(counter),
            counter_label: Some(counter.to_string()),
            calls: 1,
            at: at(minute),
        }
    }

    fn snapshot(calls: &[(&str, i32, u32)]) -> BoardView {
        let calls: Vec<BoardCall> = calls
            .iter()
            .map(|(number, counter, minute)| BoardCall::from(&event(number, *counter, *minute)))
            .collect();
        BoardView {
            branch: "mary".into(),
            now_serving: calls.clone(),
            last_calls: calls,
        }
    }

    fn reduce(state: Rc<BoardState>, action: BoardAction) -> Rc<BoardState> {
        state.reduce(action)
    }

    fn numbers(calls: &[BoardCall]) -> Vec<&str> {
        calls.iter().map(|c| c.number.as_str()).collect()
    }

    #[test]
    fn a_call_goes_on_top_and_replaces_the_counters_previous_citizen() {
        let state = reduce(
            Rc::default(),
            BoardAction::Snapshot(snapshot(&[("A-002", 2, 5), ("A-001", 1, 4)])),
        );
        assert_eq!(
            state.newest.as_ref().map(|c| c.number.as_str()),
            Some("A-002")
        );
        assert_eq!(state.heard, 0);
        let state = reduce(state, BoardAction::Called(event("A-003", 1, 6)));
        assert_eq!(numbers(&state.now_serving), ["A-003", "A-002"]);
        assert_eq!(numbers(&state.last_calls), ["A-003", "A-002", "A-001"]);
        assert_eq!(state.heard, 1);
        // A recall moves the number up again and chimes again, without a second row.
        let state = reduce(state, BoardAction::Called(event("A-002", 2, 7)));
        assert_eq!(numbers(&state.now_serving), ["A-002", "A-003"]);
        assert_eq!(numbers(&state.last_calls), ["A-002", "A-003", "A-001"]);
        assert_eq!(state.heard, 2);
    }

    #[test]
    fn an_older_snapshot_does_not_undo_calls_heard_since() {
        let state = reduce(Rc::default(), BoardAction::Called(event("R-001", 4, 10)));
        // The snapshot was read before that call.
        let state = reduce(state, BoardAction::Snapshot(snapshot(&[("A-001", 1, 8)])));
        assert_eq!(numbers(&state.now_serving), ["R-001", "A-001"]);
        assert_eq!(state.newest.as_ref().map(|c| c.counter), Some(Some(4)));
        // A later snapshot that includes it is taken as it is.
        let state = reduce(
            state,
            BoardAction::Snapshot(snapshot(&[("R-001", 4, 10), ("A-001", 1, 8)])),
        );
        assert_eq!(numbers(&state.now_serving), ["R-001", "A-001"]);
        assert_eq!(numbers(&state.last_calls), ["R-001", "A-001"]);
    }

    #[test]
    fn the_lists_stay_short_and_the_languages_turn() {
        let mut state: Rc<BoardState> = Rc::default();
        for i in 0..15u32 {
            let number = format!("A-{:03}", i + 1);
            state = reduce(
                state,
                BoardAction::Called(event(&number, (i % 12) as i32 + 1, i)),
            );
        }
        assert_eq!(state.last_calls.len(), LAST_CALLS);
        assert_eq!(state.now_serving.len(), NOW_SERVING);
        let turns: Vec<usize> = (0..4)
            .scan(state, |s, _| {
                *s = s.clone().reduce(BoardAction::NextLanguage);
                Some(s.turn)
            })
            .collect();
        assert_eq!(turns, [1, 2, 0, 1]);
    }
}
