//! "Apply for a passport" (`/apply`, then `/apply/{number}`): the reason, the applicant, the
//! address and contacts, the previous passport and/or the parent or guardian when the reason
//! asks for them, the photo, the documents to bring, and the review with the fee; then "Submit"
//! and, with a fee, the bank's card page, which comes back to `/apply/{number}?paid`.
//!
//! Each field is checked as the citizen types by [`nobat_domain::passport::parse_application`],
//! the code the server runs; the server's 422 `errors` land on the same fields. The draft is
//! saved on each step (created once with an `Idempotency-Key`, then replaced), and its number and
//! token are kept in `localStorage` ([`drafts`]) so a reload continues; the token travels in the
//! `X-Application-Token` header only. Once submitted, the page shows the status ([`status`]).

pub mod drafts;
mod photo;
pub mod state;
pub mod status;

use crate::api::applications::{self, ApplicationView};
use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{document, use_language, use_t, use_title};
use crate::i18n::{self, Key};
use chrono::{NaiveDate, Utc};
use nobat_domain::booking::FieldErrors;
use nobat_domain::calendar::local_date;
use nobat_domain::catalog::Branch;
use nobat_domain::passport::{
    mrz_name, ApplicationReason, GuardianRelation, PreviousPassportRule, Sex,
};
use nobat_domain::{Language, Region};
use photo::PhotoStep;
use state::{path, ApplyAction, ApplyState, Step};
use status::StatusPage;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

fn today() -> NaiveDate {
    local_date(Utc::now())
}

fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}

/// The id of a field's input: `apply-applicant-surname`.
pub fn input_id(at: &str) -> String {
    format!("apply-{}", at.replace(['.', '_'], "-"))
}

fn step_title(step: Step) -> Key {
    match step {
        Step::Reason => Key::ApplyStepReason,
        Step::Person => Key::ApplyStepPerson,
        Step::Address => Key::ApplyStepAddress,
        Step::Previous => Key::ApplyStepPrevious,
        Step::Photo => Key::ApplyStepPhoto,
        Step::Documents => Key::ApplyStepDocuments,
        Step::Review => Key::ApplyStepReview,
    }
}

