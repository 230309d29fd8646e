//! "Book a visit": the region and the office, the service, the day and the time and their
//! summary (steps 1–3), the people's personal and passport data (step 4), and the review with
//! "Pay by card" (step 5). The ticket (step 6) is on the booking's own page, `/my-booking/…`.
//!
//! The choices live in the address bar (`/book?region=…&branch=…&service=…&date=…&time=…` and
//! `&step=details|review`), so Back, reloading and shared links all behave; each choice is a
//! navigation. What has been loaded for them, the calendar's month and the office search live in
//! [`state::BookState`]; the people's data only in memory ([`people::People`]), never in the
//! address.

mod branches;
pub mod calendar;
mod details;
pub mod month;
mod people;
mod regions;
mod review;
pub mod services;
pub mod state;
mod summary;
pub mod times;

use crate::api;
use crate::app::Route;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t, use_title};
use crate::i18n::Key;
use branches::BranchList;
use calendar::Calendar;
use chrono::{NaiveDate, NaiveTime};
use details::{focus_first_error, Details};
use month::Month;
use nobat_domain::Region;
use people::{People, PeopleAction};
use regions::RegionPicker;
use review::Review;
use services::ServiceList;
use state::{Action, BookQuery, BookState, Choice, Load, Stage, Step};
use std::rc::Rc;
use summary::Summary;
use times::DayDetail;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

/// Today in Ashgabat, whatever zone the browser is in.
fn today() -> NaiveDate {
    nobat_domain::calendar::local_date(chrono::Utc::now())
}

/// Shows a load: waiting, its failure with "Try again", or what `ready` makes of it.
fn remote<T>(
    load: Option<Load<T>>,
    on_retry: &Callback<()>,
    ready: impl FnOnce(&T) -> Html,
) -> Html {
    match load {
        None => Html::default(),
        Some(Load::Loading) => html! { <Loading /> },
        Some(Load::Failed(error)) => {
            html! { <ErrorNotice {error} on_retry={on_retry.clone()} /> }
        }
        Some(Load::Ready(value)) => ready(&value),
    }
}

/// Which list the page shows (the id prefix of its heading), once its data are there.
fn shown_part(state: &BookState) -> Option<&'static str> {
    let branches = matches!(state.branches(), Some(Load::Ready(_)));
    let services = matches!(state.services(), Some(Load::Ready(_)));
    match state.step() {
        Step::Branch if state.region().is_none() => Some("region"),
        Step::Branch => branches.then_some("branch"),
        Step::Service => (branches && services).then_some("service"),
        Step::Time | Step::Summary => (branches && services).then_some("calendar"),
        Step::Details => (branches && services).then_some("details"),
        Step::Review => (branches && services).then_some("review"),
    }
}

/// Focuses the first field in error once the page has drawn it.
fn focus_first_error_soon() {
    gloo_timers::callback::Timeout::new(50, focus_first_error).forget();
}

fn focus_heading(part: &str) {
    use wasm_bindgen::JsCast;
    let heading = crate::hooks::document()
        .and_then(|d| d.get_element_by_id(&format!("{part}-title")))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.focus();
    }
}

