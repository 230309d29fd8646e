//! The console's Multimedia tab, for editors and admins: every item with its status, and one
//! opened in an editor with Turkmen, Russian and English side by side (title, summary, Markdown
//! body with a live preview rendered by the server), tags, the publication moves the item
//! allows now, and its files: upload with a progress bar, remove.

use super::session_ended;
use crate::api::media::{self, Draft, EditorItem, MediaFile, MediaSummary};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use crate::pages::media::file_size;
use gloo_timers::callback::Timeout;
use nobat_domain::catalog::Page;
use nobat_domain::media::{max_bytes, FileClass, LocalizedText, MediaKind, PublicationStatus};
use nobat_domain::Language;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How long the preview waits after the last key before it asks the server.
const PREVIEW_DELAY_MS: u32 = 400;

/// Which text of an item a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Title,
    Summary,
    Body,
}

/// The editor's form: what is typed, before it is saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub kind: Option<MediaKind>,
    pub slug: String,
    /// Turkmen, Russian, English, in [`Language::ALL`] order.
    pub title: [String; 3],
    pub summary: [String; 3],
    pub body: [String; 3],
    pub tags: String,
    pub sort_order: String,
}

pub enum FormAction {
    Load(Box<EditorItem>),
    Kind(MediaKind),
    Slug(String),
    Text(Text, Language, String),
    Tags(String),
    SortOrder(String),
}

fn index(language: Language) -> usize {
    match language {
        Language::Tk => 0,
        Language::Ru => 1,
        Language::En => 2,
    }
}

fn trio(text: &LocalizedText) -> [String; 3] {
    [
        text.tk.clone(),
        text.ru.clone().unwrap_or_default(),
        text.en.clone().unwrap_or_default(),
    ]
}

fn localized(values: &[String; 3]) -> LocalizedText {
    let optional = |v: &String| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    LocalizedText::new(values[0].trim(), optional(&values[1]), optional(&values[2]))
}

impl Reducible for Form {
    type Action = FormAction;
    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut form = (*self).clone();
        match action {
            FormAction::Load(item) => {
                form = Form {
                    kind: Some(item.kind),
                    slug: item.slug.clone(),
                    title: trio(&item.title),
                    summary: trio(&item.summary),
                    body: trio(&item.body),
                    tags: item.tags.join(", "),
                    sort_order: item.sort_order.to_string(),
                }
            }
            FormAction::Kind(kind) => form.kind = Some(kind),
            FormAction::Slug(slug) => form.slug = slug,
            FormAction::Text(text, language, value) => {
                let field = match text {
                    Text::Title => &mut form.title,
                    Text::Summary => &mut form.summary,
                    Text::Body => &mut form.body,
                };
                field[index(language)] = value;
            }
            FormAction::Tags(tags) => form.tags = tags,
            FormAction::SortOrder(order) => form.sort_order = order,
        }
        Rc::new(form)
    }
}

impl Form {
    pub fn text(&self, text: Text, language: Language) -> &str {
        let field = match text {
            Text::Title => &self.title,
            Text::Summary => &self.summary,
            Text::Body => &self.body,
        };
        &field[index(language)]
    }

    /// The request body: blank translations left out, tags split on commas, the kind only when
    /// `creating` (it cannot change), the slug only when typed.
    pub fn draft(&self, creating: bool) -> Draft {
        Draft {
            kind: if creating { self.kind } else { None },
            slug: Some(self.slug.trim().to_owned()).filter(|s| !s.is_empty()),
            title: localized(&self.title),
            summary: localized(&self.summary),
            body: localized(&self.body),
            tags: self
                .tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            sort_order: self.sort_order.trim().parse().unwrap_or(0),
        }
    }
}

/// Keeps a result, or reports that the session ended.
fn settle<T>(
    result: Result<T, ApiError>,
    on_expired: &Callback<()>,
) -> Option<Result<T, ApiError>> {
    match result {
        Err(error) if session_ended(&error) => {
            on_expired.emit(());
            None
        }
        result => Some(result),
    }
}

