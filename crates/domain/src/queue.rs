//! The branch's live queue: when a citizen may check in, the ticket number they get, the states
//! of a queue entry, the order in which citizens are called, the estimated wait, and what the
//! display board says.
//!
//! Arrival rule (DESIGN.md §2, "Arrival"): check-in opens a configurable time before the slot
//! (default 60 minutes) and closes at the slot's start. A citizen who is not checked in by then
//! is late: the booking is lost and the citizen must book again. A branch head may override
//! that with a written reason ([`OverrideReason`]), which the API puts in the audit log.

use crate::calendar::ZONE;
use crate::{Language, Localized};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Check-in window

/// When check-in is open for a slot, and how early the citizen is asked to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInPolicy {
    /// Check-in opens this long before the slot's start. A negative value counts as zero.
    pub opens_before: Duration,
    /// The citizen is asked to arrive this long before the slot's start (shown everywhere the
    /// citizen sees the time; not enforced: check-in stays open until the start itself).
    pub recommended_early: Duration,
}

impl Default for CheckInPolicy {
    fn default() -> Self {
        CheckInPolicy {
            opens_before: Duration::minutes(60),
            recommended_early: Duration::minutes(10),
        }
    }
}

impl CheckInPolicy {
    /// A policy from whole minutes, as branch settings store it.
    pub fn from_minutes(opens_before: u32, recommended_early: u32) -> Self {
        CheckInPolicy {
            opens_before: Duration::minutes(i64::from(opens_before)),
            recommended_early: Duration::minutes(i64::from(recommended_early)),
        }
    }

    /// The first instant at which a citizen booked for `slot_start` may check in.
    pub fn opens_at(&self, slot_start: DateTime<Utc>) -> DateTime<Utc> {
        let before = self.opens_before.max(Duration::zero());
        slot_start
            .checked_sub_signed(before)
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The time the citizen is asked to be there by (the slot's start less the recommendation).
    pub fn arrive_by(&self, slot_start: DateTime<Utc>) -> DateTime<Utc> {
        let early = self.recommended_early.max(Duration::zero());
        slot_start
            .checked_sub_signed(early)
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// Whether a citizen booked for a slot may check in now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum CheckInDecision {
    /// Check-in has not opened yet; come back at `opens_at`.
    TooEarly {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        opens_at: DateTime<Utc>,
    },
    /// Check-in is open.
    Open,
    /// The slot has started: the booking is lost and the citizen must book again.
    Late,
}

/// Decides whether a citizen booked for `slot_start` may check in at `now`: too early before
/// `slot_start - opens_before`, open from that instant (inclusive) until the start (exclusive),
/// late from the start itself on.
pub fn check_in_window(
    policy: &CheckInPolicy,
    slot_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CheckInDecision {
    let opens_at = policy.opens_at(slot_start);
    if now >= slot_start {
        CheckInDecision::Late
    } else if now < opens_at {
        CheckInDecision::TooEarly { opens_at }
    } else {
        CheckInDecision::Open
    }
}

impl CheckInDecision {
    /// The snake_case code, as in the JSON `decision` field.
    pub fn code(&self) -> &'static str {
        match self {
            CheckInDecision::TooEarly { .. } => "too_early",
            CheckInDecision::Open => "open",
            CheckInDecision::Late => "late",
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, CheckInDecision::Open)
    }

    /// What to tell the citizen (or the operator reading it to them), in `language`.
    pub fn message(&self, language: Language) -> String {
        let text = match self {
            CheckInDecision::TooEarly { opens_at } => {
                let at = opens_at.with_timezone(&ZONE).format("%d.%m.%Y %H:%M");
                Localized::new(
                    format!("Bellige alyş entek açylmady. Açylýan wagty: {at}."),
                    format!("Регистрация ещё не открыта. Она откроется {at}."),
                    format!("Check-in has not opened yet. It opens at {at}."),
                )
            }
            CheckInDecision::Open => Localized::new(
                "Bellige alyş açyk.",
                "Регистрация открыта.",
                "Check-in is open.",
            ),
            CheckInDecision::Late => Localized::new(
                "Bellenen wagtyňyz geçdi, şonuň üçin nobatyňyz ýatyryldy. Täzeden ýazylmaly bolarsyňyz.",
                "Время вашей записи уже наступило, поэтому запись аннулирована. Нужно записаться заново.",
                "Your appointment time has passed, so the booking is lost. You must book again.",
            ),
        };
        text.get(language).to_owned()
    }
}

/// The written reason a branch head gives to check in a late citizen anyway: trimmed, 5 to 500
/// characters. The API stores it in the audit log with the override.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OverrideReason(String);

/// The override reason is blank, too short or too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverrideReasonError {
    pub min: usize,
    pub max: usize,
}

impl OverrideReason {
    pub const MIN_CHARS: usize = 5;
    pub const MAX_CHARS: usize = 500;

    pub fn parse(raw: &str) -> Result<OverrideReason, OverrideReasonError> {
        let reason = raw.trim();
        let (min, max) = (Self::MIN_CHARS, Self::MAX_CHARS);
        if (min..=max).contains(&reason.chars().count()) {
            Ok(OverrideReason(reason.to_owned()))
        } else {
            Err(OverrideReasonError { min, max })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OverrideReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for OverrideReason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        OverrideReason::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl OverrideReasonError {
    pub fn message(&self, language: Language) -> String {
        let (min, max) = (self.min, self.max);
        Localized::new(
            format!("Sebäbini ýazyň: {min}-{max} belgi."),
            format!("Укажите причину: от {min} до {max} символов."),
            format!("Give the reason in {min} to {max} characters."),
        )
        .get(language)
        .to_owned()
    }
}

impl fmt::Display for OverrideReasonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for OverrideReasonError {}

// ---------------------------------------------------------------------------------------------
// Ticket numbers

/// A queue number for the day, shown `A-017`: a capital letter naming the service and a number
/// from 1, zero-padded to three digits (more digits past 999).
///
/// On the wire it is the string `A-017`; a wire type holding one marks the field
/// `#[schema(value_type = String, example = "A-017")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueueNumber {
    prefix: char,
    number: u16,
}

/// The text is not a queue number such as `A-017`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a queue number: expected a letter, a dash and a number from 1, e.g. A-017")]
pub struct QueueNumberError(pub String);

/// The letter of a service's queue numbers: `A` for international passports, `R` for
/// receptions, `S` for any other service.
pub fn prefix_for(service_code: &str) -> char {
    match service_code {
        "passport-international" => 'A',
        "reception" => 'R',
        _ => 'S',
    }
}

impl QueueNumber {
    /// `None` unless `prefix` is an ASCII letter (stored upper case) and `number` is at least 1.
    pub fn new(prefix: char, number: u16) -> Option<QueueNumber> {
        (prefix.is_ascii_alphabetic() && number >= 1).then(|| QueueNumber {
            prefix: prefix.to_ascii_uppercase(),
            number,
        })
    }

    /// The `number`th ticket of the day for a service.
    pub fn for_service(service_code: &str, number: u16) -> Option<QueueNumber> {
        QueueNumber::new(prefix_for(service_code), number)
    }

    pub fn prefix(&self) -> char {
        self.prefix
    }

    pub fn number(&self) -> u16 {
        self.number
    }

    /// The following number with the same prefix; `None` past 65535.
    pub fn next(&self) -> Option<QueueNumber> {
        self.number.checked_add(1).map(|number| QueueNumber {
            prefix: self.prefix,
            number,
        })
    }

    /// Reads `A-017`; also accepts what people type: surrounding spaces, a lower-case letter,
    /// no dash, fewer or more leading zeros (`a17`, ` A-0017 `).
    pub fn parse(raw: &str) -> Result<QueueNumber, QueueNumberError> {
        let bad = || QueueNumberError(raw.to_owned());
        let text = raw.trim();
        let mut chars = text.chars();
        let prefix = chars.next().ok_or_else(bad)?;
        let rest = chars.as_str();
        let digits = rest.strip_prefix('-').unwrap_or(rest);
        if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number = digits.parse::<u16>().map_err(|_| bad())?;
        QueueNumber::new(prefix, number).ok_or_else(bad)
    }
}

impl fmt::Display for QueueNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.prefix, self.number)
    }
}

impl std::str::FromStr for QueueNumber {
    type Err = QueueNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        QueueNumber::parse(s)
    }
}

