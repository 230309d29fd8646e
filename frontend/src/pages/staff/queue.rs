//! The live queue of the branch: called citizens and those at a counter first, then the waiting
//! in the order they will be called; a called citizen can be called again, marked served, or
//! marked as not come (the server allows that only after enough calls, and says so).

use super::session_ended;
use crate::api::staff::{self, EntryAction, QueueEntry};
use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use nobat_domain::calendar::ZONE;
use nobat_domain::catalog::Service;
use nobat_domain::queue::{PriorityReason, QueueEntryStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueueTableProps {
    pub branch: String,
    pub entries: Vec<QueueEntry>,
    pub services: Vec<Service>,
    pub on_changed: Callback<()>,
    pub on_expired: Callback<()>,
}

fn action_label(action: EntryAction) -> Key {
    match action {
        EntryAction::Recall => Key::StaffRecall,
        EntryAction::Served => Key::StaffServed,
        EntryAction::NoShow => Key::StaffNoShow,
    }
}

#[function_component(QueueTable)]
pub fn queue_table(props: &QueueTableProps) -> Html {
    let t = use_t();
    let language = use_language();
    let failed = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    if props.entries.is_empty() {
        return html! { <p class="muted" data-testid="queue-empty">{ t(Key::StaffQueueEmpty) }</p> };
    }
    let act = |id: i64, action: EntryAction| {
        let (failed, busy, branch) = (failed.clone(), busy.clone(), props.branch.clone());
        let (on_changed, on_expired) = (props.on_changed.clone(), props.on_expired.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            let (failed, busy, branch, on_changed, on_expired) = (
                failed.clone(),
                busy.clone(),
                branch.clone(),
                on_changed.clone(),
                on_expired.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let result = staff::entry(&branch, id, action, language).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        failed.set(None);
                        on_changed.emit(());
                    }
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    Err(error) => failed.set(Some(error)),
                }
            });
        })
    };
    let service_name = |code: &str| {
        props
            .services
            .iter()
            .find(|s| s.code.as_str() == code)
            .map(|s| s.name.get(language).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let rows = props.entries.iter().map(|entry| {
        let status = QueueEntryStatus::parse(&entry.status);
        let called = matches!(status, Some(QueueEntryStatus::Called | QueueEntryStatus::Serving));
        let time = entry
            .appointment_at
            .or(entry.checked_in_at)
            .map(|at| i18n::time(at.with_timezone(&ZONE)))
            .unwrap_or_default();
        let priority = entry.priority_reason.as_deref().and_then(PriorityReason::parse);
        let buttons = EntryAction::ALL.iter().filter(|_| called).map(|&action| {
            html! {
                <button type="button" class="button secondary small" disabled={*busy}
                    data-action={action.path()} onclick={act(entry.id, action)}>
                    { t(action_label(action)) }
                </button>
            }
        });
        html! {
            <tr data-number={entry.number.clone()} data-status={entry.status.clone()}>
                <td class="num">
                    { entry.number.clone() }
                    if let Some(priority) = priority {
                        <span class="priority" title={priority.label(language)}>{ " ★" }</span>
                    }
                </td>
                <td>{ service_name(&entry.service) }</td>
                <td>
                    <span class="state">{ status.map(|s| s.label(language)).unwrap_or(&entry.status) }</span>
                    if entry.calls > 0 {
                        <small class="muted">{ " · " }{ fill(t(Key::StaffCalls), &[("n", &entry.calls.to_string())]) }</small>
                    }
                </td>
                <td class="ctr">{ entry.counter.map(|c| c.to_string()).unwrap_or_default() }</td>
                <td class="at">{ time }</td>
                <td><div class="acts">{ for buttons }</div></td>
            </tr>
        }
    });
    html! {
        <>
            if let Some(error) = &*failed {
                if error.status() == Some(409) {
                    <p class="card outcome" data-tone="wait" role="alert" data-testid="entry-refused">
                        { error.detail().unwrap_or_default().to_owned() }
                    </p>
                } else {
                    <ErrorNotice error={error.clone()} />
                }
            }
            <div class="table-scroll">
                <table class="queue" data-testid="queue">
                    <thead>
                        <tr>
                            <th scope="col">{ t(Key::StaffColNumber) }</th>
                            <th scope="col">{ t(Key::StaffColService) }</th>
                            <th scope="col">{ t(Key::StaffColStatus) }</th>
                            <th scope="col">{ t(Key::StaffColCounter) }</th>
                            <th scope="col">{ t(Key::StaffColTime) }</th>
                            <th scope="col"><span class="visually-hidden">{ t(Key::StaffColActions) }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}
