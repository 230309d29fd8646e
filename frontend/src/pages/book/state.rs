//! The state of the booking flow as a reducer: what the citizen has chosen (mirrored from the
//! address bar, so Back and shared links work), what has been loaded for those choices, the month
//! the calendar shows and the text of the office search.
//!
//! Loads are keyed by what they were asked for; an answer that arrives after the citizen moved on
//! is dropped, so a slow response can never show another region's offices or another month.

use super::month::Month;
use crate::api::ApiError;
use chrono::{Days, NaiveDate, NaiveTime, Timelike};
use nobat_domain::availability::{AvailabilityDay, DayStatus, Slot};
use nobat_domain::catalog::{Availability, Branch, Code, Service};
use nobat_domain::Region;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use yew::Reducible;

/// How far ahead bookings open when the office does not say (the service's default).
const DEFAULT_DAYS_AHEAD: u64 = 30;

/// How many months past the last bookable day the calendar may show, so a citizen can see when
/// later days open.
const MONTHS_PAST_WINDOW: usize = 2;

/// The address-bar form of a [`Choice`], e.g.
/// `/book?region=dashoguz&branch=dashoguz&service=passport-international&date=2026-12-01&time=09:00`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BookQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// `details` or `review`: the steps after the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

/// Where the citizen is once a time is chosen: its summary, the people's details, or the
/// review before paying. Kept in the address bar so that Back goes one step back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    #[default]
    Summary,
    Details,
    Review,
}

impl Stage {
    fn code(self) -> Option<&'static str> {
        match self {
            Stage::Summary => None,
            Stage::Details => Some("details"),
            Stage::Review => Some("review"),
        }
    }

    fn parse(code: &str) -> Stage {
        match code {
            "details" => Stage::Details,
            "review" => Stage::Review,
            _ => Stage::Summary,
        }
    }
}

/// What the citizen has chosen so far. Each choice needs the one before it; the region may be
/// missing when an office is given (a shared link), and is then the office's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Choice {
    pub region: Option<Region>,
    pub branch: Option<Code>,
    pub service: Option<Code>,
    pub date: Option<NaiveDate>,
    /// The local (Asia/Ashgabat) start of the chosen time.
    pub time: Option<NaiveTime>,
    /// Once a time is chosen: how far past it the citizen is.
    pub stage: Stage,
}

impl Choice {
    /// Reads the address bar; whatever is malformed or lacks the choice before it is dropped.
    pub fn from_query(query: &BookQuery) -> Choice {
        let region = query.region.as_deref().and_then(Region::parse);
        let branch = query
            .branch
            .as_deref()
            .and_then(|code| Code::parse(code).ok());
        let service = branch
            .as_ref()
            .and(query.service.as_deref())
            .and_then(|code| Code::parse(code).ok());
        let date = service
            .as_ref()
            .and(query.date.as_deref())
            .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok());
        let time = date
            .and(query.time.as_deref())
            .and_then(|time| NaiveTime::parse_from_str(time, "%H:%M").ok());
        let stage = time
            .and(query.step.as_deref())
            .map_or(Stage::Summary, Stage::parse);
        Choice {
            region,
            branch,
            service,
            date,
            time,
            stage,
        }
    }

    pub fn to_query(&self) -> BookQuery {
        BookQuery {
            region: self.region.map(|r| r.code().to_owned()),
            branch: self.branch.as_ref().map(|c| c.as_str().to_owned()),
            service: self.service.as_ref().map(|c| c.as_str().to_owned()),
            date: self.date.map(|d| d.format("%Y-%m-%d").to_string()),
            time: self.time.map(|t| t.format("%H:%M").to_string()),
            step: self.stage.code().map(str::to_owned),
        }
    }

    /// A region chosen, nothing else yet.
    pub fn in_region(region: Region) -> Choice {
        Choice {
            region: Some(region),
            ..Choice::default()
        }
    }

    /// An office chosen (in its own region).
    pub fn at_branch(branch: &Branch) -> Choice {
        Choice {
            region: Some(branch.region),
            branch: Some(branch.code.clone()),
            ..Choice::default()
        }
    }

    pub fn with_service(&self, service: &Code) -> Choice {
        Choice {
            region: self.region,
            branch: self.branch.clone(),
            service: Some(service.clone()),
            ..Choice::default()
        }
    }

    pub fn with_date(&self, date: NaiveDate) -> Choice {
        Choice {
            date: Some(date),
            time: None,
            stage: Stage::Summary,
            ..self.clone()
        }
    }

    pub fn with_time(&self, time: NaiveTime) -> Choice {
        Choice {
            time: Some(time),
            stage: Stage::Summary,
            ..self.clone()
        }
    }

    /// The same time, at `stage` (which needs a time).
    pub fn at_stage(&self, stage: Stage) -> Choice {
        Choice {
            stage: if self.time.is_some() {
                stage
            } else {
                Stage::Summary
            },
            ..self.clone()
        }
    }

    /// The same office and service, no day yet.
    pub fn without_date(&self) -> Choice {
        Choice {
            date: None,
            time: None,
            stage: Stage::Summary,
            ..self.clone()
        }
    }

    /// The same office, no service yet.
    pub fn without_service(&self) -> Choice {
        Choice {
            region: self.region,
            branch: self.branch.clone(),
            ..Choice::default()
        }
    }

    /// Days before today cannot be booked: such a date (and its time) is dropped.
    fn drop_past(mut self, today: NaiveDate) -> Choice {
        if self.date.is_some_and(|date| date < today) {
            self.date = None;
            self.time = None;
            self.stage = Stage::Summary;
        }
        self
    }
}

