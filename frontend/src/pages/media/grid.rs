//! The section's list (`/media`): filter buttons by kind, a search box, tags, and the items as
//! cards whose covers load lazily at their final size (no jumping) from the 320/1280 copies.
//! The filters live in the address (`?kind=photo&tag=…&q=…&page=2`), so Back keeps them.

use super::{kind_name, published, Cover};
use crate::api::media::{self, Filters, MediaSummary};
use crate::api::ApiError;
use crate::app::Route;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t, use_title};
use crate::i18n::{fill, Key};
use nobat_domain::catalog::Page;
use nobat_domain::media::MediaKind;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

const PER_PAGE: u32 = 12;

/// One item as a card: cover, kind, title, "not yet translated", summary, tags, date.
#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub item: MediaSummary,
    /// A tag pressed filters the list by it; without this, tags are plain text.
    #[prop_or_default]
    pub on_tag: Option<Callback<String>>,
}

#[function_component(MediaCard)]
pub fn media_card(props: &CardProps) -> Html {
    let t = use_t();
    let language = use_language();
    let item = &props.item;
    let to = Route::MediaItem {
        slug: item.slug.clone(),
    };
    // Turkmen shown in place of a missing translation is marked as Turkmen for screen readers.
    let lang = item.fallback.then_some("tk");
    html! {
        <article class="card media-card" data-kind={item.kind.code()} data-slug={item.slug.clone()}
            data-fallback={item.fallback.to_string()}>
            <Link<Route> to={to.clone()} classes="media-cover">
                <Cover file={item.cover.clone()} kind={item.kind}
                    sizes="(min-width: 40rem) 20rem, 7rem" />
            </Link<Route>>
            <div class="media-text">
                <p class="media-kind">{ kind_name(item.kind, language) }</p>
                <h3 {lang}><Link<Route> {to}>{ item.title.clone() }</Link<Route>></h3>
                if item.fallback {
                    <p><span class="badge untranslated" data-testid="untranslated">{ t(Key::MediaUntranslated) }</span></p>
                }
                if !item.summary.is_empty() {
                    <p class="media-summary" {lang}>{ item.summary.clone() }</p>
                }
                <p class="muted media-meta">
                    { published(item.published_at) }
                    if item.kind == MediaKind::Photo {
                        { " · " }{ fill(t(Key::MediaPhotos), &[("n", &item.file_count.to_string())]) }
                    }
                </p>
                if !item.tags.is_empty() {
                    <ul class="tags">
                        { for item.tags.iter().map(|tag| {
                            let tag = tag.clone();
                            match &props.on_tag {
                                Some(on_tag) => {
                                    let on_tag = on_tag.clone();
                                    let chosen = tag.clone();
                                    html! { <li><button type="button" class="tag" onclick={move |_| on_tag.emit(chosen.clone())}>{ tag }</button></li> }
                                }
                                None => html! { <li>{ tag }</li> },
                            }
                        }) }
                    </ul>
                }
            </div>
        </article>
    }
}