fn focus_first_error() {
    let focus = || {
        let input = document()
            .and_then(|d| {
                d.query_selector("#apply-form [aria-invalid=\"true\"]")
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = input {
            let _ = input.focus();
        }
    };
    gloo_timers::callback::Timeout::new(50, focus).forget();
}

/// The application on this page and its key.
#[derive(Debug, Clone, PartialEq)]
struct Held {
    number: String,
    token: String,
    view: ApplicationView,
}

#[derive(Debug, Clone, PartialEq)]
enum Page {
    /// A new application, nothing saved yet.
    New,
    Loading,
    /// This device has no token for the number in the address.
    NoToken(String),
    Failed(ApiError),
    Open(Box<Held>),
}

#[derive(Properties, PartialEq)]
pub struct ApplyProps {
    #[prop_or_default]
    pub number: Option<String>,
}

#[function_component(Apply)]
pub fn apply(props: &ApplyProps) -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavApply));
    let navigator = use_navigator();
    let location = use_location();
    let returned = location
        .as_ref()
        .map(|l| l.query_str().contains("paid") || l.query_str().contains("payment"))
        .unwrap_or(false);
    let page = use_state(|| Page::Loading);
    let form = use_reducer(ApplyState::default);
    let branches = use_state(Vec::<Branch>::new);
    let reload = use_state(|| 0u32);
    {
        let branches = branches.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(list) = api::branches::list(None, language).await {
                    branches.set(list);
                }
            });
        });
    }
    // The application in the address (or the one being filled in here) is loaded with its token.
    {
        let (page, dispatcher, navigator) = (page.clone(), form.dispatcher(), navigator.clone());
        use_effect_with((props.number.clone(), *reload), move |(number, count)| {
            let held = match &*page {
                Page::Open(held) => Some(held.number.clone()),
                _ => None,
            };
            match number.clone() {
                // Just created here: already open.
                Some(number) if held.as_deref() == Some(number.as_str()) && *count == 0 => {}
                Some(number) => match drafts::token(&number) {
                    None => page.set(Page::NoToken(number)),
                    Some(token) => {
                        page.set(Page::Loading);
                        spawn_local(async move {
                            match applications::fetch(&number, &token, language).await {
                                Ok(view) => {
                                    dispatcher.dispatch(ApplyAction::Load(Box::new(
                                        view.application.clone(),
                                    )));
                                    dispatcher.dispatch(ApplyAction::Go(state::resume_step(
                                        &view.application,
                                        &view.problems,
                                        today(),
                                        language,
                                    )));
                                    page.set(Page::Open(Box::new(Held {
                                        number,
                                        token,
                                        view,
                                    })));
                                }
                                Err(error) if error.status() == Some(404) => {
                                    drafts::forget(&number);
                                    page.set(Page::NoToken(number));
                                }
                                Err(error) => page.set(Page::Failed(error)),
                            }
                        });
                    }
                },
                None => match drafts::current() {
                    Some(number) => {
                        if let Some(navigator) = &navigator {
                            navigator.replace(&Route::Application { number });
                        }
                    }
                    None => page.set(Page::New),
                },
            }
        });
    }
    // Back from the bank, the payment may still be being confirmed: look again a few times.
    {
        let (page, reload) = (page.clone(), reload.clone());
        let waiting = matches!(&*page, Page::Open(held) if returned
            && held.view.status == "draft"
            && held.view.payment.as_ref().is_some_and(|p| matches!(p.status.as_str(), "new" | "pending")));
        use_effect_with((waiting, *reload), move |(waiting, count)| {
            let timer = (*waiting && *count < 15).then(|| {
                gloo_timers::callback::Timeout::new(2_000, move || reload.set(*reload + 1))
            });
            let _ = &page;
            move || drop(timer)
        });
    }
    let start_new = {
        let (page, dispatcher, navigator) = (page.clone(), form.dispatcher(), navigator.clone());
        Callback::from(move |_: MouseEvent| {
            drafts::start_new();
            dispatcher.dispatch(ApplyAction::Load(Box::default()));
            dispatcher.dispatch(ApplyAction::Go(Step::Reason));
            page.set(Page::New);
            if let Some(navigator) = &navigator {
                navigator.push(&Route::Apply);
            }
        })
    };
    let heading = html! {
        <>
            <h1>{ t(Key::ApplyTitle) }</h1>
            <p class="lead">{ t(Key::ApplyLead) }</p>
        </>
    };
    match &*page {
        Page::Loading => html! { <>{ heading }<Loading /></> },
        Page::Failed(error) => {
            let reload = reload.clone();
            html! {
                <>
                    { heading }
                    <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| reload.set(*reload + 1))} />
                </>
            }
        }
        Page::NoToken(number) => html! {
            <>
                { heading }
                <div class="card notice" role="alert" data-testid="apply-no-token">
                    <p>{ i18n::fill(t(Key::ApplyNoToken), &[("number", number)]) }</p>
                    <div class="buttons">
                        <Link<Route> to={Route::Track} classes="button secondary">{ t(Key::NavTrack) }</Link<Route>>
                        <button type="button" class="button" onclick={start_new}>{ t(Key::ApplyStartNew) }</button>
                    </div>
                </div>
            </>
        },
        Page::Open(held) if held.view.status != "draft" => html! {
            <>
                { heading }
                <StatusPage number={held.number.clone()} token={held.token.clone()} view={held.view.clone()} />
                <p><button type="button" class="button secondary" onclick={start_new}>{ t(Key::ApplyStartNew) }</button></p>
            </>
        },
        Page::New | Page::Open(_) => {
            let held = match &*page {
                Page::Open(held) => Some((**held).clone()),
                _ => None,
            };
            html! {
                <>
                    { heading }
                    <Wizard form={form.clone()} {held} page={page.clone()} branches={(*branches).clone()}
                        {returned} on_new={start_new} />
                </>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct WizardProps {
    form: UseReducerHandle<ApplyState>,
    held: Option<Held>,
    page: UseStateHandle<Page>,
    branches: Vec<Branch>,
    returned: bool,
    on_new: Callback<MouseEvent>,
}

#[derive(Debug, Clone, PartialEq)]
enum Busy {
    Idle,
    Saving,
    Failed(ApiError),
}

#[function_component(Wizard)]
fn wizard(props: &WizardProps) -> Html {
    let t = use_t();
    let language = use_language();
    let navigator = use_navigator();
    let form = props.form.clone();
    let busy = use_state(|| Busy::Idle);
    // The body of the last create and its key: retrying the same body reuses the key.
    let attempt = use_mut_ref(|| None::<(String, String)>);
    let today = today();
    let errors = Rc::new(form.errors(today, language));
    let step = form.step;

    // Saves the draft (creating it the first time), then runs `then` with the saved view.
    let save = {
        let (form, page, busy, navigator, held) = (
            form.clone(),
            props.page.clone(),
            busy.clone(),
            navigator.clone(),
            props.held.clone(),
        );
        Rc::new(move |then: Box<dyn FnOnce(Held)>| {
            let (input, dirty) = (form.input.clone(), form.dirty);
            let (dispatcher, page, busy, navigator, held) = (
                form.dispatcher(),
                page.clone(),
                busy.clone(),
                navigator.clone(),
                held.clone(),
            );
            let key = match held {
                Some(_) => String::new(),
                None => {
                    let body = serde_json::to_string(&input).unwrap_or_default();
                    let mut attempt = attempt.borrow_mut();
                    match &*attempt {
                        Some((sent, key)) if *sent == body => key.clone(),
                        _ => {
                            let key = new_key();
                            *attempt = Some((body, key.clone()));
                            key
                        }
                    }
                }
            };
            busy.set(Busy::Saving);
            spawn_local(async move {
                let result = match &held {
                    Some(held) if !dirty || held.view.application == input => Ok(held.clone()),
                    Some(held) => applications::save(&held.number, &held.token, &input, language)
                        .await
                        .map(|view| Held {
                            view,
                            ..held.clone()
                        }),
                    None => applications::create(&input, &key, language)
                        .await
                        .map(|created| {
                            drafts::remember(&created.number, &created.token);
                            Held {
                                number: created.number,
                                token: created.token,
                                view: created.application,
                            }
                        }),
                };
                match result {
                    Ok(saved) => {
                        dispatcher.dispatch(ApplyAction::Saved);
                        busy.set(Busy::Idle);
                        let first = held.is_none();
                        page.set(Page::Open(Box::new(saved.clone())));
                        if first {
                            if let Some(navigator) = &navigator {
                                navigator.replace(&Route::Application {
                                    number: saved.number.clone(),
                                });
                            }
                        }
                        then(saved);
                    }
                    Err(ApiError::Problem(problem))
                        if problem.status == 422 && !problem.errors.is_empty() =>
                    {
                        busy.set(Busy::Idle);
                        dispatcher.dispatch(ApplyAction::Refused(problem.errors));
                        focus_first_error();
                    }
                    Err(error) => busy.set(Busy::Failed(error)),
                }
            });
        })
    };

    let go_to = {
        let dispatcher = form.dispatcher();
        move |step: Step| {
            dispatcher.dispatch(ApplyAction::Go(step));
            let focus = || {
                let heading = document()
                    .and_then(|d| d.get_element_by_id("apply-step-title"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(heading) = heading {
                    let _ = heading.focus();
                }
            };
            gloo_timers::callback::Timeout::new(50, focus).forget();
        }
    };
    let on_continue = {
        let (form, errors, save, go_to, held) = (
            form.clone(),
            errors.clone(),
            save.clone(),
            go_to.clone(),
            props.held.clone(),
        );
        let photo_missing = held.as_ref().is_none_or(|h| h.view.photo.is_none());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let step = form.step;
            if !form.blocking(step, &errors).is_empty() {
                form.dispatch(ApplyAction::Reveal(step));
                focus_first_error();
                return;
            }
            if step == Step::Photo && photo_missing {
                form.dispatch(ApplyAction::Refused(FieldErrors::from([(
                    "photo".to_owned(),
                    String::new(),
                )])));
                return;
            }
            let Some(next) = form.next(today) else {
                return;
            };
            let go_to = go_to.clone();
            save(Box::new(move |_| go_to(next)));
        })
    };
    let on_back = {
        let (form, go_to) = (form.clone(), go_to.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(previous) = form.previous(today) {
                go_to(previous);
            }
        })
    };
    let on_submit = {
        let (save, page, busy) = (save.clone(), props.page.clone(), busy.clone());
        let dispatcher = form.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let (page, busy, dispatcher) = (page.clone(), busy.clone(), dispatcher.clone());
            save(Box::new(move |held: Held| {
                busy.set(Busy::Saving);
                spawn_local(async move {
                    match applications::submit(&held.number, &held.token, language).await {
                        Ok(view) => {
                            let pay_url = view
                                .payment
                                .as_ref()
                                .filter(|_| view.status == "draft")
                                .and_then(|p| p.pay_url.clone());
                            if let Some(url) = pay_url {
                                let left = web_sys::window()
                                    .is_some_and(|w| w.location().assign(&url).is_ok());
                                if left {
                                    return;
                                }
                            }
                            busy.set(Busy::Idle);
                            page.set(Page::Open(Box::new(Held { view, ..held })));
                        }
                        Err(ApiError::Problem(problem))
                            if problem.status == 422 && !problem.errors.is_empty() =>
                        {
                            busy.set(Busy::Idle);
                            dispatcher.dispatch(ApplyAction::Refused(problem.errors));
                            focus_first_error();
                        }
                        Err(error) => busy.set(Busy::Failed(error)),
                    }
                });
            }));
        })
    };
    let on_uploaded = {
        let (page, held, dispatcher) = (props.page.clone(), props.held.clone(), form.dispatcher());
        Callback::from(move |view: ApplicationView| {
            if let Some(held) = &held {
                page.set(Page::Open(Box::new(Held {
                    view,
                    ..held.clone()
                })));
                dispatcher.dispatch(ApplyAction::Refused(FieldErrors::new()));
            }
        })
    };

    let edit = |at: &'static str| {
        let dispatcher = form.dispatcher();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|i| i.value())
                });
            if let Some(value) = value {
                dispatcher.dispatch(ApplyAction::Edit(at, value));
            }
        })
    };
    let choose = |at: &'static str| {
        let dispatcher = form.dispatcher();
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlInputElement>()
                        .map(|i| {
                            if i.type_() == "checkbox" {
                                i.checked().to_string()
                            } else {
                                i.value()
                            }
                        })
                });
            if let Some(value) = value {
                dispatcher.dispatch(ApplyAction::Edit(at, value));
                dispatcher.dispatch(ApplyAction::Leave(at));
            }
        })
    };
    let leave = |at: &'static str| {
        let dispatcher = form.dispatcher();
        Callback::from(move |_: FocusEvent| dispatcher.dispatch(ApplyAction::Leave(at)))
    };
    // A labelled field, its hint and its error, tied together for screen readers.
    let wrap = |at: &'static str,
                label: &str,
                hint: Option<String>,
                control: Html,
                optional: bool| {
        let id = input_id(at);
        let error = form.shown(at, &errors).map(str::to_owned);
        html! {
            <div class={classes!("field", error.as_ref().map(|_| "invalid"))} data-path={at}>
                <label for={id.clone()}>
                    { label.to_owned() }
                    if optional { <span class="optional">{ " (" }{ t(Key::FieldOptional) }{ ")" }</span> }
                </label>
                { control }
                if let Some(hint) = hint {
                    <p class="hint" id={format!("{id}-hint")}>{ hint }</p>
                }
                if let Some(error) = error {
                    <p class="field-error" id={format!("{id}-error")} data-field={at}>{ error }</p>
                }
            </div>
        }
    };
    let described = |at: &str, hint: bool| -> Option<String> {
        let id = input_id(at);
        let parts: Vec<String> = [
            hint.then(|| format!("{id}-hint")),
            form.shown(at, &errors).map(|_| format!("{id}-error")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let text = |at: &'static str,
                label: Key,
                hint: Option<Key>,
                kind: &'static str,
                autocomplete: &'static str,
                optional: bool| {
        let id = input_id(at);
        let invalid = form.shown(at, &errors).is_some();
        let control = html! {
            <input id={id} type={kind} autocomplete={autocomplete} value={state::get(&form.input, at)}
                aria-invalid={invalid.to_string()} aria-describedby={described(at, hint.is_some())}
                oninput={edit(at)} onblur={leave(at)} />
        };
        wrap(
            at,
            t(label),
            hint.map(|h| t(h).to_owned()),
            control,
            optional,
        )
    };
    let select = |at: &'static str, label: Key, options: Vec<(String, String)>| {
        let id = input_id(at);
        let current = state::get(&form.input, at);
        let invalid = form.shown(at, &errors).is_some();
        let control = html! {
            <select id={id} aria-invalid={invalid.to_string()} aria-describedby={described(at, false)}
                onchange={choose(at)} onblur={leave(at)}>
                <option value="" selected={current.is_empty()}>{ "—" }</option>
                { for options.into_iter().map(|(value, name)| html! {
                    <option selected={value == current} value={value.clone()}>{ name }</option>
                }) }
            </select>
        };
        wrap(at, t(label), None, control, false)
    };

    let body = match step {
        Step::Reason => {
            let current = form.input.reason.clone();
            let error = form.shown(path::REASON, &errors).map(str::to_owned);
            html! {
                <fieldset class="reasons" aria-describedby={error.as_ref().map(|_| "apply-reason-error")}>
                    <legend class="visually-hidden">{ t(Key::ApplyStepReason) }</legend>
                    { for ApplicationReason::ALL.iter().map(|reason| {
                        let id = format!("apply-reason-{}", reason.code());
                        html! {
                            <label class="choice radio" for={id.clone()}>
                                <input type="radio" {id} name="reason" value={reason.code()}
                                    checked={current == reason.code()} onchange={choose(path::REASON)} />
                                <span>{ reason.label(language) }</span>
                            </label>
                        }
                    }) }
                    if let Some(error) = error {
                        <p class="field-error" id="apply-reason-error" data-field="reason">{ error }</p>
                    }
                </fieldset>
            }
        }
        Step::Person => {
            let sex = form.input.applicant.sex.clone();
            let sex_error = form.shown(path::SEX, &errors).map(str::to_owned);
            let mrz = mrz_name(
                &state::get(&form.input, path::PRINTED_SURNAME),
                &state::get(&form.input, path::PRINTED_GIVEN_NAMES),
            );
            let reason_error = form
                .shown(path::REASON, &errors)
                .map(str::to_owned)
                .or_else(|| {
                    form.left
                        .contains(path::DATE_OF_BIRTH)
                        .then(|| errors.get(path::REASON).cloned())
                        .flatten()
                });
            html! {
                <>
                    <div class="fields">
                        { text(path::SURNAME, Key::FieldSurname, None, "text", "family-name", false) }
                        { text(path::GIVEN_NAMES, Key::ApplyGivenNames, None, "text", "given-name", false) }
                        { text(path::PATRONYMIC, Key::FieldPatronymic, Some(Key::HintPatronymic), "text", "additional-name", true) }
                        { text(path::DATE_OF_BIRTH, Key::FieldDateOfBirth, None, "date", "bday", false) }
                        { text(path::PLACE_OF_BIRTH, Key::ApplyPlaceOfBirth, Some(Key::ApplyPlaceOfBirthHint), "text", "off", false) }
                        <div class={classes!("field", sex_error.as_ref().map(|_| "invalid"))} data-path={path::SEX}>
                            <span class="label" id="apply-sex-label">{ t(Key::ApplySex) }</span>
                            <div class="inline-choices" role="radiogroup" aria-labelledby="apply-sex-label">
                                { for [Sex::Male, Sex::Female].iter().map(|s| {
                                    let id = format!("apply-sex-{}", s.code());
                                    html! {
                                        <label class="check" for={id.clone()}>
                                            <input type="radio" {id} name="sex" value={s.code()}
                                                checked={sex == s.code()} onchange={choose(path::SEX)} />
                                            { " " }{ s.label(language) }
                                        </label>
                                    }
                                }) }
                            </div>
                            if let Some(error) = sex_error {
                                <p class="field-error" data-field={path::SEX}>{ error }</p>
                            }
                        </div>
                        { text(path::NATIONAL_ID, Key::ApplyNationalId, Some(Key::ApplyNationalIdHint), "text", "off", false) }
                    </div>
                    <fieldset class="printed">
                        <legend>{ t(Key::ApplyPrintedTitle) }</legend>
                        <p class="hint">{ t(Key::ApplyPrintedHint) }</p>
                        <div class="fields">
                            { text(path::PRINTED_SURNAME, Key::ApplyPrintedSurname, None, "text", "off", false) }
                            { text(path::PRINTED_GIVEN_NAMES, Key::ApplyPrintedGivenNames, None, "text", "off", false) }
                        </div>
                        <p class="mrz" aria-label={t(Key::ApplyMrz)} data-testid="mrz"><code>{ mrz }</code></p>
                    </fieldset>
                    if let Some(error) = reason_error {
                        <p class="card error" role="alert" data-field="reason">{ error }</p>
                    }
                </>
            }
        }
        Step::Address => {
            let region = Region::parse(&form.input.address.velayat.to_ascii_lowercase());
            let regions: Vec<(String, String)> = Region::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.name().get(language).to_owned()))
                .collect();
            let offices: Vec<(String, String)> = props
                .branches
                .iter()
                .filter(|b| region.is_none_or(|r| b.region == r))
                .map(|b| (b.code.as_str().to_owned(), b.name.get(language).to_owned()))
                .collect();
            html! {
                <div class="fields">
                    { select(path::VELAYAT, Key::ApplyVelayat, regions) }
                    { text(path::LOCALITY, Key::ApplyLocality, None, "text", "address-level2", false) }
                    { text(path::STREET, Key::ApplyStreet, None, "text", "street-address", false) }
                    { text(path::PHONE, Key::FieldPhone, Some(Key::ApplyPhoneHint), "tel", "tel", false) }
                    { text(path::EMAIL, Key::FieldEmail, None, "email", "email", true) }
                    { select(path::BRANCH, Key::ApplyBranch, offices) }
                </div>
            }
        }
        Step::Previous => {
            let rule = state::asks_previous(&form.input);
            let guardian = state::asks_guardian(&form.input, today);
            let consent = form.input.guardian.as_ref().is_some_and(|g| g.consent);
            let consent_error = form
                .shown(path::GUARDIAN_CONSENT, &errors)
                .map(str::to_owned);
            let block = |at: &str| {
                form.refused.get(at).cloned().or_else(|| {
                    form.left
                        .contains(at)
                        .then(|| errors.get(at).cloned())
                        .flatten()
                })
            };
            let relations: Vec<(String, String)> = GuardianRelation::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.label(language)))
                .collect();
            html! {
                <>
                    if let Some(rule) = rule {
                        <fieldset class="block" data-testid="previous-passport">
                            <legend>{ t(Key::ApplyPreviousTitle) }</legend>
                            if rule == PreviousPassportRule::Optional {
                                <p class="hint">{ t(Key::ApplyPreviousOptional) }</p>
                            }
                            <div class="fields">
                                { text(path::PREVIOUS_NUMBER, Key::FieldPassportNumber, Some(Key::HintPassportNumber), "text", "off", rule == PreviousPassportRule::Optional) }
                                { text(path::PREVIOUS_ISSUED_ON, Key::FieldIssuedOn, None, "date", "off", rule == PreviousPassportRule::Optional) }
                            </div>
                            if let Some(error) = block("previous_passport") {
                                <p class="field-error" data-field="previous_passport">{ error }</p>
                            }
                        </fieldset>
                    }
                    if guardian {
                        <fieldset class="block" data-testid="guardian">
                            <legend>{ t(Key::ApplyGuardianTitle) }</legend>
                            <div class="fields">
                                { select(path::GUARDIAN_RELATION, Key::ApplyRelation, relations) }
                                { text(path::GUARDIAN_SURNAME, Key::FieldSurname, None, "text", "off", false) }
                                { text(path::GUARDIAN_GIVEN_NAMES, Key::ApplyGivenNames, None, "text", "off", false) }
                                { text(path::GUARDIAN_PATRONYMIC, Key::FieldPatronymic, None, "text", "off", true) }
                                { text(path::GUARDIAN_NATIONAL_ID, Key::ApplyGuardianId, None, "text", "off", false) }
                            </div>
                            <label class={classes!("check", "consent", consent_error.as_ref().map(|_| "invalid"))}>
                                <input type="checkbox" id={input_id(path::GUARDIAN_CONSENT)} checked={consent}
                                    onchange={choose(path::GUARDIAN_CONSENT)} />
                                { " " }{ t(Key::ApplyConsent) }
                            </label>
                            if let Some(error) = consent_error {
                                <p class="field-error" data-field={path::GUARDIAN_CONSENT}>{ error }</p>
                            }
                            if let Some(error) = block("guardian") {
                                <p class="field-error" data-field="guardian">{ error }</p>
                            }
                        </fieldset>
                    }
                </>
            }
        }
        Step::Photo => match &props.held {
            Some(held) => {
                let refused = form.refused.get("photo").filter(|m| !m.is_empty()).cloned();
                let missing = form.refused.contains_key("photo") && held.view.photo.is_none();
                html! {
                    <>
                        <PhotoStep number={held.number.clone()} token={held.token.clone()}
                            photo={held.view.photo.clone()} on_uploaded={on_uploaded.clone()} />
                        if let Some(error) = refused {
                            <p class="field-error" data-field="photo">{ error }</p>
                        } else if missing {
                            <p class="field-error" data-field="photo">{ t(Key::ApplyPhotoMissing) }</p>
                        }
                    </>
                }
            }
            None => html! { <Loading /> },
        },
        Step::Documents => documents(&form.input, language, &t),
        Step::Review => review(&form, props.held.as_ref(), &props.branches, language, &t),
    };

    let steps = state::steps(&form.input, today);
    let position = steps.iter().position(|&s| s == step).unwrap_or(0);
    let progress = steps.iter().enumerate().map(|(i, &s)| {
        let class = if i < position {
            "done"
        } else if i == position {
            "current"
        } else {
            ""
        };
        html! {
            <li class={class} aria-current={(i == position).then_some("step")}>{ t(step_title(s)) }</li>
        }
    });
    let saving = matches!(*busy, Busy::Saving);
    let failure = match &*busy {
        Busy::Failed(error) => html! { <ErrorNotice error={error.clone()} /> },
        _ => html! {},
    };
    let payment = props
        .held
        .as_ref()
        .and_then(|h| h.view.payment.clone())
        .filter(|_| step == Step::Review);
    let payment_note = payment.map(|p| {
        let (key, tone) = match p.status.as_str() {
            "declined" => (Key::OutcomeDeclined, "bad"),
            "new" | "pending" if props.returned => (Key::OutcomePending, "wait"),
            _ => (Key::ApplyPayAgain, "wait"),
        };
        html! {
            <p class="card outcome" data-tone={tone} role="status" data-testid="apply-payment"
                data-status={p.status.clone()}>{ t(key) }</p>
        }
    });
    let number = props.held.as_ref().map(|h| {
        let expires = h
            .view
            .expires_at
            .map(|at| i18n::date(local_date(at)))
            .unwrap_or_default();
        html! {
            <p class="saved-as" data-testid="apply-number" data-number={h.number.clone()}>
                { t(Key::ApplyNumber) }{ ": " }<strong class="reference-link">{ h.number.clone() }</strong>
                if form.dirty { { " · " }<span class="muted">{ t(Key::ApplyUnsaved) }</span> }
                else if !expires.is_empty() {
                    { " · " }<span class="muted">{ i18n::fill(t(Key::ApplyDraftKept), &[("date", &expires)]) }</span>
                }
            </p>
        }
    });
    let last = step == Step::Review;
    html! {
        <>
            <ol class="progress" aria-label={t(Key::ApplyProgress)}>{ for progress }</ol>
            { for number }
            <form id="apply-form" class="card apply-step" data-testid={format!("apply-{}", step.code())}
                data-step={step.code()} onsubmit={on_continue} novalidate=true>
                <h2 id="apply-step-title" tabindex="-1">{ t(step_title(step)) }</h2>
                { body }
                { for payment_note }
                { failure }
                <div class="buttons">
                    if last {
                        <button type="button" class="button pay" data-testid="apply-submit" disabled={saving}
                            aria-busy={saving.to_string()} onclick={on_submit}>
                            { if saving { t(Key::BookSending).to_owned() } else { submit_label(props.held.as_ref(), &t) } }
                        </button>
                    } else {
                        <button type="submit" class="button next" data-testid="apply-next" disabled={saving}
                            aria-busy={saving.to_string()}>
                            { if saving { t(Key::BookSending) } else { t(Key::ApplyContinue) } }
                        </button>
                    }
                    if position > 0 {
                        <button type="button" class="button secondary" data-testid="apply-back" onclick={on_back}>
                            { t(Key::ApplyBack) }
                        </button>
                    }
                </div>
            </form>
            if props.held.is_some() {
                <p><button type="button" class="button secondary small" onclick={props.on_new.clone()}>
                    { t(Key::ApplyStartNew) }</button></p>
            }
        </>
    }
}