/// Something fetched from the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(value) => Some(value),
            Load::Loading | Load::Failed(_) => None,
        }
    }

    fn failed(&self) -> bool {
        matches!(self, Load::Failed(_))
    }

    fn from_result<U>(result: Result<U, ApiError>, wrap: impl FnOnce(U) -> T) -> Load<T> {
        match result {
            Ok(value) => Load::Ready(wrap(value)),
            Err(error) => Load::Failed(error),
        }
    }
}

/// A load and what it was asked for.
#[derive(Debug, Clone, PartialEq)]
struct Asked<K, T> {
    key: K,
    load: Load<T>,
}

/// What one availability request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityKey {
    pub branch: Code,
    pub service: Code,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Which part of the flow the citizen is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Branch,
    Service,
    Time,
    Summary,
    /// Step 4: the people's personal and passport data.
    Details,
    /// Step 5: check everything and pay.
    Review,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BookState {
    /// Today in Ashgabat.
    pub today: NaiveDate,
    pub choice: Choice,
    /// The month the calendar shows.
    pub month: Month,
    /// The text of the office search.
    pub filter: String,
    branches: Option<Asked<Option<Region>, Rc<Vec<Branch>>>>,
    services: Option<Load<Rc<Vec<Service>>>>,
    availability: Option<Asked<AvailabilityKey, Rc<Availability>>>,
}

pub enum Action {
    /// The address bar changed (a choice, Back, a shared link).
    Navigate(Choice),
    /// The office search text changed.
    Filter(String),
    /// Show another month in the calendar (kept within the months that make sense).
    ShowMonth(Month),
    BranchesRequested(Option<Region>),
    BranchesLoaded(Option<Region>, Result<Vec<Branch>, ApiError>),
    ServicesRequested,
    ServicesLoaded(Result<Vec<Service>, ApiError>),
    AvailabilityRequested(AvailabilityKey),
    AvailabilityLoaded(AvailabilityKey, Result<Availability, ApiError>),
    /// Ask again for whatever failed.
    Retry,
    /// Forget the loaded days, so that they are asked for again (a time was taken meanwhile).
    ReloadAvailability,
}

impl BookState {
    pub fn new(today: NaiveDate, choice: Choice) -> BookState {
        let choice = choice.drop_past(today);
        let month = choice.date.map_or(Month::of(today), Month::of);
        BookState {
            today,
            choice,
            month,
            filter: String::new(),
            branches: None,
            services: None,
            availability: None,
        }
    }

    /// Which offices the flow needs: those of the chosen region, or of the whole country when a
    /// link names an office without its region.
    fn branches_wanted(&self) -> Option<Option<Region>> {
        match (self.choice.region, &self.choice.branch) {
            (Some(region), _) => Some(Some(region)),
            (None, Some(_)) => Some(None),
            (None, None) => None,
        }
    }

    /// The offices to ask the API for now, if they are not loaded or on their way.
    pub fn branches_to_fetch(&self) -> Option<Option<Region>> {
        let wanted = self.branches_wanted()?;
        match &self.branches {
            Some(asked) if asked.key == wanted => None,
            _ => Some(wanted),
        }
    }

