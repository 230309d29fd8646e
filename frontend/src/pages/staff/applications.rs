//! The Applications tab: passport applications at the member's branches (every branch for an
//! admin), filtered by status, branch, reason, dates and number, a page at a time; one opened
//! shows the photo (fetched as a Blob with the session), the data, the history, and the statuses
//! it may move to as buttons, with a note (required for "needs action" and "rejected").

use super::session_ended;
use super::settings::keep;
use crate::api::applications::{self, ApplicationSummary, Filters, StaffApplicationView};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use crate::pages::apply::status::{moment, timeline};
use nobat_domain::catalog::{Branch, Page};
use nobat_domain::passport::{ApplicationReason, ApplicationStatus, GuardianRelation, Sex};
use nobat_domain::Region;
use wasm_bindgen_futures::spawn_local;
use web_sys::{FormData, HtmlFormElement};
use yew::prelude::*;

const PER_PAGE: u32 = 20;

fn form_value(data: &FormData, name: &str) -> String {
    data.get(name)
        .as_string()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The status's name in `language` (the server's label when it sent one).
fn status_name(code: &str, label: &str, language: nobat_domain::Language) -> String {
    if !label.is_empty() {
        return label.to_owned();
    }
    ApplicationStatus::parse(code)
        .map(|s| s.label(language))
        .unwrap_or_else(|| code.to_owned())
}

#[derive(Properties, PartialEq)]
pub struct ApplicationsProps {
    /// The branches this member works at (all for an admin).
    pub branches: Vec<Branch>,
    pub on_expired: Callback<()>,
}