#[function_component(MediaSection)]
pub fn media_section() -> Html {
    let t = use_t();
    let language = use_language();
    use_title(t(Key::NavMedia));
    let navigator = use_navigator();
    let location = use_location();
    let filters: Filters = location
        .as_ref()
        .and_then(|l| l.query::<Filters>().ok())
        .unwrap_or_default();
    let list = use_state(|| None::<Result<Page<MediaSummary>, ApiError>>);
    let asked = use_mut_ref(String::new);
    let retry = use_state(|| 0u32);
    {
        let (list, asked) = (list.clone(), asked.clone());
        use_effect_with(
            (filters.clone(), language, *retry),
            move |(filters, language, _)| {
                let (filters, language) = (filters.clone(), *language);
                let key = filters.api_query(PER_PAGE, language);
                *asked.borrow_mut() = key.clone();
                spawn_local(async move {
                    let result = media::list(&filters, PER_PAGE, language).await;
                    // An answer for filters changed since is dropped.
                    if *asked.borrow() == key {
                        list.set(Some(result));
                    }
                });
            },
        );
    }
    let go = {
        let navigator = navigator.clone();
        move |next: Filters| {
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::Media, &next);
            }
        }
    };
    let kind_button = |kind: Option<MediaKind>, label: String| {
        let pressed = filters.kind.as_deref() == kind.map(MediaKind::code);
        let next = Filters {
            kind: kind.map(|k| k.code().to_owned()),
            page: None,
            ..filters.clone()
        };
        let go = go.clone();
        html! {
            <button type="button" class="filter" aria-pressed={pressed.to_string()}
                data-kind={kind.map(MediaKind::code).unwrap_or("all")}
                onclick={move |_| go(next.clone())}>{ label }</button>
        }
    };
    let on_search = {
        let (go, filters) = (go.clone(), filters.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(form) = event.target_dyn_into::<web_sys::HtmlFormElement>() else {
                return;
            };
            let words = web_sys::FormData::new_with_form(&form)
                .ok()
                .and_then(|d| d.get("q").as_string())
                .unwrap_or_default();
            let words = words.trim().to_owned();
            go(Filters {
                q: (!words.is_empty()).then_some(words),
                page: None,
                ..filters.clone()
            });
        })
    };
    let on_tag = {
        let (go, filters) = (go.clone(), filters.clone());
        Callback::from(move |tag: String| {
            go(Filters {
                tag: Some(tag),
                page: None,
                ..filters.clone()
            })
        })
    };
    let clear_tag = {
        let (go, filters) = (go.clone(), filters.clone());
        Callback::from(move |_: MouseEvent| {
            go(Filters {
                tag: None,
                page: None,
                ..filters.clone()
            })
        })
    };
    let to_page = |page: u32| {
        let (go, filters) = (go.clone(), filters.clone());
        Callback::from(move |_: MouseEvent| {
            go(Filters {
                page: Some(page),
                ..filters.clone()
            })
        })
    };
    let results = match &*list {
        None => html! { <Loading /> },
        Some(Err(error)) => {
            let retry = retry.clone();
            html! { <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| retry.set(*retry + 1))} /> }
        }
        Some(Ok(page)) if page.items.is_empty() => {
            html! { <p class="card" role="status" data-testid="media-none">{ t(Key::MediaNone) }</p> }
        }
        Some(Ok(page)) => {
            let pages = page.total.div_ceil(u64::from(page.per_page.max(1))).max(1) as u32;
            html! {
                <>
                    <ul class="media-grid" data-testid="media-grid">
                        { for page.items.iter().map(|item| html! {
                            <li key={item.slug.clone()}><MediaCard item={item.clone()} on_tag={on_tag.clone()} /></li>
                        }) }
                    </ul>
                    if pages > 1 {
                        <nav class="pager" aria-label={t(Key::MediaPages)}>
                            <button type="button" class="button secondary" disabled={page.page <= 1}
                                onclick={to_page(page.page.saturating_sub(1).max(1))}>{ t(Key::MediaPrev) }</button>
                            <span>{ fill(t(Key::MediaPage), &[("n", &page.page.to_string()), ("of", &pages.to_string())]) }</span>
                            <button type="button" class="button secondary" disabled={page.page >= pages}
                                onclick={to_page(page.page + 1)}>{ t(Key::MediaNext) }</button>
                        </nav>
                    }
                </>
            }
        }
    };
    html! {
        <>
            <h1>{ t(Key::NavMedia) }</h1>
            <p class="lead">{ t(Key::ActionMedia) }</p>
            <div class="media-tools">
                <div class="filters" role="group" aria-label={t(Key::MediaFilterLabel)}>
                    { kind_button(None, t(Key::MediaAll).to_owned()) }
                    { for MediaKind::ALL.into_iter().map(|kind| kind_button(Some(kind), kind.label(language))) }
                </div>
                <form class="media-search" role="search" onsubmit={on_search}>
                    <label for="media-q" class="visually-hidden">{ t(Key::MediaSearch) }</label>
                    <input id="media-q" name="q" type="search" placeholder={t(Key::MediaSearch)}
                        value={filters.q.clone().unwrap_or_default()} />
                    <button type="submit" class="button">{ t(Key::MediaFind) }</button>
                </form>
            </div>
            if let Some(tag) = &filters.tag {
                <p class="tag-filter">
                    { fill(t(Key::MediaTagFilter), &[("tag", tag)]) }{ " " }
                    <button type="button" class="link" data-testid="clear-tag" onclick={clear_tag}>{ t(Key::MediaAllTags) }</button>
                </p>
            }
            { results }
        </>
    }
}