#[function_component(Book)]
pub fn book() -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavBook));
    let location = use_location();
    let navigator = use_navigator();
    let choice = location
        .as_ref()
        .and_then(|l| l.query::<BookQuery>().ok())
        .map(|query| Choice::from_query(&query))
        .unwrap_or_default();
    let state = {
        let choice = choice.clone();
        use_reducer(move || BookState::new(today(), choice))
    };
    let people = use_reducer(People::default);

    // The address bar is the source of the choices.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(choice, move |choice| {
            dispatcher.dispatch(Action::Navigate(choice.clone()));
        });
    }
    // Each load starts when the choices need it, once; the reducer drops answers that come late.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.branches_to_fetch(), move |wanted| {
            if let Some(region) = *wanted {
                dispatcher.dispatch(Action::BranchesRequested(region));
                spawn_local(async move {
                    let result = api::branches::list(region, language).await;
                    dispatcher.dispatch(Action::BranchesLoaded(region, result));
                });
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.services_to_fetch(), move |&wanted| {
            if wanted {
                dispatcher.dispatch(Action::ServicesRequested);
                spawn_local(async move {
                    let result = api::services::list(language).await;
                    dispatcher.dispatch(Action::ServicesLoaded(result));
                });
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.availability_to_fetch(), move |wanted| {
            if let Some(key) = wanted.clone() {
                dispatcher.dispatch(Action::AvailabilityRequested(key.clone()));
                spawn_local(async move {
                    let result = api::availability::fetch(
                        &key.branch,
                        &key.service,
                        key.from,
                        key.to,
                        language,
                    )
                    .await;
                    dispatcher.dispatch(Action::AvailabilityLoaded(key, result));
                });
            }
        });
    }

    let go = Callback::from(move |choice: Choice| {
        if let Some(navigator) = &navigator {
            let _ = navigator.push_with_query(&Route::Book, &choice.to_query());
        }
    });
    let on_retry = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::Retry))
    };
    let on_filter = {
        let dispatcher = state.dispatcher();
        Callback::from(move |text: String| dispatcher.dispatch(Action::Filter(text)))
    };
    let on_month = {
        let go = go.clone();
        let choice = state.choice.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |month: Month| {
            // A chosen day stays with its month: leaving the month forgets it (Back restores it).
            if choice.date.is_some_and(|date| !month.contains(date)) {
                go.emit(choice.without_date());
            }
            dispatcher.dispatch(Action::ShowMonth(month));
        })
    };
    let on_date = {
        let go = go.clone();
        let choice = state.choice.clone();
        Callback::from(move |date: NaiveDate| {
            if choice.date != Some(date) {
                go.emit(choice.with_date(date));
            }
        })
    };
    let on_time = {
        let go = go.clone();
        let choice = state.choice.clone();
        Callback::from(move |time: NaiveTime| {
            if choice.time != Some(time) {
                go.emit(choice.with_time(time));
            }
        })
    };

    let step = state.step();
    let shown = shown_part(&state);
    {
        // A choice replaces the list it was made in: move the focus to the heading of what
        // replaced it, so keyboard and screen-reader users continue from there.
        let last_shown = use_mut_ref(|| None::<&'static str>);
        use_effect_with(shown, move |&shown| {
            let Some(shown) = shown else {
                return;
            };
            let before = last_shown.borrow_mut().replace(shown);
            if before.is_some_and(|before| before != shown) {
                focus_heading(shown);
            }
        });
    }
    let body = match step {
        Step::Branch => match state.region() {
            None => html! {
                <>
                    if state.choice.branch.is_some() && matches!(state.branches(), Some(Load::Ready(_))) {
                        <p class="notice" role="alert">{ t(Key::BookBranchMissing) }</p>
                    }
                    <RegionPicker />
                </>
            },
            Some(_) => remote(state.branches(), &on_retry, |all| {
                let services = state
                    .services()
                    .and_then(|load| load.ready().cloned())
                    .unwrap_or_default();
                html! {
                    <BranchList
                        branches={state.visible_branches().into_iter().cloned().collect::<Vec<_>>()}
                        total={all.len()}
                        {services}
                        filter={AttrValue::from(state.filter.clone())}
                        on_filter={on_filter.clone()}
                        missing={state.choice.branch.is_some()} />
                }
            }),
        },
        Step::Service => remote(state.branches(), &on_retry, |_| {
            remote(state.services(), &on_retry, |_| {
                let offered: Vec<_> = state
                    .selected_branch()
                    .map(|branch| state.services_of(branch).into_iter().cloned().collect())
                    .unwrap_or_default();
                html! {
                    <ServiceList services={offered} choice={state.choice.clone()}
                        missing={state.choice.service.is_some()} />
                }
            })
        }),
        Step::Time | Step::Summary => remote(state.branches(), &on_retry, |_| {
            remote(state.services(), &on_retry, |_| {
                let (Some(branch), Some(service)) =
                    (state.selected_branch(), state.selected_service())
                else {
                    return Html::default();
                };
                let day = state
                    .selected_day()
                    .filter(|day| state.month.contains(day.date))
                    .cloned();
                let summary = state.selected_slot().map(|slot| {
                    html! {
                        <Summary branch={branch.clone()} service={service.clone()} slot={slot.clone()}
                            arrive_minutes_early={state.arrive_minutes_early().unwrap_or(10)}
                            next={state.choice.at_stage(Stage::Details)} />
                    }
                });
                html! {
                    <>
                        <Calendar month={state.month} first={state.first_month()} last={state.last_month()}
                            today={state.today} availability={state.availability()}
                            selected={state.choice.date} on_month={on_month.clone()}
                            on_pick={on_date.clone()} on_retry={on_retry.clone()} />
                        if let Some(day) = day {
                            <DayDetail {day} selected={state.choice.time} on_pick={on_time.clone()} />
                        }
                        { for summary }
                    </>
                }
            })
        }),
        Step::Details | Step::Review => remote(state.branches(), &on_retry, |_| {
            remote(state.services(), &on_retry, |_| {
                let (Some(branch), Some(service), Some(slot)) = (
                    state.selected_branch(),
                    state.selected_service(),
                    state.selected_slot(),
                ) else {
                    return Html::default();
                };
                let request = people.request(&branch.code, &service.code, slot, language);
                let checked = people.check(&request, state.today, language);
                match checked {
                    // After a reload the people are gone: step 4 again.
                    Ok(seat) if step == Step::Review => {
                        let on_refused = {
                            let people = people.dispatcher();
                            let go = go.clone();
                            let choice = state.choice.clone();
                            Callback::from(move |errors| {
                                people.dispatch(PeopleAction::Refused(errors));
                                go.emit(choice.at_stage(Stage::Details));
                                focus_first_error_soon();
                            })
                        };
                        let on_other_time = {
                            let dispatcher = state.dispatcher();
                            let go = go.clone();
                            let choice = state.choice.clone();
                            Callback::from(move |()| {
                                dispatcher.dispatch(Action::ReloadAvailability);
                                if let Some(date) = choice.date {
                                    go.emit(choice.with_date(date));
                                }
                            })
                        };
                        let on_edit = {
                            let go = go.clone();
                            let choice = state.choice.clone();
                            Callback::from(move |()| go.emit(choice.at_stage(Stage::Details)))
                        };
                        html! {
                            <Review branch={branch.clone()} service={service.clone()} slot={slot.clone()}
                                body={AttrValue::from(api::bookings::booking_body(&request))} applicants={Rc::new(seat.applicants)}
                                arrive_minutes_early={state.arrive_minutes_early().unwrap_or(10)}
                                {on_refused} {on_other_time} {on_edit} />
                        }
                    }
                    checked => {
                        let valid = checked.is_ok();
                        let errors = Rc::new(checked.err().unwrap_or_default());
                        let on_change = {
                            let people = people.dispatcher();
                            Callback::from(move |action| people.dispatch(action))
                        };
                        let on_continue = {
                            let people = people.dispatcher();
                            let go = go.clone();
                            let choice = state.choice.clone();
                            Callback::from(move |()| {
                                if valid {
                                    go.emit(choice.at_stage(Stage::Review));
                                } else {
                                    people.dispatch(PeopleAction::ShowAll);
                                    focus_first_error_soon();
                                }
                            })
                        };
                        html! {
                            <Details people={Rc::new((*people).clone())} {errors} {on_change} {on_continue} />
                        }
                    }
                }
            })
        }),
    };

    html! {
        <>
            <h1>{ t(Key::BookTitle) }</h1>
            <p class="lead">{ t(Key::BookLead) }</p>
            <Progress {step} />
            <Chosen state={Rc::new((*state).clone())} />
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ProgressProps {
    step: Step,
}

/// The five steps of booking, the current one marked.
#[function_component(Progress)]
fn progress(props: &ProgressProps) -> Html {
    let t = use_t();
    let current = match props.step {
        Step::Branch => 0,
        Step::Service => 1,
        Step::Time | Step::Summary => 2,
        Step::Details => 3,
        Step::Review => 4,
    };
    let steps = [
        Key::BookStepBranch,
        Key::BookStepService,
        Key::BookStepTime,
        Key::BookStepDetails,
        Key::BookStepPayment,
    ];
    let items = steps.iter().enumerate().map(|(index, &label)| {
        let class = match index.cmp(&current) {
            std::cmp::Ordering::Less => "done",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "later",
        };
        html! {
            <li class={class} aria-current={(index == current).then_some("step")}>{ t(label) }</li>
        }
    });
    html! {
        <ol class="progress" aria-label={t(Key::BookProgress)}>{ for items }</ol>
    }
}

#[derive(Properties, PartialEq)]
struct ChosenProps {
    state: Rc<BookState>,
}

/// What has been chosen so far, each with a way back to change it.
#[function_component(Chosen)]
fn chosen(props: &ChosenProps) -> Html {
    let t = use_t();
    let language = use_language();
    let state = &props.state;
    let step = state.step();
    let row = |label: Key, value: String, target: Choice, testid: &'static str| {
        html! {
            <div class="row" data-testid={testid}>
                <dt>{ t(label) }</dt>
                <dd>{ value }</dd>
                <dd class="change">
                    <Link<Route, BookQuery> to={Route::Book} query={Some(target.to_query())}>
                        { t(Key::BookChange) }
                        <span class="visually-hidden">{ ": " }{ t(label) }</span>
                    </Link<Route, BookQuery>>
                </dd>
            </div>
        }
    };
    let region = state.region().map(|region: Region| {
        row(
            Key::BookRegion,
            region.name().get(language).to_owned(),
            Choice::default(),
            "chosen-region",
        )
    });
    let branch = state
        .selected_branch()
        .filter(|_| step > Step::Branch)
        .map(|branch| {
            row(
                Key::BookStepBranch,
                branch.name.get(language).to_owned(),
                Choice::in_region(branch.region),
                "chosen-branch",
            )
        });
    let service = state
        .selected_service()
        .filter(|_| step > Step::Service)
        .map(|service| {
            row(
                Key::BookStepService,
                service.name.get(language).to_owned(),
                state.choice.without_service(),
                "chosen-service",
            )
        });
    let time = state
        .selected_slot()
        .filter(|_| step >= Step::Details)
        .zip(state.choice.date)
        .map(|(slot, date)| {
            row(
                Key::BookStepTime,
                format!(
                    "{}, {}",
                    crate::i18n::date(date),
                    crate::i18n::time(state::slot_time(slot))
                ),
                state.choice.with_date(date),
                "chosen-time",
            )
        });
    if region.is_none() {
        return Html::default();
    }
    html! {
        <section class="card chosen" aria-labelledby="chosen-title">
            <h2 id="chosen-title" class="visually-hidden">{ t(Key::BookYourChoice) }</h2>
            <dl>
                { for region }
                { for branch }
                { for service }
                { for time }
            </dl>
        </section>
    }
}
