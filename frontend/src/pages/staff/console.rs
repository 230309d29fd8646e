//! The console of a signed-in member: who they are, the branch they work at, and for queue
//! roles the arrival desk, their counter and the live queue (reloaded every 3 seconds and after
//! each action while in view); branch heads and admins switch between that, the reports and the
//! branch's settings.

use super::applications::Applications;
use super::arrival::Arrival;
use super::counter::CounterPanel;
use super::media_editor::MediaEditor;
use super::password::PasswordForm;
use super::queue::QueueTable;
use super::reports::Reports;
use super::session_ended;
use super::settings::Settings;
use crate::api::staff::{self, QueueView, StaffView};
use crate::api::{branches, services, ApiError};
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use gloo_storage::{LocalStorage, Storage};
use gloo_timers::callback::Interval;
use nobat_domain::catalog::{Branch, Service};
use nobat_domain::staff::Role;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

const BRANCH_KEY: &str = "nobat.staff.branch";
const QUEUE_EVERY_MS: u32 = 3_000;

/// A counter that goes up to ask for the queue again.
#[derive(Debug, Default, PartialEq)]
struct Refresh(u32);

impl Reducible for Refresh {
    type Action = ();
    fn reduce(self: Rc<Self>, (): ()) -> Rc<Self> {
        Rc::new(Refresh(self.0.wrapping_add(1)))
    }
}

/// What the console shows below the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Queue,
    Applications,
    Reports,
    Settings,
    Media,
}