impl Serialize for QueueNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QueueNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        QueueNumber::parse(&raw).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Queue entry lifecycle

/// Where a checked-in citizen is in the day's queue.
///
/// ```text
/// waiting ──call──► called ──start──► serving ──► served
///    │               │  └──served──────────────────► served
///    │               ├──recall (stays called, one more call)
///    │               └──(called max_calls times, absent)──► no_show
///    └──cancel──► cancelled
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueEntryStatus {
    /// Checked in, waiting to be called.
    Waiting,
    /// Called to a counter (perhaps several times), not there yet.
    Called,
    /// At the counter.
    Serving,
    Served,
    /// Called `max_calls` times and did not come.
    NoShow,
    /// Taken out of the queue before being called (left, or added by mistake).
    Cancelled,
}

impl QueueEntryStatus {
    pub const ALL: [QueueEntryStatus; 6] = [
        QueueEntryStatus::Waiting,
        QueueEntryStatus::Called,
        QueueEntryStatus::Serving,
        QueueEntryStatus::Served,
        QueueEntryStatus::NoShow,
        QueueEntryStatus::Cancelled,
    ];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            QueueEntryStatus::Waiting => "waiting",
            QueueEntryStatus::Called => "called",
            QueueEntryStatus::Serving => "serving",
            QueueEntryStatus::Served => "served",
            QueueEntryStatus::NoShow => "no_show",
            QueueEntryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<QueueEntryStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether an entry in this state may move to `next`. A recall is not a change of state
    /// (`called` stays `called`), so `called → called` is `false` here; see
    /// [`QueueProgress::recall`]. `called → no_show` is allowed here, but only after
    /// [`CallPolicy::max_calls`] calls: [`QueueProgress::mark_no_show`] checks the count.
    pub fn can_become(self, next: QueueEntryStatus) -> bool {
        use QueueEntryStatus::*;
        matches!(
            (self, next),
            (Waiting, Called | Cancelled) | (Called, Serving | Served | NoShow) | (Serving, Served)
        )
    }

    /// Whether the citizen is still in the day's queue (waiting, called or at a counter).
    pub fn is_active(self) -> bool {
        !self.is_terminal()
    }

    /// Whether no state follows this one.
    pub fn is_terminal(self) -> bool {
        !Self::ALL.into_iter().any(|next| self.can_become(next))
    }

    /// The state as staff and the citizen read it.
    pub fn label(self, language: Language) -> &'static str {
        let [tk, ru, en] = match self {
            QueueEntryStatus::Waiting => ["Garaşýar", "Ожидает", "Waiting"],
            QueueEntryStatus::Called => ["Çagyryldy", "Вызван", "Called"],
            QueueEntryStatus::Serving => ["Hyzmat edilýär", "Обслуживается", "Being served"],
            QueueEntryStatus::Served => ["Hyzmat edildi", "Обслужен", "Served"],
            QueueEntryStatus::NoShow => ["Gelmedi", "Не явился", "No-show"],
            QueueEntryStatus::Cancelled => ["Ýatyryldy", "Отменён", "Cancelled"],
        };
        match language {
            Language::Tk => tk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}

impl fmt::Display for QueueEntryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How many times an absent citizen is called before the operator may mark a no-show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    pub max_calls: u32,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy { max_calls: 3 }
    }
}