fn submit_label(held: Option<&Held>, t: &impl Fn(Key) -> &'static str) -> String {
    match held {
        Some(held) if held.view.fee.amount_minor > 0 => {
            i18n::fill(t(Key::BookPay), &[("amount", &held.view.fee_display())])
        }
        _ => t(Key::ApplySubmit).to_owned(),
    }
}

/// What to bring when collecting the passport, for this reason.
fn document_keys(input: &nobat_domain::passport::ApplicationInput) -> Vec<Key> {
    let reason = state::reason(input);
    let mut keys = vec![if reason == Some(ApplicationReason::ChildUnder16) {
        Key::ApplyDocBirthCertificate
    } else {
        Key::ApplyDocInternalPassport
    }];
    match reason.map(ApplicationReason::previous_passport) {
        Some(PreviousPassportRule::Required) => keys.push(Key::ApplyDocPreviousPassport),
        Some(PreviousPassportRule::Optional) if reason == Some(ApplicationReason::Lost) => {
            keys.push(Key::ApplyDocLostStatement)
        }
        _ => {}
    }
    if reason == Some(ApplicationReason::PersonalDataChanged) {
        keys.push(Key::ApplyDocChangeCertificate);
    }
    if reason == Some(ApplicationReason::ChildUnder16) {
        keys.push(Key::ApplyDocGuardianPassport);
    }
    keys.push(Key::ApplyDocReceipt);
    keys
}