    /// The offices for the current choice, or `None` while no region is chosen.
    pub fn branches(&self) -> Option<Load<Rc<Vec<Branch>>>> {
        let wanted = self.branches_wanted()?;
        Some(match &self.branches {
            Some(asked) if asked.key == wanted => asked.load.clone(),
            _ => Load::Loading,
        })
    }

    /// The services are needed as soon as offices are shown (each lists what it offers).
    pub fn services_to_fetch(&self) -> bool {
        self.branches_wanted().is_some() && self.services.is_none()
    }

    pub fn services(&self) -> Option<Load<Rc<Vec<Service>>>> {
        self.branches_wanted()?;
        Some(self.services.clone().unwrap_or(Load::Loading))
    }

    fn loaded_branches(&self) -> &[Branch] {
        match (&self.branches, self.branches_wanted()) {
            (Some(asked), Some(wanted)) if asked.key == wanted => asked
                .load
                .ready()
                .map_or(&[], |branches| branches.as_slice()),
            _ => &[],
        }
    }

    fn loaded_services(&self) -> &[Service] {
        match &self.services {
            Some(Load::Ready(services)) => services,
            _ => &[],
        }
    }

    /// The offices matching the search text, in the API's order.
    pub fn visible_branches(&self) -> Vec<&Branch> {
        self.loaded_branches()
            .iter()
            .filter(|branch| matches_search(branch, &self.filter))
            .collect()
    }

    pub fn selected_branch(&self) -> Option<&Branch> {
        let code = self.choice.branch.as_ref()?;
        self.loaded_branches().iter().find(|b| &b.code == code)
    }

    /// The chosen region, or the chosen office's.
    pub fn region(&self) -> Option<Region> {
        self.choice
            .region
            .or_else(|| self.selected_branch().map(|b| b.region))
    }

    /// The services `branch` offers, in the office's order.
    pub fn services_of(&self, branch: &Branch) -> Vec<&Service> {
        let services = self.loaded_services();
        branch
            .services
            .iter()
            .filter_map(|code| services.iter().find(|s| &s.code == code))
            .collect()
    }

    pub fn selected_service(&self) -> Option<&Service> {
        let code = self.choice.service.as_ref()?;
        let branch = self.selected_branch()?;
        self.services_of(branch)
            .into_iter()
            .find(|s| &s.code == code)
    }

    /// The first month the calendar shows: this one.
    pub fn first_month(&self) -> Month {
        Month::of(self.today)
    }

    /// The last month the calendar shows: a little past the office's booking window.
    pub fn last_month(&self) -> Month {
        let days_ahead = self
            .selected_branch()
            .map_or(DEFAULT_DAYS_AHEAD, |b| u64::from(b.booking.days_ahead));
        let last_bookable = self
            .today
            .checked_add_days(Days::new(days_ahead))
            .unwrap_or(self.today);
        (0..MONTHS_PAST_WINDOW).fold(Month::of(last_bookable), |month, _| month.next())
    }

    fn availability_wanted(&self) -> Option<AvailabilityKey> {
        let branch = self.selected_branch()?;
        let service = self.selected_service()?;
        let (from, to) = self.month.range_from(self.today)?;
        Some(AvailabilityKey {
            branch: branch.code.clone(),
            service: service.code.clone(),
            from,
            to,
        })
    }

    /// The days to ask the API about now, if they are not loaded or on their way.
    pub fn availability_to_fetch(&self) -> Option<AvailabilityKey> {
        let wanted = self.availability_wanted()?;
        match &self.availability {
            Some(asked) if asked.key == wanted => None,
            _ => Some(wanted),
        }
    }

    /// The days of the shown month, once an office and a service are chosen.
    pub fn availability(&self) -> Option<Load<Rc<Availability>>> {
        let wanted = self.availability_wanted()?;
        Some(match &self.availability {
            Some(asked) if asked.key == wanted => asked.load.clone(),
            _ => Load::Loading,
        })
    }

    fn loaded_availability(&self) -> Option<&Availability> {
        let wanted = self.availability_wanted()?;
        match &self.availability {
            Some(asked) if asked.key == wanted => asked.load.ready().map(|a| a.as_ref()),
            _ => None,
        }
    }

    /// The minutes before the slot a citizen must arrive, as the API says.
    pub fn arrive_minutes_early(&self) -> Option<u16> {
        self.loaded_availability().map(|a| a.arrive_minutes_early)
    }

    pub fn selected_day(&self) -> Option<&AvailabilityDay> {
        let date = self.choice.date?;
        self.loaded_availability()?
            .days
            .iter()
            .find(|day| day.date == date)
    }