/// What an operator does to a queue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueAction {
    Call,
    Recall,
    StartServing,
    MarkServed,
    MarkNoShow,
    Cancel,
}

impl QueueAction {
    pub const ALL: [QueueAction; 6] = [
        QueueAction::Call,
        QueueAction::Recall,
        QueueAction::StartServing,
        QueueAction::MarkServed,
        QueueAction::MarkNoShow,
        QueueAction::Cancel,
    ];

    /// The snake_case code, as on the wire and in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            QueueAction::Call => "call",
            QueueAction::Recall => "recall",
            QueueAction::StartServing => "start_serving",
            QueueAction::MarkServed => "mark_served",
            QueueAction::MarkNoShow => "mark_no_show",
            QueueAction::Cancel => "cancel",
        }
    }

    pub fn parse(code: &str) -> Option<QueueAction> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl fmt::Display for QueueAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why an operator's action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueActionError {
    /// The action does not apply to an entry in this state (someone else got there first, or
    /// the button was stale).
    NotAllowed {
        action: QueueAction,
        status: QueueEntryStatus,
    },
    /// A no-show before the citizen was called often enough.
    TooFewCalls { calls: u32, required: u32 },
}

impl QueueActionError {
    pub fn message(&self, language: Language) -> String {
        let text = match *self {
            QueueActionError::NotAllowed { status, .. } => Localized::new(
                format!(
                    "Bu amaly ýerine ýetirip bolmaýar: müşderiniň ýagdaýy «{}».",
                    status.label(Language::Tk)
                ),
                format!(
                    "Это действие недоступно: статус посетителя «{}».",
                    status.label(Language::Ru)
                ),
                format!(
                    "This cannot be done: the citizen's status is \u{201c}{}\u{201d}.",
                    status.label(Language::En)
                ),
            ),
            QueueActionError::TooFewCalls { calls, required } => Localized::new(
                format!(
                    "Çagyryş: {calls} / {required}. Gelmedi diýip diňe {required} çagyryşdan soň bellemek bolýar."
                ),
                format!(
                    "Вызовов: {calls} из {required}. Неявку можно отметить только после {required}-го вызова."
                ),
                format!(
                    "Called {calls} of {required} times: a no-show can be marked only after {required} calls."
                ),
            ),
        };
        text.get(language).to_owned()
    }
}

impl fmt::Display for QueueActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for QueueActionError {}

/// A queue entry's state and how many times it has been called: what the rules need to decide
/// an operator's action. The API applies the result with a conditional `UPDATE ... WHERE status =
/// <the state it read>` so that two operators never both succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueProgress {
    pub status: QueueEntryStatus,
    pub calls: u32,
}

impl QueueProgress {
    /// A citizen just checked in (or added as a walk-in): waiting, never called.
    pub fn waiting() -> QueueProgress {
        QueueProgress {
            status: QueueEntryStatus::Waiting,
            calls: 0,
        }
    }

    /// The state after `action`, or why it is refused.
    pub fn apply(
        self,
        action: QueueAction,
        policy: &CallPolicy,
    ) -> Result<QueueProgress, QueueActionError> {
        use QueueEntryStatus::*;
        let to = |status: QueueEntryStatus, calls: u32| Ok(QueueProgress { status, calls });
        match (action, self.status) {
            (QueueAction::Call, Waiting) => to(Called, self.calls.saturating_add(1)),
            (QueueAction::Recall, Called) => to(Called, self.calls.saturating_add(1)),
            (QueueAction::StartServing, Called) => to(Serving, self.calls),
            (QueueAction::MarkServed, Called | Serving) => to(Served, self.calls),
            (QueueAction::MarkNoShow, Called) if self.calls < policy.max_calls => {
                Err(QueueActionError::TooFewCalls {
                    calls: self.calls,
                    required: policy.max_calls,
                })
            }
            (QueueAction::MarkNoShow, Called) => to(NoShow, self.calls),
            (QueueAction::Cancel, Waiting) => to(Cancelled, self.calls),
            _ => Err(QueueActionError::NotAllowed {
                action,
                status: self.status,
            }),
        }
    }

    /// Calls a waiting citizen to a counter (the first call).
    pub fn call(self) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::Call, &CallPolicy::default())
    }

    /// Calls a called citizen again: still `called`, one more call counted.
    pub fn recall(self) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::Recall, &CallPolicy::default())
    }

    /// The called citizen has come to the counter.
    pub fn start_serving(self) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::StartServing, &CallPolicy::default())
    }

    /// Done, from `called` (served at once) or `serving`; never from `waiting`.
    pub fn mark_served(self) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::MarkServed, &CallPolicy::default())
    }

    /// The citizen did not come after `policy.max_calls` calls.
    pub fn mark_no_show(self, policy: &CallPolicy) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::MarkNoShow, policy)
    }

    /// Takes a waiting citizen out of the queue.
    pub fn cancel(self) -> Result<QueueProgress, QueueActionError> {
        self.apply(QueueAction::Cancel, &CallPolicy::default())
    }
}

// ---------------------------------------------------------------------------------------------
// Order

/// Why staff put a citizen ahead of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    Disabled,
    Elderly,
    Pregnant,
}