fn status_move(from: PublicationStatus, to: PublicationStatus) -> Key {
    match (from, to) {
        (_, PublicationStatus::Published) => Key::MediaEdPublish,
        (PublicationStatus::Published, PublicationStatus::Draft) => Key::MediaEdUnpublish,
        (_, PublicationStatus::Draft) => Key::MediaEdRestore,
        (_, PublicationStatus::Archived) => Key::MediaEdArchive,
    }
}

/// The items of each status asked for (every status when `status` is empty), with it: the
/// list's answer does not say an item's status, the filter does.
async fn listed(
    status: &str,
    kind: &str,
    words: &str,
    language: Language,
) -> Result<Vec<(PublicationStatus, MediaSummary)>, ApiError> {
    let statuses: Vec<PublicationStatus> = match PublicationStatus::parse(status) {
        Some(one) => vec![one],
        None => PublicationStatus::ALL.to_vec(),
    };
    let mut items = Vec::new();
    for status in statuses {
        let page: Page<MediaSummary> =
            media::staff_list(status.code(), kind, words, language).await?;
        items.extend(page.items.into_iter().map(|item| (status, item)));
    }
    Ok(items)
}

#[derive(Properties, PartialEq)]
pub struct MediaEditorProps {
    pub on_expired: Callback<()>,
}

/// A counter that goes up to ask for the list again (a reducer: two asks before a render are
/// still two).
#[derive(Debug, Default, PartialEq)]
struct Reload(u32);

impl Reducible for Reload {
    type Action = ();
    fn reduce(self: Rc<Self>, (): ()) -> Rc<Self> {
        Rc::new(Reload(self.0.wrapping_add(1)))
    }
}

/// What is opened below the list.
#[derive(Debug, Clone, PartialEq)]
enum Opened {
    New,
    Item(String),
}