/// The branches this member may work at, as codes: their own, or every branch for an admin.
fn allowed_branches(member: &StaffView, role: Option<Role>, all: &[Branch]) -> Vec<String> {
    if role == Some(Role::Admin) {
        all.iter().map(|b| b.code.as_str().to_owned()).collect()
    } else {
        member.branches.clone()
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub member: StaffView,
    pub on_logout: Callback<()>,
    pub on_expired: Callback<()>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let t = use_t();
    let language = use_language();
    let member = &props.member;
    let role = Role::parse(&member.role);
    let works_queue = matches!(role, Some(Role::Admin | Role::BranchHead | Role::Operator));
    let sees_reports = matches!(role, Some(Role::Admin | Role::BranchHead));
    let sees_media = matches!(role, Some(Role::Admin | Role::Editor));
    let tab = use_state(|| Tab::Queue);
    let on_queue = works_queue && *tab == Tab::Queue;
    let all_branches = use_state(Vec::<Branch>::new);
    let all_services = use_state(Vec::<Service>::new);
    {
        let (all_branches, all_services) = (all_branches.clone(), all_services.clone());
        use_effect_with(works_queue, move |works_queue| {
            if *works_queue {
                spawn_local(async move {
                    if let Ok(list) = branches::list(None, language).await {
                        all_branches.set(list);
                    }
                    if let Ok(list) = services::list(language).await {
                        all_services.set(list);
                    }
                });
            }
        });
    }
    let allowed = allowed_branches(member, role, &all_branches);
    let chosen = use_state(|| LocalStorage::get::<String>(BRANCH_KEY).ok());
    let branch = chosen
        .as_ref()
        .filter(|code| allowed.contains(code))
        .or(allowed.first())
        .cloned();
    let refresh = use_reducer(Refresh::default);
    let queue = use_state_eq(|| None::<(String, Result<QueueView, ApiError>)>);
    {
        let (queue, on_expired) = (queue.clone(), props.on_expired.clone());
        use_effect_with(
            (branch.clone(), refresh.0, on_queue),
            move |(branch, _, works)| {
                if let (Some(branch), true) = (branch.clone(), *works) {
                    spawn_local(async move {
                        let result = staff::queue(&branch, language).await;
                        match result {
                            Err(error) if session_ended(&error) => on_expired.emit(()),
                            result => queue.set(Some((branch, result))),
                        }
                    });
                }
            },
        );
    }
    {
        let refresh = refresh.clone();
        use_effect_with(on_queue, move |works| {
            let timer = works.then(|| Interval::new(QUEUE_EVERY_MS, move || refresh.dispatch(())));
            move || drop(timer)
        });
    }
    let on_changed = {
        let refresh = refresh.clone();
        Callback::from(move |()| refresh.dispatch(()))
    };
    let on_branch = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let code = select.value();
                let _ = LocalStorage::set(BRANCH_KEY, &code);
                chosen.set(Some(code));
            }
        })
    };
    let branch_name = |code: &str| {
        all_branches
            .iter()
            .find(|b| b.code.as_str() == code)
            .map(|b| b.name.get(language).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let role_name = role
        .map(|r| r.label(language))
        .unwrap_or_else(|| member.role.clone());
    let on_logout = props.on_logout.clone();
    let top = html! {
        <div class="card staff-bar" data-testid="staff-bar">
            <p class="who"><strong>{ member.display_name.clone() }</strong>{ " · " }{ role_name }</p>
            if works_queue && !allowed.is_empty() {
                <div class="branch-pick">
                    <label for="staff-branch">{ t(Key::StaffBranch) }</label>
                    if allowed.len() > 1 {
                        <select id="staff-branch" onchange={on_branch}>
                            { for allowed.iter().map(|code| html! {
                                <option value={code.clone()} selected={branch.as_deref() == Some(code.as_str())}>
                                    { branch_name(code) }
                                </option>
                            }) }
                        </select>
                    } else {
                        <strong id="staff-branch" data-code={branch.clone().unwrap_or_default()}>
                            { branch.as_deref().map(branch_name).unwrap_or_default() }
                        </strong>
                    }
                </div>
            }
            <button type="button" class="button secondary" data-testid="logout"
                onclick={move |_| on_logout.emit(())}>{ t(Key::StaffLogOut) }</button>
        </div>
    };
    let tabs = works_queue.then(|| {
        let choose = |which: Tab| {
            let tab = tab.clone();
            Callback::from(move |_: MouseEvent| tab.set(which))
        };
        html! {
            <div class="tabs">
                <button type="button" class="tab" data-testid="tab-queue"
                    aria-pressed={(*tab == Tab::Queue).to_string()}
                    onclick={choose(Tab::Queue)}>{ t(Key::StaffTabQueue) }</button>
                <button type="button" class="tab" data-testid="tab-applications"
                    aria-pressed={(*tab == Tab::Applications).to_string()}
                    onclick={choose(Tab::Applications)}>{ t(Key::StaffTabApplications) }</button>
                if sees_reports {
                    <button type="button" class="tab" data-testid="tab-reports"
                        aria-pressed={(*tab == Tab::Reports).to_string()}
                        onclick={choose(Tab::Reports)}>{ t(Key::StaffTabReports) }</button>
                    <button type="button" class="tab" data-testid="tab-settings"
                        aria-pressed={(*tab == Tab::Settings).to_string()}
                        onclick={choose(Tab::Settings)}>{ t(Key::StaffTabSettings) }</button>
                }
                if sees_media {
                    <button type="button" class="tab" data-testid="tab-media"
                        aria-pressed={(*tab == Tab::Media).to_string()}
                        onclick={choose(Tab::Media)}>{ t(Key::StaffTabMedia) }</button>
                }
            </div>
        }
    });
    let offered_at = |branch: &str| -> Vec<Service> {
        all_branches
            .iter()
            .find(|b| b.code.as_str() == branch)
            .map(|b| {
                all_services
                    .iter()
                    .filter(|s| b.services.contains(&s.code))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let my_branches: Vec<Branch> = all_branches
        .iter()
        .filter(|b| allowed.iter().any(|code| code == b.code.as_str()))
        .cloned()
        .collect();
    let desk = match (works_queue, branch) {
        // Editors have only this tab; admins choose it.
        _ if sees_media && (!works_queue || *tab == Tab::Media) => html! {
            <MediaEditor on_expired={props.on_expired.clone()} />
        },
        (true, _) if *tab == Tab::Applications => html! {
            <Applications branches={my_branches} on_expired={props.on_expired.clone()} />
        },
        (true, Some(branch)) if sees_reports && *tab == Tab::Reports => html! {
            <Reports {branch} on_expired={props.on_expired.clone()} />
        },
        (true, Some(branch)) if sees_reports && *tab == Tab::Settings => html! {
            <Settings services={offered_at(&branch)} branches={(*all_branches).clone()}
                is_admin={role == Some(Role::Admin)} {branch} on_expired={props.on_expired.clone()} />
        },
        (true, Some(branch)) => {
            let offered = offered_at(&branch);
            let can_override = matches!(role, Some(Role::Admin | Role::BranchHead));
            let table = match &*queue {
                Some((for_branch, Ok(view))) if *for_branch == branch => html! {
                    <QueueTable branch={branch.clone()} entries={view.entries.clone()}
                        services={offered.clone()} on_changed={on_changed.clone()}
                        on_expired={props.on_expired.clone()} />
                },
                Some((for_branch, Err(error))) if *for_branch == branch => {
                    html! { <ErrorNotice error={error.clone()} /> }
                }
                _ => html! { <crate::components::notice::Loading /> },
            };
            html! {
                <div class="desk">
                    <div class="desk-side">
                        <Arrival branch={branch.clone()} services={offered.clone()} {can_override}
                            on_changed={on_changed.clone()} on_expired={props.on_expired.clone()} />
                        <CounterPanel branch={branch.clone()} me={member.username.clone()}
                            services={offered.clone()} on_changed={on_changed.clone()}
                            on_expired={props.on_expired.clone()} />
                    </div>
                    <section class="card desk-queue" aria-labelledby="queue-title">
                        <h2 id="queue-title">{ t(Key::StaffQueueTitle) }</h2>
                        { table }
                    </section>
                </div>
            }
        }
        (true, None) => html! { <crate::components::notice::Loading /> },
        (false, _) => html! { <p class="notice">{ t(Key::StaffNoQueue) }</p> },
    };
    html! {
        <>
            <h1 class="visually-hidden">{ t(Key::NavStaff) }</h1>
            { top }
            { for tabs }
            { desk }
            <PasswordForm on_expired={props.on_expired.clone()} />
        </>
    }
}