fn documents(
    input: &nobat_domain::passport::ApplicationInput,
    _language: Language,
    t: &impl Fn(Key) -> &'static str,
) -> Html {
    html! {
        <>
            <p class="hint">{ t(Key::ApplyDocumentsLead) }</p>
            <ul class="checklist" data-testid="apply-checklist">
                { for document_keys(input).into_iter().enumerate().map(|(i, key)| {
                    let id = format!("apply-doc-{i}");
                    html! {
                        <li><label class="check" for={id.clone()}>
                            <input type="checkbox" {id} />{ " " }{ t(key) }
                        </label></li>
                    }
                }) }
            </ul>
        </>
    }
}

fn review(
    form: &ApplyState,
    held: Option<&Held>,
    branches: &[Branch],
    language: Language,
    t: &impl Fn(Key) -> &'static str,
) -> Html {
    let input = &form.input;
    let get = |at: &str| state::get(input, at);
    let reason = state::reason(input)
        .map(|r| r.label(language))
        .unwrap_or_default();
    let sex = Sex::parse(&input.applicant.sex)
        .map(|s| s.label(language))
        .unwrap_or_default();
    let date = |raw: String| {
        NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
            .map(i18n::date)
            .unwrap_or(raw)
    };
    let region = Region::parse(&input.address.velayat)
        .map(|r| r.name().get(language).to_owned())
        .unwrap_or_default();
    let branch = branches
        .iter()
        .find(|b| b.code.as_str() == input.collection_branch)
        .map(|b| b.name.get(language).to_owned())
        .unwrap_or_else(|| input.collection_branch.clone());
    let full_name = [
        get(path::SURNAME),
        get(path::GIVEN_NAMES),
        get(path::PATRONYMIC),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let printed = format!(
        "{} {}",
        get(path::PRINTED_SURNAME),
        get(path::PRINTED_GIVEN_NAMES)
    );
    let address = format!(
        "{region}, {}, {}",
        input.address.locality, input.address.street
    );
    let previous = input
        .previous_passport
        .as_ref()
        .map(|p| format!("{}, {}", p.number, date(p.issued_on.clone())));
    let guardian = input.guardian.as_ref().map(|g| {
        let relation = GuardianRelation::parse(&g.relation)
            .map(|r| r.label(language))
            .unwrap_or_default();
        format!("{} {} ({relation})", g.surname, g.given_names)
    });
    let problems = held.map(|h| h.view.problems.clone()).unwrap_or_default();
    let fee = held
        .map(|h| {
            if h.view.fee.amount_minor == 0 {
                t(Key::BookFree).to_owned()
            } else {
                h.view.fee_display()
            }
        })
        .unwrap_or_default();
    html! {
        <>
            <dl class="facts" data-testid="review-facts">
                <dt>{ t(Key::ApplyStepReason) }</dt><dd>{ reason }</dd>
                <dt>{ t(Key::ApplyFullName) }</dt><dd>{ full_name }</dd>
                <dt>{ t(Key::ApplyPrintedTitle) }</dt><dd data-testid="review-printed"><code>{ printed }</code></dd>
                <dt>{ t(Key::FieldDateOfBirth) }</dt><dd>{ date(get(path::DATE_OF_BIRTH)) }</dd>
                <dt>{ t(Key::ApplyPlaceOfBirth) }</dt><dd>{ get(path::PLACE_OF_BIRTH) }</dd>
                <dt>{ t(Key::ApplySex) }</dt><dd>{ sex }</dd>
                <dt>{ t(Key::ApplyNationalId) }</dt><dd>{ get(path::NATIONAL_ID) }</dd>
                <dt>{ t(Key::ApplyStepAddress) }</dt><dd>{ address }</dd>
                <dt>{ t(Key::FieldPhone) }</dt><dd>{ get(path::PHONE) }</dd>
                if input.email.is_some() { <dt>{ t(Key::FieldEmail) }</dt><dd>{ get(path::EMAIL) }</dd> }
                <dt>{ t(Key::ApplyBranch) }</dt><dd>{ branch }</dd>
                if let Some(previous) = previous { <dt>{ t(Key::ApplyPreviousTitle) }</dt><dd>{ previous }</dd> }
                if let Some(guardian) = guardian { <dt>{ t(Key::ApplyGuardianTitle) }</dt><dd>{ guardian }</dd> }
                <dt>{ t(Key::ApplyStepPhoto) }</dt>
                <dd>{ held.and_then(|h| h.view.photo.as_ref()).map(|p| format!("{}×{}", p.width, p.height)).unwrap_or_else(|| "—".into()) }</dd>
            </dl>
            <p class="total" data-testid="apply-fee">
                <span>{ t(Key::BookTotal) }</span><strong>{ fee }</strong>
            </p>
            if !problems.is_empty() {
                <div class="card error" role="alert" data-testid="apply-problems">
                    <p><strong>{ t(Key::ApplyProblems) }</strong></p>
                    <ul>{ for problems.iter().map(|(at, message)| html! { <li data-field={at.clone()}>{ message.clone() }</li> }) }</ul>
                </div>
            }
            <p class="hint">{ t(Key::ApplySubmitNote) }</p>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_follow_their_paths() {
        assert_eq!(input_id(path::SURNAME), "apply-applicant-surname");
        assert_eq!(
            input_id(path::PREVIOUS_ISSUED_ON),
            "apply-previous-passport-issued-on"
        );
        assert_eq!(input_id(path::BRANCH), "apply-collection-branch");
    }

    #[test]
    fn the_documents_follow_the_reason() {
        let mut input = nobat_domain::passport::ApplicationInput {
            reason: "renewal_expired".into(),
            ..Default::default()
        };
        assert!(document_keys(&input).contains(&Key::ApplyDocPreviousPassport));
        input.reason = "child_under_16".into();
        let keys = document_keys(&input);
        assert!(keys.contains(&Key::ApplyDocBirthCertificate));
        assert!(keys.contains(&Key::ApplyDocGuardianPassport));
        assert!(!keys.contains(&Key::ApplyDocInternalPassport));
    }
}