impl PriorityReason {
    pub const ALL: [PriorityReason; 3] = [
        PriorityReason::Disabled,
        PriorityReason::Elderly,
        PriorityReason::Pregnant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PriorityReason::Disabled => "disabled",
            PriorityReason::Elderly => "elderly",
            PriorityReason::Pregnant => "pregnant",
        }
    }

    pub fn parse(code: &str) -> Option<PriorityReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, language: Language) -> &'static str {
        let [tk, ru, en] = match self {
            PriorityReason::Disabled => [
                "Maýyplygy bolan adam",
                "Человек с инвалидностью",
                "Person with a disability",
            ],
            PriorityReason::Elderly => ["Ýaşuly adam", "Пожилой человек", "Elderly person"],
            PriorityReason::Pregnant => ["Göwreli aýal", "Беременная женщина", "Pregnant woman"],
        };
        match language {
            Language::Tk => tk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}

impl fmt::Display for PriorityReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The place of a waiting citizen in the queue. Smaller keys are called first:
///
/// 1. priority citizens (disabled, elderly, pregnant) before everyone else;
/// 2. then by appointment time. A walk-in has no appointment and takes its check-in time as
///    its appointment time: it is slotted in among the booked citizens by when it arrived,
///    neither starving behind every later booking nor jumping ahead of earlier ones. A booked
///    citizen who arrives early keeps the booked place and does not overtake earlier bookings;
/// 3. then by check-in time;
/// 4. on a complete tie, the booked citizen before the walk-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueueKey {
    pub priority: bool,
    pub appointment: Option<DateTime<Utc>>,
    pub checked_in_at: DateTime<Utc>,
}

impl QueueKey {
    /// The time the citizen is ordered by within their priority class.
    pub fn effective_time(&self) -> DateTime<Utc> {
        self.appointment.unwrap_or(self.checked_in_at)
    }
}

impl Ord for QueueKey {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .priority
            .cmp(&self.priority)
            .then_with(|| self.effective_time().cmp(&other.effective_time()))
            .then_with(|| self.checked_in_at.cmp(&other.checked_in_at))
            .then_with(|| self.appointment.is_none().cmp(&other.appointment.is_none()))
    }
}

impl PartialOrd for QueueKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// How many of `waiting` will be called before `key` (the citizen's position less one).
pub fn count_ahead<'a>(key: &QueueKey, waiting: impl IntoIterator<Item = &'a QueueKey>) -> usize {
    waiting.into_iter().filter(|other| *other < key).count()
}

// ---------------------------------------------------------------------------------------------
// Estimated wait

/// The expected wait of a citizen with `ahead` people before them: the rounds of calls needed
/// (`ahead` over the open counters, rounded up) times the average service time. `None` when no
/// counter is open (no estimate can be given). A negative average counts as zero; a result
/// beyond chrono's range saturates at the largest duration.
pub fn estimated_wait(
    ahead: usize,
    open_counters: usize,
    average_service: Duration,
) -> Option<Duration> {
    if open_counters == 0 {
        return None;
    }
    let rounds = ahead.div_ceil(open_counters);
    let average = average_service.max(Duration::zero());
    let wait = i32::try_from(rounds)
        .ok()
        .and_then(|rounds| average.checked_mul(rounds))
        .unwrap_or(Duration::MAX);
    Some(wait)
}

// ---------------------------------------------------------------------------------------------
// Display board

/// The Turkmen ordinal of a number written in digits (`3-nji`, `6-njy`): the suffix follows the
/// vowels of the last word said aloud (üç → üçünji, alty → altynjy, on → onunjy).
fn turkmen_ordinal(digits: &str, value: u64) -> String {
    // Whether the word ends in back vowels, for the units 1-9 and the tens 10-90.
    const UNITS_BACK: [bool; 10] = [
        true, false, false, false, false, false, true, false, false, true,
    ];
    const TENS_BACK: [bool; 10] = [
        true, true, false, true, true, false, true, false, false, true,
    ];
    let back = if value == 0 {
        true // nol
    } else if value % 10 != 0 {
        UNITS_BACK[(value % 10) as usize]
    } else if value % 100 != 0 {
        TENS_BACK[(value / 10 % 10) as usize]
    } else if value % 1_000_000 != 0 {
        false // ýüz, müň
    } else {
        true // million, milliard
    };
    format!("{digits}-{}", if back { "njy" } else { "nji" })
}