#[function_component(MediaEditor)]
pub fn media_editor(props: &MediaEditorProps) -> Html {
    let t = use_t();
    let language = use_language();
    let filters = use_state(|| (String::new(), String::new(), String::new()));
    let reload = use_reducer(Reload::default);
    let list = use_state(|| None::<Result<Vec<(PublicationStatus, MediaSummary)>, ApiError>>);
    let opened = use_state(|| None::<Opened>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with(
            ((*filters).clone(), reload.0, language),
            move |((status, kind, words), _, language)| {
                let (status, kind, words, language) =
                    (status.clone(), kind.clone(), words.clone(), *language);
                spawn_local(async move {
                    let result = listed(&status, &kind, &words, language).await;
                    if let Some(result) = settle(result, &on_expired) {
                        list.set(Some(result));
                    }
                });
            },
        );
    }
    let onsubmit = {
        let filters = filters.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(form) = event.target_dyn_into::<web_sys::HtmlFormElement>() else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            let value = |name: &str| data.get(name).as_string().unwrap_or_default();
            filters.set((value("status"), value("kind"), value("q")));
        })
    };
    let open = |which: Opened| {
        let opened = opened.clone();
        Callback::from(move |_: MouseEvent| opened.set(Some(which.clone())))
    };
    let on_saved = {
        let (opened, reload) = (opened.clone(), reload.clone());
        Callback::from(move |slug: String| {
            opened.set(Some(Opened::Item(slug)));
            reload.dispatch(());
        })
    };
    let on_close = {
        let opened = opened.clone();
        Callback::from(move |()| opened.set(None))
    };
    let table = match &*list {
        None => html! { <Loading /> },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="muted">{ t(Key::MediaEdNone) }</p> }
        }
        Some(Ok(items)) => html! {
            <div class="table-scroll">
                <table class="report media-list" data-testid="media-list">
                    <thead><tr>
                        <th scope="col">{ t(Key::MediaEdTitle) }</th>
                        <th scope="col">{ t(Key::MediaEdKind) }</th>
                        <th scope="col">{ t(Key::MediaEdStatus) }</th>
                        <th scope="col">{ t(Key::MediaEdFiles) }</th>
                        <th scope="col"><span class="visually-hidden">{ t(Key::MediaEdEdit) }</span></th>
                    </tr></thead>
                    <tbody>
                        { for items.iter().map(|(status, item)| {
                            let selected = *opened == Some(Opened::Item(item.slug.clone()));
                            html! {
                                <tr data-slug={item.slug.clone()} data-status={status.code()} aria-selected={selected.to_string()}>
                                    <td>{ item.title.clone() }<br /><small class="muted">{ item.slug.clone() }</small></td>
                                    <td>{ super::super::media::kind_name(item.kind, language) }</td>
                                    <td data-testid="media-status">{ status.label(language) }</td>
                                    <td>{ item.file_count }</td>
                                    <td><button type="button" class="button secondary" data-testid="media-edit"
                                        onclick={open(Opened::Item(item.slug.clone()))}>{ t(Key::MediaEdEdit) }</button></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    html! {
        <div class="media-editor">
            <section class="card" aria-labelledby="media-list-title">
                <h2 id="media-list-title">{ t(Key::NavMedia) }</h2>
                <form class="settings-form" {onsubmit}>
                    <div class="field">
                        <label for="media-filter-status">{ t(Key::MediaEdStatus) }</label>
                        <select id="media-filter-status" name="status">
                            <option value="" selected={filters.0.is_empty()}>{ t(Key::MediaEdAny) }</option>
                            { for PublicationStatus::ALL.iter().map(|s| html! {
                                <option value={s.code()} selected={filters.0 == s.code()}>{ s.label(language) }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="media-filter-kind">{ t(Key::MediaEdKind) }</label>
                        <select id="media-filter-kind" name="kind">
                            <option value="" selected={filters.1.is_empty()}>{ t(Key::MediaEdAny) }</option>
                            { for MediaKind::ALL.iter().map(|k| html! {
                                <option value={k.code()} selected={filters.1 == k.code()}>{ k.label(language) }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="media-filter-q">{ t(Key::MediaSearch) }</label>
                        <input id="media-filter-q" name="q" type="search" />
                    </div>
                    <button type="submit" class="button secondary">{ t(Key::MediaFind) }</button>
                </form>
                <p><button type="button" class="button" data-testid="media-new" onclick={open(Opened::New)}>
                    { t(Key::MediaEdNew) }</button></p>
                { table }
            </section>
            {
                match (*opened).clone() {
                    Some(Opened::New) => html! {
                        <ItemEditor key="new" slug={None::<String>} on_saved={on_saved.clone()}
                            on_close={on_close.clone()} on_expired={props.on_expired.clone()} />
                    },
                    Some(Opened::Item(slug)) => {
                        let key = slug.clone();
                        html! {
                            <ItemEditor {key} slug={Some(slug)} on_saved={on_saved.clone()}
                                on_close={on_close.clone()} on_expired={props.on_expired.clone()} />
                        }
                    }
                    None => Html::default(),
                }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ItemEditorProps {
    /// `None` for a new item.
    slug: Option<String>,
    on_saved: Callback<String>,
    on_close: Callback<()>,
    on_expired: Callback<()>,
}

#[function_component(ItemEditor)]
fn item_editor(props: &ItemEditorProps) -> Html {
    let t = use_t();
    let language = use_language();
    let form = use_reducer(|| Form {
        kind: Some(MediaKind::Instruction),
        sort_order: "0".into(),
        ..Form::default()
    });
    let item = use_state(|| None::<EditorItem>);
    let failure = use_state(|| None::<ApiError>);
    let message = use_state(|| None::<Key>);
    let busy = use_state(|| false);
    {
        let (form, item, failure, on_expired) = (
            form.clone(),
            item.clone(),
            failure.clone(),
            props.on_expired.clone(),
        );
        use_effect_with(props.slug.clone(), move |slug| {
            if let Some(slug) = slug.clone() {
                spawn_local(async move {
                    match settle(media::staff_item(&slug, language).await, &on_expired) {
                        Some(Ok(loaded)) => {
                            form.dispatch(FormAction::Load(Box::new(loaded.clone())));
                            item.set(Some(loaded));
                        }
                        Some(Err(error)) => failure.set(Some(error)),
                        None => {}
                    }
                });
            }
        });
    }
    // The editor opens below a list that may be long: bring it into view once it is there.
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with(item.is_some(), move |_| {
            if let Some(section) = section.cast::<web_sys::Element>() {
                section.scroll_into_view();
            }
        });
    }
    let creating = props.slug.is_none();
    if !creating && item.is_none() {
        return match &*failure {
            Some(error) => html! { <ErrorNotice error={error.clone()} /> },
            None => html! { <Loading /> },
        };
    }
    let errors = match &*failure {
        Some(ApiError::Problem(problem)) => problem.errors.clone(),
        _ => Default::default(),
    };
    let field_error = |name: &str| {
        errors
            .get(name)
            .map(|e| html! { <p class="field-error">{ e.clone() }</p> })
    };
    let onsubmit = {
        let (form, item, failure, message, busy, on_saved, on_expired) = (
            form.clone(),
            item.clone(),
            failure.clone(),
            message.clone(),
            busy.clone(),
            props.on_saved.clone(),
            props.on_expired.clone(),
        );
        let slug = props.slug.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let draft = form.draft(slug.is_none());
            let (form, item, failure, message, busy, on_saved, on_expired, slug) = (
                form.clone(),
                item.clone(),
                failure.clone(),
                message.clone(),
                busy.clone(),
                on_saved.clone(),
                on_expired.clone(),
                slug.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let result = match &slug {
                    Some(slug) => media::change(slug, &draft, language).await,
                    None => media::create(&draft, language).await,
                };
                busy.set(false);
                match settle(result, &on_expired) {
                    Some(Ok(saved)) => {
                        failure.set(None);
                        message.set(Some(if slug.is_some() {
                            Key::MediaEdSaved
                        } else {
                            Key::MediaEdCreated
                        }));
                        form.dispatch(FormAction::Load(Box::new(saved.clone())));
                        let new_slug = saved.slug.clone();
                        item.set(Some(saved));
                        on_saved.emit(new_slug);
                    }
                    Some(Err(error)) => {
                        message.set(None);
                        failure.set(Some(error));
                    }
                    None => {}
                }
            });
        })
    };
    let set_text = |text: Text, lang: Language| {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|a| a.value())
                })
                .unwrap_or_default();
            form.dispatch(FormAction::Text(text, lang, value));
        })
    };
    let input_value = |event: InputEvent| {
        event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let on_slug = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| form.dispatch(FormAction::Slug(input_value(e))))
    };
    let on_tags = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| form.dispatch(FormAction::Tags(input_value(e))))
    };
    let on_order = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| form.dispatch(FormAction::SortOrder(input_value(e))))
    };
    let on_kind = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            if let Some(kind) = event
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| MediaKind::parse(&s.value()))
            {
                form.dispatch(FormAction::Kind(kind));
            }
        })
    };
    let column = |lang: Language| {
        let code = lang.code();
        let title_id = format!("media-title-{code}");
        let summary_id = format!("media-summary-{code}");
        let body_id = format!("media-body-{code}");
        let required = lang == Language::Tk;
        html! {
            <fieldset class="media-language" lang={code} data-language={code}>
                <legend>{ lang.native_name() }
                    if !required { <span class="optional">{ " (" }{ t(Key::FieldOptional) }{ ")" }</span> }
                </legend>
                <div class="field">
                    <label for={title_id.clone()}>{ t(Key::MediaEdTitle) }</label>
                    <input id={title_id} type="text" maxlength="200" {required}
                        value={form.text(Text::Title, lang).to_owned()} oninput={set_text(Text::Title, lang)} />
                    { for field_error(&format!("title.{code}")) }
                </div>
                <div class="field">
                    <label for={summary_id.clone()}>{ t(Key::MediaEdSummary) }</label>
                    <textarea id={summary_id} rows="2" maxlength="1000"
                        value={form.text(Text::Summary, lang).to_owned()} oninput={set_text(Text::Summary, lang)} />
                    { for field_error(&format!("summary.{code}")) }
                </div>
                <div class="field">
                    <label for={body_id.clone()}>{ t(Key::MediaEdBody) }</label>
                    <textarea id={body_id} rows="10" class="markdown"
                        value={form.text(Text::Body, lang).to_owned()} oninput={set_text(Text::Body, lang)} />
                    { for field_error(&format!("body.{code}")) }
                </div>
                <Preview markdown={form.text(Text::Body, lang).to_owned()} language={lang}
                    on_expired={props.on_expired.clone()} />
            </fieldset>
        }
    };
    let kind = form.kind.unwrap_or(MediaKind::Instruction);
    let heading = match &*item {
        Some(item) => item.slug.clone(),
        None => t(Key::MediaEdNew).to_owned(),
    };
    let on_close = props.on_close.clone();
    // A move or a file changed the item: show it as it is now, and refresh the list.
    let on_changed = {
        let (item, on_saved) = (item.clone(), props.on_saved.clone());
        Callback::from(move |changed: EditorItem| {
            let slug = changed.slug.clone();
            item.set(Some(changed));
            on_saved.emit(slug);
        })
    };
    html! {
        <section class="card media-item-editor" ref={section} aria-labelledby="media-editor-title" data-testid="media-editor"
            data-slug={item.as_ref().map(|i| i.slug.clone()).unwrap_or_default()}>
            <div class="editor-head">
                <h2 id="media-editor-title">{ heading }</h2>
                <button type="button" class="button secondary" onclick={move |_| on_close.emit(())}>{ t(Key::MediaEdClose) }</button>
            </div>
            if let Some(current) = &*item {
                <StatusBar item={current.clone()} on_changed={on_changed.clone()}
                    on_expired={props.on_expired.clone()} />
            }
            <form class="media-form" {onsubmit} novalidate=true>
                <div class="media-fields">
                    <div class="field">
                        <label for="media-kind">{ t(Key::MediaEdKind) }</label>
                        <select id="media-kind" disabled={!creating} onchange={on_kind}>
                            { for MediaKind::ALL.iter().map(|k| html! {
                                <option value={k.code()} selected={*k == kind}>{ super::super::media::kind_name(*k, language) }</option>
                            }) }
                        </select>
                        { for field_error("kind") }
                    </div>
                    <div class="field">
                        <label for="media-slug">{ t(Key::MediaEdSlug) }</label>
                        <input id="media-slug" type="text" value={form.slug.clone()} oninput={on_slug} />
                        <p class="hint">{ t(Key::MediaEdSlugHint) }</p>
                        { for field_error("slug") }
                    </div>
                    <div class="field">
                        <label for="media-tags">{ t(Key::MediaTags) }</label>
                        <input id="media-tags" type="text" value={form.tags.clone()} oninput={on_tags} />
                        <p class="hint">{ t(Key::MediaEdTagsHint) }</p>
                        { for field_error("tags") }
                    </div>
                    <div class="field">
                        <label for="media-order">{ t(Key::MediaEdOrder) }</label>
                        <input id="media-order" type="number" inputmode="numeric" value={form.sort_order.clone()} oninput={on_order} />
                    </div>
                </div>
                <div class="media-languages">
                    { for Language::ALL.into_iter().map(column) }
                </div>
                if let Some(error) = &*failure {
                    <ErrorNotice error={error.clone()} />
                }
                if let Some(key) = *message {
                    <p class="card outcome" data-tone="ok" role="status" data-testid="media-saved">{ t(key) }</p>
                }
                <button type="submit" class="button" data-testid="media-save" disabled={*busy}>
                    { t(if creating { Key::MediaEdCreate } else { Key::MediaEdSave }) }
                </button>
            </form>
            if let Some(current) = &*item {
                <Files item={current.clone()} on_changed={on_changed}
                    on_expired={props.on_expired.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    markdown: String,
    language: Language,
    on_expired: Callback<()>,
}

/// The body as citizens will see it, rendered by the server a moment after typing stops.
#[function_component(Preview)]
fn preview(props: &PreviewProps) -> Html {
    let t = use_t();
    let html = use_state(String::new);
    // The text previewed last: a slow answer for an older text is dropped.
    let asked = use_mut_ref(String::new);
    {
        let (html, on_expired, language) = (html.clone(), props.on_expired.clone(), props.language);
        use_effect_with(props.markdown.clone(), move |markdown| {
            let markdown = markdown.clone();
            *asked.borrow_mut() = markdown.clone();
            let shown = html.clone();
            let timer = (!markdown.trim().is_empty()).then(|| {
                Timeout::new(PREVIEW_DELAY_MS, move || {
                    spawn_local(async move {
                        let answer = settle(media::preview(&markdown, language).await, &on_expired);
                        if let (Some(Ok(rendered)), true) = (answer, *asked.borrow() == markdown) {
                            html.set(rendered);
                        }
                    });
                })
            });
            if timer.is_none() {
                shown.set(String::new());
            }
            // A key pressed before the delay is over cancels this request.
            move || drop(timer)
        });
    }
    html! {
        <div class="preview" data-testid={format!("preview-{}", props.language.code())}>
            <p class="preview-label">{ t(Key::MediaEdPreview) }</p>
            <div class="prose">{ Html::from_html_unchecked(AttrValue::from((*html).clone())) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StatusBarProps {
    item: EditorItem,
    on_changed: Callback<EditorItem>,
    on_expired: Callback<()>,
}

/// The item's status, what is not translated yet, and the moves allowed now.
#[function_component(StatusBar)]
fn status_bar(props: &StatusBarProps) -> Html {
    let t = use_t();
    let language = use_language();
    let failure = use_state(|| None::<ApiError>);
    let item = &props.item;
    let missing: Vec<&str> = item.missing.iter().map(|l| l.native_name()).collect();
    html! {
        <div class="status-bar" data-testid="media-status-bar" data-status={item.status.code()}>
            <p>
                <strong>{ fill(t(Key::MediaEdStatusNow), &[("status", &item.status.label(language))]) }</strong>
                if !missing.is_empty() {
                    { " · " }<span class="badge untranslated">{ fill(t(Key::MediaEdMissing), &[("languages", &missing.join(", "))]) }</span>
                }
                if item.status == PublicationStatus::Published {
                    { " · " }<a href={format!("/media/{}", item.slug)} target="_blank" rel="noopener">{ t(Key::MediaEdOpenPublic) }</a>
                }
            </p>
            <div class="buttons">
                { for item.allowed.iter().map(|&next| {
                    let (slug, on_changed, on_expired, failure) = (
                        item.slug.clone(),
                        props.on_changed.clone(),
                        props.on_expired.clone(),
                        failure.clone(),
                    );
                    let onclick = Callback::from(move |_: MouseEvent| {
                        let (slug, on_changed, on_expired, failure) =
                            (slug.clone(), on_changed.clone(), on_expired.clone(), failure.clone());
                        spawn_local(async move {
                            match settle(media::set_status(&slug, next, language).await, &on_expired) {
                                Some(Ok(item)) => {
                                    failure.set(None);
                                    on_changed.emit(item);
                                }
                                Some(Err(error)) => failure.set(Some(error)),
                                None => {}
                            }
                        });
                    });
                    let danger = next == PublicationStatus::Archived;
                    html! {
                        <button type="button" class={classes!("button", danger.then_some("secondary"))}
                            data-testid={format!("media-to-{}", next.code())} {onclick}>
                            { t(status_move(item.status, next)) }
                        </button>
                    }
                }) }
            </div>
            if let Some(error) = &*failure {
                <ErrorNotice error={error.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FilesProps {
    item: EditorItem,
    on_changed: Callback<EditorItem>,
    on_expired: Callback<()>,
}

/// What an upload is doing.
#[derive(Debug, Clone, PartialEq)]
enum Upload {
    Idle,
    Sending(u32),
    Done,
    Failed(String),
}

/// The kinds of file an item of `kind` takes, for the file picker and the hint.
fn accepted(kind: MediaKind) -> (&'static str, Key) {
    match kind {
        MediaKind::Photo => ("image/jpeg,image/png,image/webp", Key::MediaEdAcceptsPhoto),
        MediaKind::Video => (
            "video/mp4,video/webm,image/jpeg,image/png,image/webp",
            Key::MediaEdAcceptsVideo,
        ),
        MediaKind::Instruction => (
            "image/jpeg,image/png,image/webp,application/pdf",
            Key::MediaEdAcceptsInstruction,
        ),
    }
}

/// The class a picked file claims by its type, to refuse one too large before sending it.
fn claimed_class(mime: &str) -> Option<FileClass> {
    if mime.starts_with("image/") {
        Some(FileClass::Image)
    } else if mime.starts_with("video/") {
        Some(FileClass::Video)
    } else if mime == "application/pdf" {
        Some(FileClass::Attachment)
    } else {
        None
    }
}

/// What to say about a failed upload: too large (413), the wrong type (422, `errors.file`), or
/// the server's own words.
fn upload_failure(error: &ApiError, language: Language, limit: Option<u64>) -> String {
    let max = limit
        .map(|bytes| file_size(bytes as i64, language))
        .unwrap_or_default();
    match error.status() {
        Some(413) => fill(i18n::t(language, Key::MediaEdTooLarge), &[("max", &max)]),
        Some(422) => {
            let reason = match error {
                ApiError::Problem(problem) => problem
                    .errors
                    .get("file")
                    .cloned()
                    .unwrap_or_else(|| problem.detail.clone()),
                _ => String::new(),
            };
            fill(
                i18n::t(language, Key::MediaEdWrongType),
                &[("reason", &reason)],
            )
        }
        _ => error
            .detail()
            .map(str::to_owned)
            .unwrap_or_else(|| i18n::t(language, Key::ErrorNetwork).to_owned()),
    }
}

/// The item's files: each with a Remove button; an upload form with a progress bar.
#[function_component(Files)]
fn files(props: &FilesProps) -> Html {
    let t = use_t();
    let language = use_language();
    let upload = use_state(|| Upload::Idle);
    let picker = use_node_ref();
    let caption = use_node_ref();
    let item = &props.item;
    let (accept, hint) = accepted(item.kind);
    let refresh = {
        let (on_changed, on_expired) = (props.on_changed.clone(), props.on_expired.clone());
        move |slug: String| {
            let (on_changed, on_expired) = (on_changed.clone(), on_expired.clone());
            async move {
                if let Some(Ok(item)) =
                    settle(media::staff_item(&slug, language).await, &on_expired)
                {
                    on_changed.emit(item);
                }
            }
        }
    };
    let onsubmit = {
        let (upload, picker, caption, slug, on_expired, refresh) = (
            upload.clone(),
            picker.clone(),
            caption.clone(),
            item.slug.clone(),
            props.on_expired.clone(),
            refresh.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(input) = picker.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let text = caption
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let limit = claimed_class(&file.type_()).map(max_bytes);
            if let Some(limit) = limit.filter(|&limit| file.size() > limit as f64) {
                let too_large = ApiError::Problem(nobat_domain::wire::Problem {
                    kind: "urn:nobat:problem:payload-too-large".into(),
                    title: String::new(),
                    status: 413,
                    detail: String::new(),
                    errors: Default::default(),
                    request_id: None,
                });
                upload.set(Upload::Failed(upload_failure(
                    &too_large,
                    language,
                    Some(limit),
                )));
                return;
            }
            upload.set(Upload::Sending(0));
            let (upload, slug, on_expired, refresh, input, caption) = (
                upload.clone(),
                slug.clone(),
                on_expired.clone(),
                refresh.clone(),
                input.clone(),
                caption.clone(),
            );
            spawn_local(async move {
                let progress = {
                    let upload = upload.clone();
                    Callback::from(move |percent: u32| upload.set(Upload::Sending(percent)))
                };
                let result = media::upload(&slug, &file, &text, language, progress).await;
                match settle(result, &on_expired) {
                    Some(Ok(_)) => {
                        upload.set(Upload::Done);
                        input.set_value("");
                        if let Some(caption) = caption.cast::<web_sys::HtmlInputElement>() {
                            caption.set_value("");
                        }
                        refresh(slug).await;
                    }
                    Some(Err(error)) => {
                        upload.set(Upload::Failed(upload_failure(&error, language, limit)))
                    }
                    None => {}
                }
            });
        })
    };
    let remove = |file: &MediaFile| {
        let (slug, id, on_expired, refresh, upload) = (
            item.slug.clone(),
            file.id,
            props.on_expired.clone(),
            refresh.clone(),
            upload.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (slug, on_expired, refresh, upload) = (
                slug.clone(),
                on_expired.clone(),
                refresh.clone(),
                upload.clone(),
            );
            spawn_local(async move {
                match settle(media::remove_file(&slug, id, language).await, &on_expired) {
                    Some(Ok(())) => refresh(slug).await,
                    Some(Err(error)) => {
                        upload.set(Upload::Failed(upload_failure(&error, language, None)))
                    }
                    None => {}
                }
            });
        })
    };
    let sending = matches!(*upload, Upload::Sending(_));
    html! {
        <section class="media-files" aria-labelledby="media-files-title">
            <h3 id="media-files-title">{ t(Key::MediaEdFiles) }</h3>
            if item.files.is_empty() {
                <p class="muted">{ t(Key::MediaEdNoFiles) }</p>
            } else {
                <ul class="file-list" data-testid="media-files">
                    { for item.files.iter().map(|file| {
                        let (src, width, height) = file.at_least(320);
                        html! {
                            <li data-file={file.id.to_string()}>
                                if file.is_image() {
                                    <img src={src} width={width.to_string()} height={height.to_string()} alt="" loading="lazy" />
                                } else {
                                    <span class="file-icon" aria-hidden="true">{ if file.class == "video" { "▶" } else { "☰" } }</span>
                                }
                                <span class="file-name">
                                    <a href={file.url.clone()} target="_blank" rel="noopener">{ file.name.clone() }</a>
                                    <small class="muted">{ " " }{ file_size(file.bytes, language) }
                                        if let (Some(w), Some(h)) = (file.width, file.height) { { format!(" · {w}×{h}") } }
                                    </small>
                                    if !file.caption.is_empty() { <small>{ file.caption.clone() }</small> }
                                </span>
                                <button type="button" class="button secondary danger" data-testid="media-remove-file"
                                    onclick={remove(file)}>{ t(Key::MediaEdRemove) }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <form class="upload-form" {onsubmit}>
                <div class="field">
                    <label for="media-file">{ t(Key::MediaEdFile) }</label>
                    <input id="media-file" type="file" {accept} ref={picker} required=true />
                    <p class="hint">{ t(hint) }</p>
                </div>
                <div class="field">
                    <label for="media-caption">{ t(Key::MediaEdCaption) }
                        <span class="optional">{ " (" }{ t(Key::FieldOptional) }{ ")" }</span></label>
                    <input id="media-caption" type="text" maxlength="500" ref={caption} />
                </div>
                <button type="submit" class="button" data-testid="media-upload" disabled={sending}>{ t(Key::MediaEdUpload) }</button>
            </form>
            {
                match &*upload {
                    Upload::Idle => Html::default(),
                    Upload::Sending(percent) => html! {
                        <div class="upload-progress" role="status" data-testid="upload-progress">
                            <progress max="100" value={percent.to_string()}>{ format!("{percent}%") }</progress>
                            <span>{ fill(t(Key::MediaEdUploading), &[("percent", &percent.to_string())]) }</span>
                        </div>
                    },
                    Upload::Done => html! {
                        <p class="card outcome" data-tone="ok" role="status" data-testid="upload-done">{ t(Key::MediaEdUploaded) }</p>
                    },
                    Upload::Failed(message) => html! {
                        <p class="card outcome" data-tone="bad" role="alert" data-testid="upload-failed">{ message.clone() }</p>
                    },
                }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_leave_out_blank_translations_and_split_tags() {
        let form = Rc::new(Form {
            kind: Some(MediaKind::Photo),
            ..Form::default()
        });
        let form = form.reduce(FormAction::Text(
            Text::Title,
            Language::Tk,
            " Aşgabat ".into(),
        ));
        let form = form.reduce(FormAction::Text(Text::Title, Language::Ru, "  ".into()));
        let form = form.reduce(FormAction::Text(Text::Body, Language::En, "**Hi**".into()));
        let form = form.reduce(FormAction::Tags("Şäher, ,  hall ".into()));
        let created = form.draft(true);
        assert_eq!(created.kind, Some(MediaKind::Photo));
        assert_eq!(created.title.tk, "Aşgabat");
        assert_eq!(created.title.ru, None);
        assert_eq!(created.body.en.as_deref(), Some("**Hi**"));
        assert_eq!(created.tags, vec!["Şäher".to_owned(), "hall".to_owned()]);
        assert_eq!(created.slug, None);
        assert_eq!(form.draft(false).kind, None);
    }

    #[test]
    fn moves_are_named_from_where_the_item_is() {
        use PublicationStatus::*;
        assert_eq!(status_move(Draft, Published), Key::MediaEdPublish);
        assert_eq!(status_move(Published, Draft), Key::MediaEdUnpublish);
        assert_eq!(status_move(Archived, Draft), Key::MediaEdRestore);
        assert_eq!(status_move(Draft, Archived), Key::MediaEdArchive);
    }
}
