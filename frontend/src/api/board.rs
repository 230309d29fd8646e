//! The public display board of a branch: `GET /api/v1/branches/{code}/board` (who is called to
//! which counter) and the wire form of the `call` events of its live stream
//! (`/board/events`, read with the browser's `EventSource`).

use super::{percent_encode, ApiError};
use chrono::{DateTime, Utc};
use nobat_domain::Language;
use serde::Deserialize;

/// One call on the board.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BoardCall {
    /// The ticket number, e.g. `A-017`.
    pub number: String,
    #[serde(default)]
    pub counter: Option<i32>,
    #[serde(default)]
    pub counter_label: Option<String>,
    #[serde(default)]
    pub called_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub status: String,
}

impl BoardCall {
    /// The counter as the hall's signs name it.
    pub fn counter_name(&self) -> String {
        match (&self.counter_label, self.counter) {
            (Some(label), _) if !label.trim().is_empty() => label.trim().to_owned(),
            (_, Some(number)) => number.to_string(),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BoardView {
    pub branch: String,
    /// Called or at a counter now, newest call first.
    pub now_serving: Vec<BoardCall>,
    /// The last calls of the day, newest first.
    pub last_calls: Vec<BoardCall>,
}

/// An `event: call` of the stream: a call or a recall.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CallEvent {
    pub number: String,
    #[serde(default)]
    pub counter: Option<i32>,
    #[serde(default)]
    pub counter_label: Option<String>,
    #[serde(default)]
    pub calls: i32,
    pub at: DateTime<Utc>,
}

impl From<&CallEvent> for BoardCall {
    fn from(event: &CallEvent) -> BoardCall {
        BoardCall {
            number: event.number.clone(),
            counter: event.counter,
            counter_label: event.counter_label.clone(),
            called_at: Some(event.at),
            status: "called".to_owned(),
        }
    }
}

pub async fn fetch(branch: &str, language: Language) -> Result<BoardView, ApiError> {
    super::get_json(
        &format!("/branches/{}/board", percent_encode(branch)),
        language,
    )
    .await
}

/// The address of the branch's event stream.
pub fn events_url(branch: &str) -> String {
    format!("/api/v1/branches/{}/board/events", percent_encode(branch))
}