    /// The chosen time, if it still has a free seat.
    pub fn selected_slot(&self) -> Option<&Slot> {
        let time = self.choice.time?;
        let day = self.selected_day()?;
        if day.status != DayStatus::Open {
            return None;
        }
        day.slots
            .iter()
            .find(|slot| slot_time(slot) == time && slot.remaining > 0)
    }

    /// Where the citizen is in the flow; a choice the data does not know sends them back to it.
    pub fn step(&self) -> Step {
        let Some(_) = self.choice.branch else {
            return Step::Branch;
        };
        let branches_ready = matches!(self.branches(), Some(Load::Ready(_)));
        if branches_ready && self.selected_branch().is_none() {
            return Step::Branch;
        }
        let Some(_) = self.choice.service else {
            return Step::Service;
        };
        let services_ready = matches!(self.services(), Some(Load::Ready(_)));
        if branches_ready && services_ready && self.selected_service().is_none() {
            return Step::Service;
        }
        if self.selected_slot().is_some() {
            match self.choice.stage {
                Stage::Summary => Step::Summary,
                Stage::Details => Step::Details,
                Stage::Review => Step::Review,
            }
        } else {
            Step::Time
        }
    }
}

/// The wall-clock start of a slot in the office's zone, as the API wrote it (`+05:00`), whatever
/// the browser's zone is.
pub fn slot_time(slot: &Slot) -> NaiveTime {
    let start = slot.start.time();
    NaiveTime::from_hms_opt(start.hour(), start.minute(), 0).unwrap_or(start)
}

/// Lowercases and drops the marks of Turkmen letters (and Russian ё), so "dasoguz" finds
/// "Daşoguz" on a keyboard without Turkmen letters.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ç' => 'c',
            'ä' => 'a',
            'ž' => 'z',
            'ň' => 'n',
            'ö' => 'o',
            'ş' => 's',
            'ü' => 'u',
            'ý' => 'y',
            'ё' => 'е',
            other => other,
        })
        .collect()
}

/// Whether every word of `query` is in the office's name or address, in any language.
pub fn matches_search(branch: &Branch, query: &str) -> bool {
    let texts = [&branch.name, &branch.address]
        .iter()
        .flat_map(|text| [&text.tk, &text.ru, &text.en])
        .map(|text| fold(text))
        .collect::<Vec<_>>()
        .join("\n");
    query
        .split_whitespace()
        .all(|word| texts.contains(&fold(word)))
}

