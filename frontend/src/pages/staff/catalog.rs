//! The catalog in the Settings tab, for admins: the branches (a list, and one form to create a
//! branch or edit the chosen one, its names and addresses in the three languages side by side)
//! and the services (the same, with fee, duration, documents and exemptions). Forms are read with
//! `FormData` on submit; a 422's field errors show next to their fields.

use super::settings::{
    done, failed, field, field_error, fill_form, keep, submitted, value, values, Fill,
};
use crate::api::catalog::{
    self, BranchAdmin, BranchChange, BranchDraft, ServiceAdmin, ServiceChange, ServiceDraft,
};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use nobat_domain::catalog::{Exemption, GeoPoint};
use nobat_domain::{Localized, LocalizedList, Money, Region};
use wasm_bindgen_futures::spawn_local;
use web_sys::FormData;
use yew::prelude::*;

const LANGUAGES: [&str; 3] = ["tk", "ru", "en"];

/// An amount typed in manat (`60`, `60.5`, `60,50`) in teňňe; `None` when it is not one.
pub fn manat_to_minor(raw: &str) -> Option<i64> {
    let raw = raw.trim().replace(',', ".");
    let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

/// Teňňe as manat for an input: `6000` → `60.00`.
pub fn minor_to_manat(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// The lines of a text area, trimmed, without the empty ones.
pub fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A latitude and a longitude typed as decimals; both empty means no location, and anything
/// unreadable goes out as it is not (the browser's number inputs only send numbers).
fn location(data: &FormData) -> Option<GeoPoint> {
    let latitude = value(data, "latitude").parse().ok()?;
    let longitude = value(data, "longitude").parse().ok()?;
    Some(GeoPoint {
        latitude,
        longitude,
    })
}

fn texts(data: &FormData, prefix: &str) -> Localized {
    Localized::new(
        value(data, &format!("{prefix}_tk")),
        value(data, &format!("{prefix}_ru")),
        value(data, &format!("{prefix}_en")),
    )
}

/// Three inputs (or text areas) of one text in Turkmen, Russian and English, side by side on a
/// wide screen, named `{prefix}_tk`… and filled by [`fill_form`].
fn trio(prefix: &str, label: &str, multiline: bool, failed: Option<&ApiError>, path: &str) -> Html {
    let one = |(i, code): (usize, &&str)| {
        let id = format!("{prefix}-{code}");
        let name = format!("{prefix}_{code}");
        let input = if multiline {
            html! { <textarea id={id.clone()} {name} rows="4" /> }
        } else {
            html! { <input id={id.clone()} {name} required={i == 0} /> }
        };
        field(
            &id,
            &format!("{label} ({code})"),
            input,
            failed,
            &format!("{path}.{code}"),
        )
    };
    html! {
        <fieldset class="trio">
            <legend>{ label.to_owned() }</legend>
            { for LANGUAGES.iter().enumerate().map(one) }
            { field_error(failed, path) }
        </fieldset>
    }
}

/// The fills of the three fields of one text.
fn trio_fills(names: [&'static str; 3], texts: Option<[String; 3]>) -> Vec<(&'static str, Fill)> {
    names
        .into_iter()
        .zip(texts.unwrap_or_default())
        .map(|(name, text)| (name, Fill::Text(text)))
        .collect()
}

fn localized_parts(text: &Localized) -> [String; 3] {
    [text.tk.clone(), text.ru.clone(), text.en.clone()]
}

#[derive(Properties, PartialEq)]
pub struct BranchesProps {
    pub on_expired: Callback<()>,
    /// The admin chose a branch's opening hours to edit.
    pub on_plans: Callback<String>,
}

#[function_component(BranchesPanel)]
pub fn branches_panel(props: &BranchesProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Vec<BranchAdmin>, ApiError>>);
    // The branch in the form: `None` for a new one.
    let editing = use_state(|| None::<BranchAdmin>);
    let sent = use_state(|| None::<Result<BranchAdmin, ApiError>>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move { keep(&list, &on_expired, catalog::branches(language).await) });
        });
    }
    let onsubmit = {
        let (sent, reload, editing, on_expired) = (
            sent.clone(),
            reload.clone(),
            editing.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let (sent, reload, editing, on_expired) = (
                sent.clone(),
                reload.clone(),
                editing.clone(),
                on_expired.clone(),
            );
            let region = value(&data, "region");
            let (name, address) = (texts(&data, "branch_name"), texts(&data, "branch_address"));
            let (phone, location) = (value(&data, "phone"), location(&data));
            let change = editing.as_ref().map(|branch| {
                (
                    branch.code.clone(),
                    BranchChange {
                        region: region.clone(),
                        name: name.clone(),
                        address: address.clone(),
                        phone: phone.clone(),
                        location,
                        active: data.get("active").is_string(),
                    },
                )
            });
            let draft = BranchDraft {
                code: value(&data, "code"),
                region,
                name,
                address,
                phone,
                location,
            };
            spawn_local(async move {
                let result = match change {
                    // The answer is the public shape: what was sent says whether it is active.
                    Some((code, change)) => catalog::change_branch(&code, &change, language)
                        .await
                        .map(|branch| BranchAdmin {
                            active: branch.active.or(Some(change.active)),
                            ..branch
                        }),
                    None => catalog::create_branch(&draft, language).await,
                };
                if let Ok(branch) = &result {
                    editing.set(Some(branch.clone()));
                    reload.set(*reload + 1);
                }
                keep(&sent, &on_expired, result);
            });
        })
    };
    let edit = |branch: Option<BranchAdmin>| {
        let (editing, sent) = (editing.clone(), sent.clone());
        Callback::from(move |_: MouseEvent| {
            sent.set(None);
            editing.set(branch.clone());
        })
    };
    let plans = |code: String| {
        let on_plans = props.on_plans.clone();
        Callback::from(move |_: MouseEvent| on_plans.emit(code.clone()))
    };
    let table = match &*list {
        Some(Ok(listed)) => {
            // The admin list holds every branch, in service or not; the one in the form stays
            // shown while the list is being asked again after a save.
            let mut branches = listed.clone();
            if let Some(edited) = editing.as_ref() {
                if !branches.iter().any(|b| b.code == edited.code) {
                    branches.push(edited.clone());
                }
            }
            html! {
                <div class="table-scroll">
                    <table class="report" data-testid="branches-table">
                        <thead><tr>
                            <th scope="col">{ t(Key::CatalogCode) }</th>
                            <th scope="col">{ t(Key::CatalogName) }</th>
                            <th scope="col">{ t(Key::BookRegion) }</th>
                            <th scope="col">{ t(Key::StaffColActions) }</th>
                        </tr></thead>
                        <tbody>
                            { for branches.iter().map(|b| html! {
                                <tr data-branch={b.code.clone()} data-active={b.is_active().to_string()}
                                    data-listed={listed.iter().any(|l| l.code == b.code).to_string()}>
                                    <th scope="row"><code>{ b.code.clone() }</code></th>
                                    <td>{ b.name.get(language).to_owned() }
                                        if !b.is_active() { <small class="muted">{ " · " }{ t(Key::CatalogInactive) }</small> }
                                    </td>
                                    <td>{ Region::parse(&b.region).map(|r| r.name().get(language).to_owned()).unwrap_or_else(|| b.region.clone()) }</td>
                                    <td class="acts">
                                        <button type="button" class="button secondary small" data-action="edit"
                                            onclick={edit(Some(b.clone()))}>{ t(Key::CatalogEdit) }</button>
                                        <button type="button" class="button secondary small" data-action="plans"
                                            onclick={plans(b.code.clone())}>{ t(Key::PlanTitleShort) }</button>
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        }
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let error = failed(&sent);
    let current = (*editing).clone();
    let form_key = current
        .as_ref()
        .map(|b| format!("edit-{}-{}", b.code, *reload))
        .unwrap_or_else(|| "new".to_owned());
    let regions = Region::ALL.iter().map(|r| {
        html! { <option value={r.code()}>{ r.name().get(language).to_owned() }</option> }
    });
    let heading = match &current {
        Some(b) => format!("{}: {}", t(Key::CatalogEditBranch), b.code),
        None => t(Key::CatalogNewBranch).to_owned(),
    };
    let form_ref = use_node_ref();
    {
        let coordinate = |c: Option<f64>| Fill::Text(c.map(|c| c.to_string()).unwrap_or_default());
        let location = current.as_ref().and_then(|b| b.location);
        let text =
            |f: fn(&BranchAdmin) -> String| Fill::Text(current.as_ref().map(f).unwrap_or_default());
        let mut fills = vec![
            ("code", Fill::Text(String::new())),
            ("region", text(|b| b.region.clone())),
            ("phone", text(|b| b.phone.clone())),
            ("latitude", coordinate(location.map(|l| l.latitude))),
            ("longitude", coordinate(location.map(|l| l.longitude))),
            (
                "active",
                Fill::Check(current.as_ref().is_none_or(BranchAdmin::is_active)),
            ),
        ];
        fills.extend(trio_fills(
            ["branch_name_tk", "branch_name_ru", "branch_name_en"],
            current.as_ref().map(|b| localized_parts(&b.name)),
        ));
        fills.extend(trio_fills(
            [
                "branch_address_tk",
                "branch_address_ru",
                "branch_address_en",
            ],
            current.as_ref().map(|b| localized_parts(&b.address)),
        ));
        let form_ref = form_ref.clone();
        use_effect_with(form_key.clone(), move |_| fill_form(&form_ref, &fills));
    }
    html! {
        <section class="card" aria-labelledby="branches-admin-title" data-testid="branches-panel">
            <h2 id="branches-admin-title">{ t(Key::CatalogBranchesTitle) }</h2>
            { table }
            <div class="buttons">
                <button type="button" class="button secondary" data-testid="branch-new"
                    onclick={edit(None)}>{ t(Key::CatalogNewBranch) }</button>
            </div>
            <h3 data-testid="branch-form-title">{ heading }</h3>
            <form class="settings-form catalog-form" key={form_key} ref={form_ref} {onsubmit} data-testid="branch-form">
                if current.is_none() {
                    { field("branch-code", t(Key::CatalogCode),
                        html! { <input id="branch-code" name="code" required=true pattern="[a-z0-9\\-]+"
                            autocomplete="off" placeholder="mary-2" /> },
                        error, "code") }
                }
                { field("branch-region", t(Key::BookRegion), html! {
                    <select id="branch-region" name="region" required=true>
                        <option value="">{ "—" }</option>
                        { for regions }
                    </select>
                }, error, "region") }
                { field("branch-phone", t(Key::BookPhone),
                    html! { <input id="branch-phone" name="phone" type="tel" required=true /> },
                    error, "phone") }
                { trio("branch_name", t(Key::CatalogName), false, error, "name") }
                { trio("branch_address", t(Key::BookAddress), false, error, "address") }
                { field("branch-latitude", t(Key::CatalogLatitude),
                    html! { <input id="branch-latitude" name="latitude" type="number" step="any" min="-90" max="90" /> },
                    error, "location.latitude") }
                { field("branch-longitude", t(Key::CatalogLongitude),
                    html! { <input id="branch-longitude" name="longitude" type="number" step="any" min="-180" max="180" /> },
                    error, "location.longitude") }
                { field_error(error, "location") }
                if current.is_some() {
                    <label class="check"><input type="checkbox" name="active" />
                        { " " }{ t(Key::CatalogActive) }</label>
                }
                <button type="submit" class="button" data-testid="branch-save">
                    { if current.is_some() { t(Key::SettingsSave) } else { t(Key::CatalogCreateBranch) } }
                </button>
            </form>
            if let Some(Ok(_)) = &*sent {
                { done(t(Key::SettingsSaved).to_owned(), "branch-saved") }
            }
            if let Some(error) = error {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ServicesProps {
    pub on_expired: Callback<()>,
}

fn exemption_label(exemption: Exemption) -> Key {
    match exemption {
        Exemption::ChildUnder16 => Key::ExemptionChildUnder16,
        Exemption::Veteran => Key::ExemptionVeteran,
        Exemption::Disabled => Key::ExemptionDisabled,
    }
}

const EXEMPTIONS: [Exemption; 3] = [
    Exemption::ChildUnder16,
    Exemption::Veteran,
    Exemption::Disabled,
];

#[function_component(ServicesPanel)]
pub fn services_panel(props: &ServicesProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Vec<ServiceAdmin>, ApiError>>);
    let editing = use_state(|| None::<ServiceAdmin>);
    let sent = use_state(|| None::<Result<ServiceAdmin, ApiError>>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move { keep(&list, &on_expired, catalog::services(language).await) });
        });
    }
    let onsubmit = {
        let (sent, reload, editing, on_expired) = (
            sent.clone(),
            reload.clone(),
            editing.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let (sent, reload, editing, on_expired) = (
                sent.clone(),
                reload.clone(),
                editing.clone(),
                on_expired.clone(),
            );
            let documents = LocalizedList {
                tk: lines(&value(&data, "documents_tk")),
                ru: lines(&value(&data, "documents_ru")),
                en: lines(&value(&data, "documents_en")),
            };
            let service = ServiceDraft {
                code: value(&data, "code"),
                name: texts(&data, "service_name"),
                description: texts(&data, "description"),
                documents,
                duration_minutes: value(&data, "duration_minutes").parse().unwrap_or(0),
                // An unreadable amount goes as -1, for the server to name the field.
                fee_minor: manat_to_minor(&value(&data, "fee")).unwrap_or(-1),
                exemptions: values(&data, "exemptions"),
                queue_prefix: value(&data, "queue_prefix").to_uppercase(),
            };
            let active = data.get("active").is_string();
            let code = editing.as_ref().map(|s| s.code.clone());
            spawn_local(async move {
                let result = match code {
                    Some(code) => {
                        let change = ServiceChange {
                            name: service.name,
                            description: service.description,
                            documents: service.documents,
                            duration_minutes: service.duration_minutes,
                            fee_minor: service.fee_minor,
                            exemptions: service.exemptions,
                            queue_prefix: service.queue_prefix,
                            active,
                        };
                        catalog::change_service(&code, &change, language).await
                    }
                    None => catalog::create_service(&service, language).await,
                };
                if let Ok(service) = &result {
                    editing.set(Some(service.clone()));
                    reload.set(*reload + 1);
                }
                keep(&sent, &on_expired, result);
            });
        })
    };
    let edit = |service: Option<ServiceAdmin>| {
        let (editing, sent) = (editing.clone(), sent.clone());
        Callback::from(move |_: MouseEvent| {
            sent.set(None);
            editing.set(service.clone());
        })
    };
    let table = match &*list {
        Some(Ok(services)) => html! {
            <div class="table-scroll">
                <table class="report" data-testid="services-table">
                    <thead><tr>
                        <th scope="col">{ t(Key::CatalogCode) }</th>
                        <th scope="col">{ t(Key::CatalogName) }</th>
                        <th scope="col">{ t(Key::BookFee) }</th>
                        <th scope="col">{ t(Key::BookDuration) }</th>
                        <th scope="col">{ t(Key::StaffColActions) }</th>
                    </tr></thead>
                    <tbody>
                        { for services.iter().map(|s| html! {
                            <tr data-service={s.code.clone()} data-active={s.active.to_string()}>
                                <th scope="row"><code>{ s.code.clone() }</code>{ " " }<small class="muted">{ s.queue_prefix.clone() }</small></th>
                                <td>{ s.name.get(language).to_owned() }
                                    if !s.active { <small class="muted">{ " · " }{ t(Key::CatalogInactive) }</small> }
                                </td>
                                <td>{ Money::tmt(s.fee_in_tenne()).display() }</td>
                                <td>{ s.duration_minutes }</td>
                                <td><button type="button" class="button secondary small" data-action="edit"
                                    onclick={edit(Some(s.clone()))}>{ t(Key::CatalogEdit) }</button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let error = failed(&sent);
    let current = (*editing).clone();
    let form_key = current
        .as_ref()
        .map(|s| format!("edit-{}-{}", s.code, *reload))
        .unwrap_or_else(|| "new".to_owned());
    let heading = match &current {
        Some(s) => format!("{}: {}", t(Key::CatalogEditService), s.code),
        None => t(Key::CatalogNewService).to_owned(),
    };
    let form_ref = use_node_ref();
    {
        let text = |f: fn(&ServiceAdmin) -> String| {
            Fill::Text(current.as_ref().map(f).unwrap_or_default())
        };
        let mut fills = vec![
            ("code", Fill::Text(String::new())),
            ("queue_prefix", text(|s| s.queue_prefix.clone())),
            ("duration_minutes", text(|s| s.duration_minutes.to_string())),
            ("fee", text(|s| minor_to_manat(s.fee_in_tenne()))),
            (
                "exemptions",
                Fill::Checks(
                    current
                        .as_ref()
                        .map(|s| s.exemptions.clone())
                        .unwrap_or_default(),
                ),
            ),
            (
                "active",
                Fill::Check(current.as_ref().is_none_or(|s| s.active)),
            ),
        ];
        fills.extend(trio_fills(
            ["service_name_tk", "service_name_ru", "service_name_en"],
            current.as_ref().map(|s| localized_parts(&s.name)),
        ));
        fills.extend(trio_fills(
            ["description_tk", "description_ru", "description_en"],
            current.as_ref().map(|s| localized_parts(&s.description)),
        ));
        fills.extend(trio_fills(
            ["documents_tk", "documents_ru", "documents_en"],
            current.as_ref().map(|s| {
                [
                    s.documents.tk.join("\n"),
                    s.documents.ru.join("\n"),
                    s.documents.en.join("\n"),
                ]
            }),
        ));
        let form_ref = form_ref.clone();
        use_effect_with(form_key.clone(), move |_| fill_form(&form_ref, &fills));
    }
    html! {
        <section class="card" aria-labelledby="services-admin-title" data-testid="services-panel">
            <h2 id="services-admin-title">{ t(Key::CatalogServicesTitle) }</h2>
            { table }
            <div class="buttons">
                <button type="button" class="button secondary" data-testid="service-new"
                    onclick={edit(None)}>{ t(Key::CatalogNewService) }</button>
            </div>
            <h3 data-testid="service-form-title">{ heading }</h3>
            <form class="settings-form catalog-form" key={form_key} ref={form_ref} {onsubmit} data-testid="service-form">
                if current.is_none() {
                    { field("service-code", t(Key::CatalogCode),
                        html! { <input id="service-code" name="code" required=true pattern="[a-z0-9\\-]+" autocomplete="off" /> },
                        error, "code") }
                }
                { field("service-prefix", t(Key::CatalogQueuePrefix),
                    html! { <input id="service-prefix" name="queue_prefix" required=true maxlength="1" pattern="[A-Za-z]"
                        class="reference-input" /> },
                    error, "queue_prefix") }
                { field("service-duration", t(Key::CatalogDuration),
                    html! { <input id="service-duration" name="duration_minutes" type="number" min="5" max="240" required=true /> },
                    error, "duration_minutes") }
                { field("service-fee", t(Key::CatalogFee),
                    html! { <input id="service-fee" name="fee" inputmode="decimal" required=true pattern="[0-9]+([.,][0-9]{1,2})?" /> },
                    error, "fee_minor") }
                { trio("service_name", t(Key::CatalogName), false, error, "name") }
                { trio("description", t(Key::CatalogDescription), true, error, "description") }
                { trio("documents", t(Key::CatalogDocuments), true, error, "documents") }
                <fieldset class="choices">
                    <legend>{ t(Key::BookExemptions) }</legend>
                    { for EXEMPTIONS.iter().map(|&e| html! {
                        <label class="check">
                            <input type="checkbox" name="exemptions" value={e.code()} />
                            { " " }{ t(exemption_label(e)) }
                        </label>
                    }) }
                    { field_error(error, "exemptions") }
                </fieldset>
                if current.is_some() {
                    <label class="check"><input type="checkbox" name="active" />
                        { " " }{ t(Key::CatalogActive) }</label>
                }
                <button type="submit" class="button" data-testid="service-save">
                    { if current.is_some() { t(Key::SettingsSave) } else { t(Key::CatalogCreateService) } }
                </button>
            </form>
            <p class="hint">{ t(Key::CatalogDocumentsHint) }</p>
            if let Some(Ok(_)) = &*sent {
                { done(t(Key::SettingsSaved).to_owned(), "service-saved") }
            }
            if let Some(error) = error {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_typed_in_manat_and_sent_in_tenne() {
        assert_eq!(manat_to_minor("60"), Some(6000));
        assert_eq!(manat_to_minor("60.5"), Some(6050));
        assert_eq!(manat_to_minor(" 60,05 "), Some(6005));
        assert_eq!(manat_to_minor("0"), Some(0));
        assert_eq!(manat_to_minor(".5"), Some(50));
        assert_eq!(manat_to_minor(""), None);
        assert_eq!(manat_to_minor("1.234"), None);
        assert_eq!(manat_to_minor("-1"), None);
        assert_eq!(manat_to_minor("abc"), None);
        assert_eq!(minor_to_manat(6005), "60.05");
        assert_eq!(minor_to_manat(0), "0.00");
    }

    #[test]
    fn documents_are_one_a_line() {
        assert_eq!(lines(" a \n\n b\r\n"), vec!["a", "b"]);
        assert!(lines("  ").is_empty());
    }
}