#[function_component(Applications)]
pub fn applications_tab(props: &ApplicationsProps) -> Html {
    let t = use_t();
    let language = use_language();
    let filters = use_state(|| Filters {
        page: 1,
        ..Filters::default()
    });
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Page<ApplicationSummary>, ApiError>>);
    // The query the list shown answers, and the one asked last: an answer that comes late for
    // earlier filters is dropped.
    let shown_for = use_state(String::new);
    let asked = use_mut_ref(String::new);
    let open = use_state(|| None::<String>);
    {
        let (list, shown_for, asked, on_expired) = (
            list.clone(),
            shown_for.clone(),
            asked.clone(),
            props.on_expired.clone(),
        );
        use_effect_with(((*filters).clone(), *reload), move |(filters, _)| {
            let filters = filters.clone();
            let query = filters.query(PER_PAGE);
            *asked.borrow_mut() = query.clone();
            spawn_local(async move {
                let result = applications::staff_list(&filters, PER_PAGE, language).await;
                if *asked.borrow() == query {
                    shown_for.set(query);
                    keep(&list, &on_expired, result);
                }
            });
        });
    }
    let onsubmit = {
        let filters = filters.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(form) = event.target_dyn_into::<HtmlFormElement>() else {
                return;
            };
            let Ok(data) = FormData::new_with_form(&form) else {
                return;
            };
            filters.set(Filters {
                status: form_value(&data, "status"),
                branch: form_value(&data, "branch"),
                reason: form_value(&data, "reason"),
                from: form_value(&data, "from"),
                to: form_value(&data, "to"),
                number: form_value(&data, "q"),
                page: 1,
            });
        })
    };
    let to_page = |page: u32| {
        let filters = filters.clone();
        Callback::from(move |_: MouseEvent| {
            filters.set(Filters {
                page,
                ..(*filters).clone()
            })
        })
    };
    let choose = |number: String| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(number.clone())))
    };
    let on_changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let branch_name = |code: &str| {
        props
            .branches
            .iter()
            .find(|b| b.code.as_str() == code)
            .map(|b| b.name.get(language).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let table = match &*list {
        Some(Ok(page)) if page.items.is_empty() => {
            html! { <p class="muted" data-testid="applications-none">{ t(Key::StaffAppsNone) }</p> }
        }
        Some(Ok(page)) => {
            let pages = page.total.div_ceil(u64::from(page.per_page.max(1))).max(1) as u32;
            html! {
                <>
                    <div class="table-scroll">
                        <table class="queue applications" data-testid="applications-table" data-query={(*shown_for).clone()}>
                            <thead><tr>
                                <th scope="col">{ t(Key::ApplyNumber) }</th>
                                <th scope="col">{ t(Key::ApplyFullName) }</th>
                                <th scope="col">{ t(Key::StaffColStatus) }</th>
                                <th scope="col">{ t(Key::ApplyStepReason) }</th>
                                <th scope="col">{ t(Key::StaffBranch) }</th>
                                <th scope="col">{ t(Key::StaffAppsSubmitted) }</th>
                            </tr></thead>
                            <tbody>
                                { for page.items.iter().map(|a| {
                                    let selected = open.as_deref() == Some(a.number.as_str());
                                    html! {
                                        <tr data-number={a.number.clone()} data-status={a.status.clone()}
                                            aria-selected={selected.to_string()}>
                                            <td class="num"><button type="button" class="link" onclick={choose(a.number.clone())}>
                                                { a.number.clone() }</button></td>
                                            <td>{ a.full_name.clone() }</td>
                                            <td class="state">{ status_name(&a.status, &a.status_label, language) }</td>
                                            <td>{ ApplicationReason::parse(&a.reason).map(|r| r.label(language)).unwrap_or_else(|| a.reason.clone()) }</td>
                                            <td>{ branch_name(&a.branch_code()) }</td>
                                            <td>{ a.submitted_at.map(moment).unwrap_or_default() }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label={t(Key::StaffAppsPages)}>
                        <button type="button" class="button secondary small" disabled={page.page <= 1}
                            onclick={to_page(page.page.saturating_sub(1).max(1))}>{ "‹ " }{ t(Key::StaffAppsPrev) }</button>
                        <span data-testid="applications-page">{ fill(t(Key::StaffAppsPage), &[("n", &page.page.to_string()), ("of", &pages.to_string()), ("total", &page.total.to_string())]) }</span>
                        <button type="button" class="button secondary small" disabled={page.page >= pages}
                            onclick={to_page(page.page + 1)} data-testid="applications-next">{ t(Key::StaffAppsNext) }{ " ›" }</button>
                    </nav>
                </>
            }
        }
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    // The filters form is left to the browser (uncontrolled): a list arriving while the
    // member types must not put the old values back.
    let option = |value: &str, name: String| {
        html! { <option value={value.to_owned()} selected={value.is_empty()}>{ name }</option> }
    };
    html! {
        <div class="applications-tab" data-testid="applications">
            <section class="card" aria-labelledby="applications-title">
                <h2 id="applications-title">{ t(Key::StaffTabApplications) }</h2>
                <form class="settings-form" {onsubmit} data-testid="applications-filters">
                    <div class="field">
                        <label for="apps-status">{ t(Key::StaffColStatus) }</label>
                        <select id="apps-status" name="status">
                            { option("", "—".into()) }
                            { for ApplicationStatus::ALL.iter().map(|s| option(s.code(), s.label(language))) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="apps-branch">{ t(Key::StaffBranch) }</label>
                        <select id="apps-branch" name="branch">
                            { option("", "—".into()) }
                            { for props.branches.iter().map(|b| option(b.code.as_str(), b.name.get(language).to_owned())) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="apps-reason">{ t(Key::ApplyStepReason) }</label>
                        <select id="apps-reason" name="reason">
                            { option("", "—".into()) }
                            { for ApplicationReason::ALL.iter().map(|r| option(r.code(), r.label(language))) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="apps-from">{ t(Key::ReportFrom) }</label>
                        <input id="apps-from" name="from" type="date" />
                    </div>
                    <div class="field">
                        <label for="apps-to">{ t(Key::ReportTo) }</label>
                        <input id="apps-to" name="to" type="date" />
                    </div>
                    <div class="field">
                        <label for="apps-q">{ t(Key::ApplyNumber) }</label>
                        <input id="apps-q" name="q" class="reference-input" autocomplete="off" />
                    </div>
                    <button type="submit" class="button" data-testid="applications-search">{ t(Key::StaffAppsSearch) }</button>
                </form>
                { table }
            </section>
            if let Some(number) = (*open).clone() {
                <Detail {number} on_changed={on_changed} on_expired={props.on_expired.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DetailProps {
    number: String,
    on_changed: Callback<()>,
    on_expired: Callback<()>,
}

#[function_component(Detail)]
fn detail(props: &DetailProps) -> Html {
    let t = use_t();
    let language = use_language();
    let view = use_state(|| None::<Result<StaffApplicationView, ApiError>>);
    let photo = use_state(|| None::<String>);
    let sent = use_state(|| None::<Result<StaffApplicationView, ApiError>>);
    let note = use_state(String::new);
    {
        let (view, photo, sent, note, on_expired) = (
            view.clone(),
            photo.clone(),
            sent.clone(),
            note.clone(),
            props.on_expired.clone(),
        );
        use_effect_with(props.number.clone(), move |number| {
            let number = number.clone();
            view.set(None);
            sent.set(None);
            note.set(String::new());
            let made = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
            let kept = made.clone();
            spawn_local(async move {
                let result = applications::staff_fetch(&number, language).await;
                let has_photo = matches!(&result, Ok(v) if v.view.photo.is_some());
                keep(&view, &on_expired, result);
                if has_photo {
                    if let Ok(url) = applications::staff_photo_url(&number, language).await {
                        *kept.borrow_mut() = Some(url.clone());
                        photo.set(Some(url));
                    }
                } else {
                    photo.set(None);
                }
            });
            move || {
                if let Some(url) = made.borrow_mut().take() {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            }
        });
    }
    let move_to = |status: String| {
        let (view, sent, note, number, on_changed, on_expired) = (
            view.clone(),
            sent.clone(),
            note.clone(),
            props.number.clone(),
            props.on_changed.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (view, sent, note, number, on_changed, on_expired, status) = (
                view.clone(),
                sent.clone(),
                note.clone(),
                number.clone(),
                on_changed.clone(),
                on_expired.clone(),
                status.clone(),
            );
            spawn_local(async move {
                let result =
                    applications::change_status(&number, &status, note.trim(), language).await;
                match result {
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    Ok(changed) => {
                        view.set(Some(Ok(changed.clone())));
                        note.set(String::new());
                        sent.set(Some(Ok(changed)));
                        on_changed.emit(());
                    }
                    Err(error) => sent.set(Some(Err(error))),
                }
            });
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                note.set(area.value());
            }
        })
    };
    let body = match &*view {
        None => html! { <Loading /> },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        Some(Ok(staff_view)) => {
            let v = &staff_view.view;
            let a = &v.application;
            let reason = ApplicationReason::parse(&a.reason)
                .map(|r| r.label(language))
                .unwrap_or_else(|| a.reason.clone());
            let printed = v
                .printed_name
                .as_ref()
                .map(|p| format!("{} {}", p.surname, p.given_names))
                .unwrap_or_default();
            let born = chrono::NaiveDate::parse_from_str(&a.applicant.date_of_birth, "%Y-%m-%d")
                .map(i18n::date)
                .unwrap_or_else(|_| a.applicant.date_of_birth.clone());
            let region = Region::parse(&a.address.velayat)
                .map(|r| r.name().get(language).to_owned())
                .unwrap_or_else(|| a.address.velayat.clone());
            let note_error = match &*sent {
                Some(Err(ApiError::Problem(problem))) => problem.errors.get("note").cloned(),
                _ => None,
            };
            let failure = match &*sent {
                Some(Err(error)) if note_error.is_none() => {
                    html! { <ErrorNotice error={error.clone()} /> }
                }
                Some(Ok(changed)) => html! {
                    <p class="card outcome" data-tone="ok" role="status" data-testid="status-changed">
                        { fill(t(Key::StaffAppsMoved), &[("status", &changed.view.status_label)]) }
                    </p>
                },
                _ => html! {},
            };
            html! {
                <>
                    <p class="status-line" data-status={v.status.clone()} data-testid="application-detail-status">
                        { t(Key::MyStatus) }{ ": " }<strong>{ status_name(&v.status, &v.status_label, language) }</strong>
                    </p>
                    <div class="application-detail">
                        <div class="photo-frame">
                            if let Some(url) = &*photo {
                                <img src={url.clone()} alt={t(Key::ApplyPhotoAlt)} data-testid="application-photo" />
                            } else {
                                <span class="muted">{ "—" }</span>
                            }
                        </div>
                        <dl class="facts">
                            <dt>{ t(Key::ApplyFullName) }</dt><dd>{ staff_view.full_name.clone() }</dd>
                            <dt>{ t(Key::ApplyPrintedTitle) }</dt><dd><code>{ printed }</code></dd>
                            if let Some(mrz) = &v.mrz_name { <dt>{ t(Key::ApplyMrz) }</dt><dd><code class="mrz">{ mrz.clone() }</code></dd> }
                            <dt>{ t(Key::ApplyStepReason) }</dt><dd>{ reason }</dd>
                            <dt>{ t(Key::FieldDateOfBirth) }</dt><dd>{ born }</dd>
                            <dt>{ t(Key::ApplyPlaceOfBirth) }</dt><dd>{ a.applicant.place_of_birth.clone() }</dd>
                            <dt>{ t(Key::ApplySex) }</dt><dd>{ Sex::parse(&a.applicant.sex).map(|s| s.label(language)).unwrap_or_default() }</dd>
                            <dt>{ t(Key::ApplyNationalId) }</dt><dd>{ a.applicant.national_id.clone() }</dd>
                            <dt>{ t(Key::ApplyStepAddress) }</dt><dd>{ format!("{region}, {}, {}", a.address.locality, a.address.street) }</dd>
                            <dt>{ t(Key::FieldPhone) }</dt><dd>{ a.phone.clone() }</dd>
                            if let Some(p) = &a.previous_passport {
                                <dt>{ t(Key::ApplyPreviousTitle) }</dt><dd>{ format!("{}, {}", p.number, p.issued_on) }</dd>
                            }
                            if let Some(g) = &a.guardian {
                                <dt>{ t(Key::ApplyGuardianTitle) }</dt><dd>{ format!("{} {}, {} ({})", g.surname, g.given_names, g.national_id,
                                    GuardianRelation::parse(&g.relation).map(|r| r.label(language)).unwrap_or_else(|| g.relation.clone())) }</dd>
                            }
                            <dt>{ t(Key::BookFee) }</dt><dd>{ v.fee_display() }</dd>
                        </dl>
                    </div>
                    <h3>{ t(Key::TrackHistory) }</h3>
                    { timeline(&v.history) }
                    if !staff_view.allowed.is_empty() {
                        <div class="move" data-testid="status-actions">
                            <div class={classes!("field", note_error.as_ref().map(|_| "invalid"))}>
                                <label for="status-note">{ t(Key::StaffAppsNote) }</label>
                                <textarea id="status-note" rows="2" value={(*note).clone()} oninput={on_note} />
                                <p class="hint">{ t(Key::StaffAppsNoteHint) }</p>
                                if let Some(error) = note_error {
                                    <p class="field-error" data-field="note">{ error }</p>
                                }
                            </div>
                            <div class="buttons">
                                { for staff_view.allowed.iter().map(|next| {
                                    let bad = matches!(next.as_str(), "rejected" | "needs_action");
                                    html! {
                                        <button type="button" class={classes!("button", bad.then_some("secondary"), bad.then_some("danger"))}
                                            data-status={next.clone()} onclick={move_to(next.clone())}>
                                            { status_name(next, "", language) }
                                        </button>
                                    }
                                }) }
                            </div>
                        </div>
                    }
                    { failure }
                </>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="application-detail-title" data-testid="application-detail"
            data-number={props.number.clone()}>
            <h2 id="application-detail-title"><span class="reference-link">{ props.number.clone() }</span></h2>
            { body }
        </section>
    }
}