/// What the board shows and says when a number is called to a counter.
pub fn announcement(number: &QueueNumber, counter_label: &str, language: Language) -> String {
    let counter = counter_label.trim();
    match language {
        Language::Tk => {
            let numeric = !counter.is_empty()
                && counter.len() <= 18
                && counter.bytes().all(|b| b.is_ascii_digit());
            let counter = match counter.parse::<u64>() {
                Ok(value) if numeric => turkmen_ordinal(counter, value),
                _ => counter.to_owned(),
            };
            format!("{number} belgili müşderi, {counter} penjirä geliň")
        }
        Language::Ru => format!("Номер {number}, пройдите к окну {counter}"),
        Language::En => format!("Number {number}, please go to counter {counter}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};
    use proptest::prelude::*;

    /// An instant written in Ashgabat time (+05:00).
    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        FixedOffset::east_opt(5 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn minutes(m: i64) -> Duration {
        Duration::minutes(m)
    }

    // --- check-in window

    #[test]
    fn default_policy_opens_an_hour_before_and_asks_for_ten_minutes() {
        let policy = CheckInPolicy::default();
        assert_eq!(policy.opens_before, minutes(60));
        assert_eq!(policy.recommended_early, minutes(10));
        assert_eq!(CheckInPolicy::from_minutes(60, 10), policy);
        let start = local(2026, 6, 15, 9, 0, 0);
        assert_eq!(policy.opens_at(start), local(2026, 6, 15, 8, 0, 0));
        assert_eq!(policy.arrive_by(start), local(2026, 6, 15, 8, 50, 0));
    }

    #[test]
    fn check_in_window_edges_in_ashgabat_time() {
        let policy = CheckInPolicy::default();
        let start = local(2026, 6, 15, 9, 0, 0);
        let at = |h, m, s| check_in_window(&policy, start, local(2026, 6, 15, h, m, s));
        let opens_at = local(2026, 6, 15, 8, 0, 0);

        assert_eq!(at(7, 59, 59), CheckInDecision::TooEarly { opens_at });
        assert_eq!(at(8, 0, 0), CheckInDecision::Open);
        assert_eq!(at(8, 0, 1), CheckInDecision::Open);
        assert_eq!(at(8, 50, 0), CheckInDecision::Open);
        assert_eq!(at(8, 59, 59), CheckInDecision::Open);
        assert_eq!(at(9, 0, 0), CheckInDecision::Late);
        assert_eq!(at(9, 0, 1), CheckInDecision::Late);
        // The day before, and the next day, are far off either side.
        assert_eq!(
            check_in_window(&policy, start, local(2026, 6, 14, 8, 30, 0)),
            CheckInDecision::TooEarly { opens_at }
        );
        assert_eq!(
            check_in_window(&policy, start, local(2026, 6, 16, 8, 30, 0)),
            CheckInDecision::Late
        );
    }

    #[test]
    fn the_window_follows_the_configured_opening() {
        let start = local(2026, 6, 15, 14, 30, 0);
        let policy = CheckInPolicy::from_minutes(15, 10);
        let at = |h, m, s| check_in_window(&policy, start, local(2026, 6, 15, h, m, s));
        assert!(matches!(at(14, 14, 59), CheckInDecision::TooEarly { .. }));
        assert_eq!(at(14, 15, 0), CheckInDecision::Open);
        assert_eq!(at(14, 29, 59), CheckInDecision::Open);
        assert_eq!(at(14, 30, 0), CheckInDecision::Late);

        // No opening at all: there is never a moment to check in.
        let closed = CheckInPolicy::from_minutes(0, 0);
        assert_eq!(
            check_in_window(&closed, start, start - Duration::seconds(1)),
            CheckInDecision::TooEarly { opens_at: start }
        );
        assert_eq!(
            check_in_window(&closed, start, start),
            CheckInDecision::Late
        );

        // A negative opening counts as zero rather than opening after the start.
        let negative = CheckInPolicy {
            opens_before: minutes(-30),
            recommended_early: minutes(-5),
        };
        assert_eq!(negative.opens_at(start), start);
        assert_eq!(negative.arrive_by(start), start);
    }

    #[test]
    fn check_in_messages_in_three_languages() {
        let too_early = CheckInDecision::TooEarly {
            opens_at: local(2026, 6, 15, 8, 0, 0),
        };
        assert_eq!(
            too_early.message(Language::Tk),
            "Bellige alyş entek açylmady. Açylýan wagty: 15.06.2026 08:00."
        );
        assert_eq!(
            too_early.message(Language::Ru),
            "Регистрация ещё не открыта. Она откроется 15.06.2026 08:00."
        );
        assert_eq!(
            too_early.message(Language::En),
            "Check-in has not opened yet. It opens at 15.06.2026 08:00."
        );

        let late = CheckInDecision::Late;
        assert!(late.message(Language::Tk).contains("Täzeden ýazylmaly"));
        assert!(late.message(Language::Ru).contains("записаться заново"));
        assert!(late.message(Language::En).contains("must book again"));
        assert_eq!(
            CheckInDecision::Open.message(Language::En),
            "Check-in is open."
        );

        // Every text is different in each language.
        for decision in [too_early, CheckInDecision::Open, late] {
            let texts: Vec<String> = Language::ALL.iter().map(|l| decision.message(*l)).collect();
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
            assert_ne!(texts[0], texts[2]);
        }
    }

    #[test]
    fn decisions_serialize_with_a_tag() {
        let too_early = CheckInDecision::TooEarly {
            opens_at: local(2026, 6, 15, 8, 0, 0),
        };
        assert_eq!(
            serde_json::to_value(too_early).unwrap(),
            serde_json::json!({"decision": "too_early", "opens_at": "2026-06-15T03:00:00Z"})
        );
        assert_eq!(
            serde_json::to_value(CheckInDecision::Late).unwrap(),
            serde_json::json!({"decision": "late"})
        );
        for decision in [too_early, CheckInDecision::Open, CheckInDecision::Late] {
            let json = serde_json::to_value(decision).unwrap();
            assert_eq!(json["decision"], decision.code());
            assert_eq!(
                serde_json::from_value::<CheckInDecision>(json).unwrap(),
                decision
            );
        }
        assert!(CheckInDecision::Open.is_open());
        assert!(!CheckInDecision::Late.is_open());
    }

    #[test]
    fn override_reasons_are_trimmed_and_bounded() {
        assert_eq!(
            OverrideReason::parse("  Ýolda heläkçilik boldy ")
                .unwrap()
                .as_str(),
            "Ýolda heläkçilik boldy"
        );
        assert!(OverrideReason::parse("Kesel").is_ok());
        assert!(OverrideReason::parse(" ok  ").is_err());
        assert!(OverrideReason::parse(&"ý".repeat(500)).is_ok());
        let error = OverrideReason::parse(&"ý".repeat(501)).unwrap_err();
        assert_eq!(
            error.message(Language::En),
            "Give the reason in 5 to 500 characters."
        );
        assert!(serde_json::from_str::<OverrideReason>("\"   \"").is_err());
        assert_eq!(
            serde_json::from_str::<OverrideReason>("\" Kesel \"")
                .unwrap()
                .as_str(),
            "Kesel"
        );
    }

    // --- numbers

    #[test]
    fn prefixes_per_service() {
        assert_eq!(prefix_for("passport-international"), 'A');
        assert_eq!(prefix_for("reception"), 'R');
        assert_eq!(prefix_for("passport-pickup"), 'S');
        assert_eq!(prefix_for(""), 'S');
    }

    #[test]
    fn numbers_display_zero_padded() {
        let number = QueueNumber::for_service("passport-international", 17).unwrap();
        assert_eq!(number.to_string(), "A-017");
        assert_eq!(number.prefix(), 'A');
        assert_eq!(number.number(), 17);
        assert_eq!(QueueNumber::new('r', 4).unwrap().to_string(), "R-004");
        assert_eq!(QueueNumber::new('S', 1234).unwrap().to_string(), "S-1234");
        assert_eq!(
            QueueNumber::new('A', u16::MAX).unwrap().to_string(),
            "A-65535"
        );
        assert_eq!(QueueNumber::new('A', 0), None);
        assert_eq!(QueueNumber::new('7', 1), None);
        assert_eq!(QueueNumber::new('Ý', 1), None);
        assert_eq!(
            QueueNumber::new('A', 9)
                .unwrap()
                .next()
                .unwrap()
                .to_string(),
            "A-010"
        );
        assert_eq!(QueueNumber::new('A', u16::MAX).unwrap().next(), None);
    }

    #[test]
    fn numbers_parse_what_people_type() {
        let a17 = QueueNumber::new('A', 17).unwrap();
        for typed in ["A-017", "a-017", " A-17 ", "A17", "a0017"] {
            assert_eq!(QueueNumber::parse(typed), Ok(a17), "{typed}");
        }
        for bad in [
            "",
            "A",
            "A-",
            "-017",
            "A--017",
            "AB-017",
            "A-0",
            "A-65536",
            "A-1 7",
            "Ä-017",
            "A-+17",
            "A-000000001",
        ] {
            assert!(QueueNumber::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            "R-004".parse::<QueueNumber>(),
            Ok(QueueNumber::new('R', 4).unwrap())
        );
    }

    #[test]
    fn numbers_travel_as_strings() {
        let number = QueueNumber::new('A', 17).unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"A-017\"");
        assert_eq!(
            serde_json::from_str::<QueueNumber>("\"A-017\"").unwrap(),
            number
        );
        assert!(serde_json::from_str::<QueueNumber>("\"017\"").is_err());
    }

    // --- lifecycle

    #[test]
    fn transitions_follow_the_queue_lifecycle_exactly() {
        use QueueEntryStatus::*;
        let allowed = [
            (Waiting, Called),
            (Waiting, Cancelled),
            (Called, Serving),
            (Called, Served),
            (Called, NoShow),
            (Serving, Served),
        ];
        for from in QueueEntryStatus::ALL {
            for to in QueueEntryStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
        // Never served without being called.
        assert!(!Waiting.can_become(Served));
        let terminal = [Served, NoShow, Cancelled];
        for status in QueueEntryStatus::ALL {
            assert_eq!(status.is_terminal(), terminal.contains(&status), "{status}");
            assert_eq!(status.is_active(), !terminal.contains(&status), "{status}");
        }
    }

    #[test]
    fn statuses_and_actions_have_snake_case_codes() {
        for status in QueueEntryStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(QueueEntryStatus::parse(status.code()), Some(status));
            assert_eq!(
                serde_json::from_str::<QueueEntryStatus>(&json).unwrap(),
                status
            );
            for language in Language::ALL {
                assert!(!status.label(language).is_empty());
            }
        }
        assert_eq!(QueueEntryStatus::NoShow.code(), "no_show");
        assert_eq!(QueueEntryStatus::parse("missed"), None);
        for action in QueueAction::ALL {
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.code()));
            assert_eq!(QueueAction::parse(action.code()), Some(action));
        }
        assert_eq!(QueueAction::MarkNoShow.code(), "mark_no_show");
    }

    #[test]
    fn the_happy_path_and_a_recall() {
        let called = QueueProgress::waiting().call().unwrap();
        assert_eq!(
            called,
            QueueProgress {
                status: QueueEntryStatus::Called,
                calls: 1
            }
        );
        let recalled = called.recall().unwrap().recall().unwrap();
        assert_eq!(
            recalled,
            QueueProgress {
                status: QueueEntryStatus::Called,
                calls: 3
            }
        );
        let serving = recalled.start_serving().unwrap();
        assert_eq!(serving.status, QueueEntryStatus::Serving);
        assert_eq!(serving.calls, 3);
        assert_eq!(
            serving.mark_served().unwrap().status,
            QueueEntryStatus::Served
        );
        // Marked served straight from the call.
        assert_eq!(
            called.mark_served().unwrap().status,
            QueueEntryStatus::Served
        );
    }

    #[test]
    fn no_show_only_after_max_calls() {
        let policy = CallPolicy::default();
        assert_eq!(policy.max_calls, 3);
        let once = QueueProgress::waiting().call().unwrap();
        assert_eq!(
            once.mark_no_show(&policy),
            Err(QueueActionError::TooFewCalls {
                calls: 1,
                required: 3
            })
        );
        let twice = once.recall().unwrap();
        assert!(twice.mark_no_show(&policy).is_err());
        let thrice = twice.recall().unwrap();
        assert_eq!(
            thrice.mark_no_show(&policy).unwrap(),
            QueueProgress {
                status: QueueEntryStatus::NoShow,
                calls: 3
            }
        );
        // A branch that calls once before giving up.
        assert!(once.mark_no_show(&CallPolicy { max_calls: 1 }).is_ok());
        // Never a no-show while waiting or at the counter, however many calls.
        let waiting = QueueProgress {
            status: QueueEntryStatus::Waiting,
            calls: 9,
        };
        assert!(matches!(
            waiting.mark_no_show(&policy),
            Err(QueueActionError::NotAllowed { .. })
        ));
        let serving = thrice.start_serving().unwrap();
        assert!(serving.mark_no_show(&policy).is_err());
    }

    #[test]
    fn every_action_in_every_state() {
        use QueueAction::*;
        use QueueEntryStatus::*;
        let policy = CallPolicy::default();
        // (action, from) → the state after it; anything absent is refused.
        let allowed = [
            (Call, Waiting, Called),
            (Recall, Called, Called),
            (StartServing, Called, Serving),
            (MarkServed, Called, Served),
            (MarkServed, Serving, Served),
            (MarkNoShow, Called, NoShow),
            (Cancel, Waiting, Cancelled),
        ];
        for action in QueueAction::ALL {
            for status in QueueEntryStatus::ALL {
                let from = QueueProgress { status, calls: 3 };
                let result = from.apply(action, &policy);
                match allowed
                    .iter()
                    .find(|(a, s, _)| *a == action && *s == status)
                {
                    Some((_, _, to)) => {
                        assert_eq!(result.map(|p| p.status), Ok(*to), "{action} from {status}");
                    }
                    None => assert_eq!(
                        result,
                        Err(QueueActionError::NotAllowed { action, status }),
                        "{action} from {status}"
                    ),
                }
            }
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        let served = QueueProgress {
            status: QueueEntryStatus::Served,
            calls: 1,
        };
        let error = served.call().unwrap_err();
        assert_eq!(
            error.message(Language::En),
            "This cannot be done: the citizen's status is \u{201c}Served\u{201d}."
        );
        assert!(error.message(Language::Tk).contains("Hyzmat edildi"));
        assert!(error.message(Language::Ru).contains("Обслужен"));
        let error = QueueActionError::TooFewCalls {
            calls: 1,
            required: 3,
        };
        assert_eq!(
            error.to_string(),
            "Called 1 of 3 times: a no-show can be marked only after 3 calls."
        );
        assert!(error.message(Language::Ru).contains("после 3-го вызова"));
        assert!(error.message(Language::Tk).contains("Çagyryş: 1 / 3"));
    }

    // --- order

    fn key(
        priority: bool,
        appointment: Option<DateTime<Utc>>,
        checked_in_at: DateTime<Utc>,
    ) -> QueueKey {
        QueueKey {
            priority,
            appointment,
            checked_in_at,
        }
    }

    #[test]
    fn priority_then_appointment_then_check_in() {
        let t = |h, m| local(2026, 6, 15, h, m, 0);
        let booked_0900_early = key(false, Some(t(9, 0)), t(8, 10));
        let booked_0900_late = key(false, Some(t(9, 0)), t(8, 55));
        let booked_0920 = key(false, Some(t(9, 20)), t(8, 5));
        let walk_in_0910 = key(false, None, t(9, 10));
        let walk_in_0850 = key(false, None, t(8, 50));
        let priority_booked_1000 = key(true, Some(t(10, 0)), t(9, 30));
        let priority_walk_in = key(true, None, t(9, 40));

        let mut queue = vec![
            walk_in_0910,
            booked_0920,
            priority_walk_in,
            booked_0900_late,
            walk_in_0850,
            priority_booked_1000,
            booked_0900_early,
        ];
        queue.sort();
        assert_eq!(
            queue,
            vec![
                // Priority first, among them by (effective) appointment time.
                priority_walk_in,
                priority_booked_1000,
                // An 08:50 walk-in before the 09:00 bookings that arrived earlier than it.
                walk_in_0850,
                booked_0900_early,
                booked_0900_late,
                walk_in_0910,
                // Arriving first does not beat an earlier appointment.
                booked_0920,
            ]
        );
        assert_eq!(count_ahead(&booked_0920, &queue), 6);
        assert_eq!(count_ahead(&priority_booked_1000, &queue), 1);
        assert_eq!(count_ahead(&priority_walk_in, &queue), 0);
        assert_eq!(count_ahead(&walk_in_0850, &queue), 2);
    }

    #[test]
    fn a_booked_citizen_goes_before_a_walk_in_on_a_full_tie() {
        let at = local(2026, 6, 15, 9, 0, 0);
        let booked = key(false, Some(at), at);
        let walk_in = key(false, None, at);
        assert!(booked < walk_in);
        assert_eq!(booked.cmp(&booked), Ordering::Equal);
        assert_eq!(walk_in.effective_time(), at);
    }

    #[test]
    fn priority_labels() {
        for reason in PriorityReason::ALL {
            assert_eq!(PriorityReason::parse(reason.code()), Some(reason));
            assert_eq!(
                serde_json::to_string(&reason).unwrap(),
                format!("\"{}\"", reason.code())
            );
        }
        assert_eq!(PriorityReason::Elderly.label(Language::Tk), "Ýaşuly adam");
        assert_eq!(
            PriorityReason::Pregnant.label(Language::Ru),
            "Беременная женщина"
        );
        assert_eq!(
            PriorityReason::Disabled.label(Language::En),
            "Person with a disability"
        );
        assert_eq!(PriorityReason::parse("vip"), None);
    }

    // --- estimated wait

    #[test]
    fn estimated_wait_rounds_up_per_counter() {
        let average = minutes(15);
        assert_eq!(estimated_wait(0, 2, average), Some(Duration::zero()));
        assert_eq!(estimated_wait(1, 2, average), Some(minutes(15)));
        assert_eq!(estimated_wait(2, 2, average), Some(minutes(15)));
        assert_eq!(estimated_wait(3, 2, average), Some(minutes(30)));
        assert_eq!(estimated_wait(7, 3, average), Some(minutes(45)));
        assert_eq!(estimated_wait(5, 1, average), Some(minutes(75)));
        assert_eq!(estimated_wait(5, 0, average), None);
        assert_eq!(estimated_wait(0, 0, average), None);
        assert_eq!(estimated_wait(5, 2, minutes(-3)), Some(Duration::zero()));
        assert_eq!(estimated_wait(usize::MAX, 1, average), Some(Duration::MAX));
    }

    // --- board

    #[test]
    fn announcements_in_three_languages() {
        let number = QueueNumber::new('A', 17).unwrap();
        assert_eq!(
            announcement(&number, "3", Language::Tk),
            "A-017 belgili müşderi, 3-nji penjirä geliň"
        );
        assert_eq!(
            announcement(&number, "3", Language::Ru),
            "Номер A-017, пройдите к окну 3"
        );
        assert_eq!(
            announcement(&number, " 3 ", Language::En),
            "Number A-017, please go to counter 3"
        );
        // A label that is not a number is said as it is.
        assert_eq!(
            announcement(&number, "B", Language::Tk),
            "A-017 belgili müşderi, B penjirä geliň"
        );
    }

    #[test]
    fn turkmen_ordinals_follow_vowel_harmony() {
        let cases = [
            (1, "1-nji"),
            (2, "2-nji"),
            (3, "3-nji"),
            (4, "4-nji"),
            (5, "5-nji"),
            (6, "6-njy"),
            (7, "7-nji"),
            (8, "8-nji"),
            (9, "9-njy"),
            (10, "10-njy"),
            (11, "11-nji"),
            (16, "16-njy"),
            (20, "20-nji"),
            (30, "30-njy"),
            (40, "40-njy"),
            (50, "50-nji"),
            (60, "60-njy"),
            (70, "70-nji"),
            (80, "80-nji"),
            (90, "90-njy"),
            (100, "100-nji"),
            (1000, "1000-nji"),
            (1_000_000, "1000000-njy"),
        ];
        for (value, expected) in cases {
            assert_eq!(turkmen_ordinal(&value.to_string(), value), expected);
        }
    }

    proptest! {
        #[test]
        fn numbers_round_trip(prefix in "[A-Z]", number in 1u16..) {
            let prefix = prefix.chars().next().unwrap();
            let queue_number = QueueNumber::new(prefix, number).unwrap();
            let text = queue_number.to_string();
            prop_assert_eq!(QueueNumber::parse(&text), Ok(queue_number));
            prop_assert_eq!(QueueNumber::parse(&text.to_lowercase()), Ok(queue_number));
            prop_assert!(text.len() >= 5);
        }

        #[test]
        fn parse_never_panics(raw in ".{0,12}") {
            if let Ok(number) = QueueNumber::parse(&raw) {
                prop_assert_eq!(QueueNumber::parse(&number.to_string()), Ok(number));
            }
        }

        #[test]
        fn the_window_is_open_exactly_between_opening_and_start(
            opens_before in 0u32..240,
            offset_seconds in -20_000i64..20_000,
        ) {
            let policy = CheckInPolicy::from_minutes(opens_before, 10);
            let start = local(2026, 6, 15, 9, 0, 0);
            let now = start + Duration::seconds(offset_seconds);
            let decision = check_in_window(&policy, start, now);
            let opens = start - Duration::minutes(i64::from(opens_before));
            prop_assert_eq!(decision.is_open(), opens <= now && now < start);
            prop_assert_eq!(decision == CheckInDecision::Late, now >= start);
        }

        #[test]
        fn queue_order_is_total_and_priority_first(
            keys in prop::collection::vec((any::<bool>(), prop::option::of(0i64..600), 0i64..600), 0..20),
        ) {
            let base = local(2026, 6, 15, 8, 0, 0);
            let mut keys: Vec<QueueKey> = keys
                .into_iter()
                .map(|(p, a, c)| key(p, a.map(|a| base + minutes(a)), base + minutes(c)))
                .collect();
            keys.sort();
            for pair in keys.windows(2) {
                prop_assert!(pair[0] <= pair[1]);
                prop_assert!(pair[0].priority || !pair[1].priority);
                if pair[0].priority == pair[1].priority {
                    prop_assert!(pair[0].effective_time() <= pair[1].effective_time());
                }
                prop_assert_eq!(pair[0] == pair[1], pair[0].cmp(&pair[1]) == Ordering::Equal);
            }
        }

        #[test]
        fn served_never_without_a_call(
            actions in prop::collection::vec(0usize..6, 0..12),
            max_calls in 1u32..5,
        ) {
            let policy = CallPolicy { max_calls };
            let mut progress = QueueProgress::waiting();
            let mut was_called = false;
            for index in actions {
                if let Ok(next) = progress.apply(QueueAction::ALL[index], &policy) {
                    prop_assert!(progress.status.can_become(next.status) || next.status == progress.status);
                    was_called |= next.status == QueueEntryStatus::Called;
                    if next.status == QueueEntryStatus::Served {
                        prop_assert!(was_called && next.calls >= 1);
                    }
                    if next.status == QueueEntryStatus::NoShow {
                        prop_assert!(next.calls >= max_calls);
                    }
                    progress = next;
                }
            }
        }

        #[test]
        fn estimate_is_monotonic_in_people_ahead(ahead in 0usize..500, counters in 1usize..10) {
            let average = minutes(12);
            let now = estimated_wait(ahead, counters, average).unwrap();
            let later = estimated_wait(ahead + 1, counters, average).unwrap();
            prop_assert!(now <= later);
            prop_assert!(later - now <= average);
        }
    }
}