impl Reducible for BookState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Navigate(choice) => {
                let choice = choice.drop_past(self.today);
                if choice == self.choice {
                    return self;
                }
                let mut next = (*self).clone();
                if choice.region != self.choice.region {
                    next.filter.clear();
                }
                if let Some(date) = choice.date.filter(|&d| Some(d) != self.choice.date) {
                    next.month = Month::of(date);
                } else if choice.branch != self.choice.branch
                    || choice.service != self.choice.service
                {
                    next.month = Month::of(self.today);
                }
                next.choice = choice;
                Rc::new(next)
            }
            Action::Filter(filter) if filter == self.filter => self,
            Action::Filter(filter) => Rc::new(BookState {
                filter,
                ..(*self).clone()
            }),
            Action::ShowMonth(month) => {
                let month = month.max(self.first_month()).min(self.last_month());
                if month == self.month {
                    return self;
                }
                Rc::new(BookState {
                    month,
                    ..(*self).clone()
                })
            }
            Action::BranchesRequested(key) => Rc::new(BookState {
                branches: Some(Asked {
                    key,
                    load: Load::Loading,
                }),
                ..(*self).clone()
            }),
            Action::BranchesLoaded(key, result) => match &self.branches {
                Some(asked) if asked.key == key && matches!(asked.load, Load::Loading) => {
                    Rc::new(BookState {
                        branches: Some(Asked {
                            key,
                            load: Load::from_result(result, Rc::new),
                        }),
                        ..(*self).clone()
                    })
                }
                _ => self,
            },
            Action::ServicesRequested => Rc::new(BookState {
                services: Some(Load::Loading),
                ..(*self).clone()
            }),
            Action::ServicesLoaded(result) => match &self.services {
                Some(Load::Loading) => Rc::new(BookState {
                    services: Some(Load::from_result(result, Rc::new)),
                    ..(*self).clone()
                }),
                _ => self,
            },
            Action::AvailabilityRequested(key) => Rc::new(BookState {
                availability: Some(Asked {
                    key,
                    load: Load::Loading,
                }),
                ..(*self).clone()
            }),
            Action::AvailabilityLoaded(key, result) => match &self.availability {
                Some(asked) if asked.key == key && matches!(asked.load, Load::Loading) => {
                    Rc::new(BookState {
                        availability: Some(Asked {
                            key,
                            load: Load::from_result(result, Rc::new),
                        }),
                        ..(*self).clone()
                    })
                }
                _ => self,
            },
            Action::Retry => {
                let mut next = (*self).clone();
                if next.branches.as_ref().is_some_and(|a| a.load.failed()) {
                    next.branches = None;
                }
                if next.services.as_ref().is_some_and(Load::failed) {
                    next.services = None;
                }
                if next.availability.as_ref().is_some_and(|a| a.load.failed()) {
                    next.availability = None;
                }
                if next == *self {
                    self
                } else {
                    Rc::new(next)
                }
            }
            Action::ReloadAvailability => Rc::new(BookState {
                availability: None,
                ..(*self).clone()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nobat_domain::wire::Problem;
    use serde_json::json;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn code(value: &str) -> Code {
        Code::parse(value).unwrap_or_else(|e| panic!("{e}"))
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 26);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn branch(code: &str, region: &str, name_tk: &str, address_ru: &str) -> Branch {
        serde_json::from_value(json!({
            "code": code,
            "name": {"tk": name_tk, "ru": "Отдел", "en": "Department"},
            "region": region,
            "region_name": {"tk": "Daşoguz welaýaty", "ru": "Дашогузский велаят", "en": "Daşoguz velayat"},
            "address": {"tk": "Gurbansoltan eje köçesi, 1", "ru": address_ru, "en": "1 Street"},
            "phone": "+993 322 12345",
            "location": null,
            "services": ["reception", "passport-international"],
            "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00", "breaks": []}],
            "booking": {"days_ahead": 30, "release_time": "08:00", "cutoff_minutes": 60, "hall_capacity": null}
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn service(code: &str, fee: i64) -> Service {
        serde_json::from_value(json!({
            "code": code,
            "name": {"tk": code, "ru": code, "en": code},
            "description": {"tk": "", "ru": "", "en": ""},
            "documents": {"tk": ["Pasport"], "ru": [], "en": []},
            "duration_minutes": 30,
            "fee": {"amount_minor": fee, "currency": "TMT"},
            "exemptions": ["child_under_16"]
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn availability(key: &AvailabilityKey) -> Availability {
        serde_json::from_value(json!({
            "branch": key.branch, "service": key.service, "time_zone": "Asia/Ashgabat",
            "arrive_minutes_early": 10,
            "days": [
                {"date": "2026-12-01", "status": "open", "short_day": false, "slots": [
                    {"start": "2026-12-01T09:00:00+05:00", "end": "2026-12-01T09:30:00+05:00", "capacity": 2, "remaining": 0},
                    {"start": "2026-12-01T09:30:00+05:00", "end": "2026-12-01T10:00:00+05:00", "capacity": 2, "remaining": 2}
                ]},
                {"date": "2026-12-12", "status": "closed",
                 "reason": {"code": "holiday", "text": {"tk": "Bitaraplyk güni", "ru": "День нейтралитета", "en": "Neutrality Day"}}},
                {"date": "2026-12-29", "status": "not_yet_open", "opens_at": "2026-11-29T08:00:00+05:00"}
            ]
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn problem() -> ApiError {
        ApiError::Problem(Problem {
            kind: "urn:nobat:problem:unavailable".into(),
            title: "Unavailable".into(),
            status: 503,
            detail: "try later".into(),
            errors: Default::default(),
            request_id: None,
        })
    }

    /// A state with Daşoguz's offices and the services loaded, at `choice`.
    fn loaded(choice: Choice) -> Rc<BookState> {
        let mut state = Rc::new(BookState::new(today(), choice));
        if let Some(key) = state.branches_to_fetch() {
            state = state.reduce(Action::BranchesRequested(key));
            state = state.reduce(Action::BranchesLoaded(
                key,
                Ok(vec![
                    branch(
                        "dashoguz",
                        "dashoguz",
                        "Daşoguz welaýat migrasiýa bölümi",
                        "ул. Гурбансолтан эдже",
                    ),
                    branch(
                        "gubadag",
                        "dashoguz",
                        "Gubadag etrap bölümi",
                        "Губадаг, ул. Мира",
                    ),
                ]),
            ));
        }
        if state.services_to_fetch() {
            state = state.reduce(Action::ServicesRequested);
            state = state.reduce(Action::ServicesLoaded(Ok(vec![
                service("passport-international", 6000),
                service("visa", 1000),
                service("reception", 0),
            ])));
        }
        state
    }

    fn at_service() -> Choice {
        Choice {
            region: Some(Region::Dashoguz),
            branch: Some(code("dashoguz")),
            service: Some(code("passport-international")),
            ..Choice::default()
        }
    }

    fn with_month_loaded(state: Rc<BookState>) -> Rc<BookState> {
        let Some(key) = state.availability_to_fetch() else {
            return state;
        };
        let answer = availability(&key);
        state
            .reduce(Action::AvailabilityRequested(key.clone()))
            .reduce(Action::AvailabilityLoaded(key, Ok(answer)))
    }

    #[test]
    fn the_address_bar_round_trips() {
        let choice = at_service()
            .with_date(date(2026, 12, 1))
            .with_time(time(9, 30));
        let query = choice.to_query();
        assert_eq!(query.region.as_deref(), Some("dashoguz"));
        assert_eq!(query.date.as_deref(), Some("2026-12-01"));
        assert_eq!(query.time.as_deref(), Some("09:30"));
        assert_eq!(Choice::from_query(&query), choice);
        assert_eq!(Choice::default().to_query(), BookQuery::default());
    }

    #[test]
    fn a_choice_without_the_one_before_it_is_dropped() {
        let query = BookQuery {
            region: Some("moscow".into()),
            branch: None,
            service: Some("passport-international".into()),
            date: Some("2026-12-01".into()),
            time: Some("09:00".into()),
            step: Some("review".into()),
        };
        assert_eq!(Choice::from_query(&query), Choice::default());
        let query = BookQuery {
            branch: Some("dashoguz".into()),
            service: Some("passport-international".into()),
            date: Some("01.12.2026".into()),
            time: Some("09:00".into()),
            ..BookQuery::default()
        };
        let choice = Choice::from_query(&query);
        assert_eq!(choice.region, None);
        assert_eq!(choice.service, Some(code("passport-international")));
        assert_eq!((choice.date, choice.time), (None, None));
        let bad_code = BookQuery {
            branch: Some("Daşoguz".into()),
            ..BookQuery::default()
        };
        assert_eq!(Choice::from_query(&bad_code).branch, None);
    }

    #[test]
    fn going_up_a_step_forgets_the_later_choices() {
        let choice = at_service()
            .with_date(date(2026, 12, 1))
            .with_time(time(9, 0));
        assert_eq!(choice.with_date(date(2026, 12, 2)).time, None);
        assert_eq!(choice.without_date().date, None);
        let office = choice.without_service();
        assert_eq!((office.service, office.date), (None, None));
        assert_eq!(office.branch, Some(code("dashoguz")));
        assert_eq!(choice.with_service(&code("visa")).date, None);
    }

    #[test]
    fn a_region_asks_for_its_offices_and_the_services() {
        let state = Rc::new(BookState::new(today(), Choice::default()));
        assert_eq!(state.branches_to_fetch(), None);
        assert!(!state.services_to_fetch());
        assert_eq!(state.step(), Step::Branch);
        let state = state.reduce(Action::Navigate(Choice::in_region(Region::Dashoguz)));
        assert_eq!(state.branches_to_fetch(), Some(Some(Region::Dashoguz)));
        assert!(state.services_to_fetch());
        assert_eq!(state.branches(), Some(Load::Loading));
        let state = state.reduce(Action::BranchesRequested(Some(Region::Dashoguz)));
        assert_eq!(state.branches_to_fetch(), None, "asked once");
    }

    #[test]
    fn a_link_without_a_region_asks_for_every_office() {
        let choice = Choice {
            region: None,
            ..at_service()
        };
        let state = loaded(choice);
        assert_eq!(state.region(), Some(Region::Dashoguz));
        assert_eq!(
            state.selected_branch().map(|b| b.code.as_str()),
            Some("dashoguz")
        );
    }

    #[test]
    fn a_late_answer_for_another_region_is_dropped() {
        let state = Rc::new(BookState::new(today(), Choice::in_region(Region::Lebap)))
            .reduce(Action::BranchesRequested(Some(Region::Lebap)))
            .reduce(Action::Navigate(Choice::in_region(Region::Dashoguz)))
            .reduce(Action::BranchesRequested(Some(Region::Dashoguz)));
        let stale = state.clone().reduce(Action::BranchesLoaded(
            Some(Region::Lebap),
            Ok(vec![branch("turkmenabat", "lebap", "Türkmenabat", "")]),
        ));
        assert!(Rc::ptr_eq(&state, &stale));
        assert_eq!(stale.branches(), Some(Load::Loading));
    }

    #[test]
    fn the_search_ignores_case_language_and_turkmen_marks() {
        let state = loaded(Choice::in_region(Region::Dashoguz));
        let found = |text: &str| {
            let state = state.clone().reduce(Action::Filter(text.into()));
            state
                .visible_branches()
                .iter()
                .map(|b| b.code.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("").len(), 2);
        assert_eq!(found("dasoguz welayat"), vec!["dashoguz"]);
        assert_eq!(found("DAŞOGUZ"), vec!["dashoguz"]);
        assert_eq!(found("мира"), vec!["gubadag"]);
        assert!(found("Mary").is_empty());
        let other_region = state.reduce(Action::Filter("x".into()));
        let other_region = other_region.reduce(Action::Navigate(Choice::in_region(Region::Mary)));
        assert_eq!(other_region.filter, "", "a new region starts a new search");
    }

    #[test]
    fn an_office_offers_only_its_services_in_its_order() {
        let state = loaded(Choice::in_region(Region::Dashoguz));
        let Some(office) = state.visible_branches().first().copied() else {
            panic!("no office");
        };
        let codes: Vec<&str> = state
            .services_of(office)
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(codes, vec!["reception", "passport-international"]);
        let visa = loaded(at_service().with_service(&code("visa")));
        assert_eq!(visa.selected_service(), None);
        assert_eq!(visa.step(), Step::Service, "not offered here: choose again");
    }

    #[test]
    fn the_calendar_asks_for_the_shown_month_from_today() {
        let state = loaded(at_service());
        assert_eq!(state.step(), Step::Time);
        assert_eq!(state.month, Month::of(today()));
        assert_eq!(
            state.availability_to_fetch(),
            Some(AvailabilityKey {
                branch: code("dashoguz"),
                service: code("passport-international"),
                from: today(),
                to: date(2026, 11, 30),
            })
        );
        let december = state.reduce(Action::ShowMonth(Month::of(date(2026, 12, 1))));
        let key = december.availability_to_fetch();
        assert_eq!(
            key.as_ref().map(|k| (k.from, k.to)),
            Some((date(2026, 12, 1), date(2026, 12, 31)))
        );
    }

    #[test]
    fn the_calendar_stays_within_sensible_months() {
        let state = loaded(at_service());
        assert_eq!(state.first_month(), Month::of(today()));
        // 30 days ahead of 26 November is 26 December; two more months for "opens on ...".
        assert_eq!(state.last_month(), Month::of(date(2027, 2, 1)));
        let past = state
            .clone()
            .reduce(Action::ShowMonth(Month::of(date(2026, 10, 1))));
        assert!(Rc::ptr_eq(&past, &state));
        let far = state.reduce(Action::ShowMonth(Month::of(date(2027, 6, 1))));
        assert_eq!(far.month, Month::of(date(2027, 2, 1)));
    }

    #[test]
    fn choosing_a_date_shows_its_month_and_a_new_service_starts_at_this_month() {
        let state = loaded(at_service());
        let dated = state.reduce(Action::Navigate(at_service().with_date(date(2027, 1, 4))));
        assert_eq!(dated.month, Month::of(date(2027, 1, 4)));
        let undated = dated.reduce(Action::Navigate(at_service()));
        assert_eq!(
            undated.month,
            Month::of(date(2027, 1, 4)),
            "Back keeps the month"
        );
        let other = undated.reduce(Action::Navigate(
            at_service().with_service(&code("reception")),
        ));
        assert_eq!(other.month, Month::of(today()));
        let past = other.reduce(Action::Navigate(at_service().with_date(date(2026, 11, 1))));
        assert_eq!(past.choice.date, None, "past days cannot be chosen");
    }

    #[test]
    fn a_time_with_a_free_seat_leads_to_the_summary() {
        let december = Month::of(date(2026, 12, 1));
        let state = with_month_loaded(loaded(at_service()).reduce(Action::ShowMonth(december)));
        assert_eq!(state.arrive_minutes_early(), Some(10));
        let day = state.reduce(Action::Navigate(at_service().with_date(date(2026, 12, 1))));
        assert_eq!(day.selected_day().map(|d| d.status), Some(DayStatus::Open));
        assert_eq!(day.step(), Step::Time);
        let taken = day
            .clone()
            .reduce(Action::Navigate(day.choice.with_time(time(9, 0))));
        assert_eq!(taken.selected_slot(), None, "no seat left at 09:00");
        assert_eq!(taken.step(), Step::Time);
        let free = day.reduce(Action::Navigate(
            at_service()
                .with_date(date(2026, 12, 1))
                .with_time(time(9, 30)),
        ));
        assert_eq!(free.selected_slot().map(|s| s.remaining), Some(2));
        assert_eq!(free.step(), Step::Summary);
        let details = free.reduce(Action::Navigate(
            at_service()
                .with_date(date(2026, 12, 1))
                .with_time(time(9, 30))
                .at_stage(Stage::Details),
        ));
        assert_eq!(details.step(), Step::Details);
        let review = details.reduce(Action::Navigate(
            at_service()
                .with_date(date(2026, 12, 1))
                .with_time(time(9, 30))
                .at_stage(Stage::Review),
        ));
        assert_eq!(review.step(), Step::Review);
        let reloading = review.reduce(Action::ReloadAvailability);
        assert_eq!(
            reloading.step(),
            Step::Time,
            "no time is known while the days reload"
        );
        assert!(reloading.availability_to_fetch().is_some());
    }

    #[test]
    fn the_steps_after_the_summary_live_in_the_address_bar() {
        let chosen = at_service()
            .with_date(date(2026, 12, 1))
            .with_time(time(9, 30));
        let review = chosen.at_stage(Stage::Review);
        assert_eq!(review.to_query().step.as_deref(), Some("review"));
        assert_eq!(Choice::from_query(&review.to_query()), review);
        assert_eq!(chosen.to_query().step, None);
        assert_eq!(
            at_service().at_stage(Stage::Details).stage,
            Stage::Summary,
            "needs a time"
        );
        assert_eq!(review.with_time(time(10, 0)).stage, Stage::Summary);
        assert_eq!(review.with_date(date(2026, 12, 2)).stage, Stage::Summary);
        let query = BookQuery {
            step: Some("details".into()),
            ..at_service().to_query()
        };
        assert_eq!(
            Choice::from_query(&query).stage,
            Stage::Summary,
            "no time, no details"
        );
    }

    #[test]
    fn slot_times_are_the_offices_wall_clock() {
        let slot: Slot = serde_json::from_value(json!({
            "start": "2026-12-01T09:30:00+05:00", "end": "2026-12-01T10:00:00+05:00",
            "capacity": 1, "remaining": 1
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(slot_time(&slot), time(9, 30));
    }

    #[test]
    fn a_late_month_is_dropped_and_a_failure_can_be_retried() {
        let state = loaded(at_service());
        let Some(november) = state.availability_to_fetch() else {
            panic!("nothing to fetch");
        };
        let state = state
            .reduce(Action::AvailabilityRequested(november.clone()))
            .reduce(Action::ShowMonth(Month::of(date(2026, 12, 1))));
        let Some(december) = state.availability_to_fetch() else {
            panic!("December not asked");
        };
        let state = state.reduce(Action::AvailabilityRequested(december.clone()));
        let late = state.clone().reduce(Action::AvailabilityLoaded(
            november.clone(),
            Ok(availability(&november)),
        ));
        assert!(Rc::ptr_eq(&state, &late));
        let failed = late.reduce(Action::AvailabilityLoaded(december.clone(), Err(problem())));
        assert_eq!(failed.availability(), Some(Load::Failed(problem())));
        assert_eq!(failed.availability_to_fetch(), None, "no retry loop");
        let again = failed.reduce(Action::Retry);
        assert_eq!(again.availability_to_fetch(), Some(december));
        assert!(
            again.branches().is_some_and(|b| b.ready().is_some()),
            "kept what loaded"
        );
    }

    #[test]
    fn nothing_changes_without_news() {
        let state = loaded(at_service());
        let same = state.clone().reduce(Action::Navigate(at_service()));
        assert!(Rc::ptr_eq(&state, &same));
        let same = state.clone().reduce(Action::Retry);
        assert!(Rc::ptr_eq(&state, &same));
        let same = state.clone().reduce(Action::Filter(String::new()));
        assert!(Rc::ptr_eq(&state, &same));
    }
}
