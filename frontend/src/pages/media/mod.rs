//! The Multimedia section: the list of photo albums, videos and instructions (`/media`), one
//! item (`/media/{slug}`: an album with its lightbox, a video, or an instruction to read and
//! print), and the latest items on the home page. Texts come in the citizen's language, or in
//! Turkmen with a "not yet translated" badge.

mod album;
mod grid;
mod instruction;
mod video;

use crate::api::media::{self, MediaFile, MediaItem, MediaSummary};
use crate::api::ApiError;
use crate::app::Route;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use chrono::{DateTime, Utc};
use nobat_domain::media::MediaKind;
use nobat_domain::Language;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

pub use grid::{MediaCard, MediaSection};

/// Sets the document title to "<item> · Nobat".
#[hook]
pub fn use_page_title(title: String) {
    use_effect_with(title, |title| {
        if let Some(document) = crate::hooks::document() {
            document.set_title(&format!("{title} · Nobat"));
        }
    });
}

/// What one item is, as a card says it.
pub fn kind_name(kind: MediaKind, language: Language) -> &'static str {
    i18n::t(
        language,
        match kind {
            MediaKind::Photo => Key::MediaKindPhoto,
            MediaKind::Video => Key::MediaKindVideo,
            MediaKind::Instruction => Key::MediaKindInstruction,
        },
    )
}

/// The day an item was published, in Ashgabat, as a `<time>`.
pub fn published(at: Option<DateTime<Utc>>) -> Html {
    match at {
        Some(at) => {
            let day = nobat_domain::calendar::local_date(at);
            html! { <time datetime={day.to_string()}>{ i18n::date(day) }</time> }
        }
        None => Html::default(),
    }
}

/// A file's size as people read it: `830 KB`, `1,4 MB` (`1.4 MB` in English).
pub fn file_size(bytes: i64, language: Language) -> String {
    let bytes = bytes.max(0) as f64;
    let (value, key) = if bytes < 1024.0 {
        (format!("{bytes}"), Key::MediaSizeB)
    } else if bytes < 1024.0 * 1024.0 {
        (format!("{:.0}", (bytes / 1024.0).ceil()), Key::MediaSizeKb)
    } else {
        let text = format!("{:.1}", bytes / (1024.0 * 1024.0));
        let text = if language == Language::En {
            text
        } else {
            text.replace('.', ",")
        };
        (text, Key::MediaSizeMb)
    };
    fill(i18n::t(language, key), &[("n", &value)])
}

#[derive(Properties, PartialEq)]
pub struct CoverProps {
    pub file: Option<MediaFile>,
    pub kind: MediaKind,
    /// The `sizes` of the `<img>`: how wide it is shown.
    pub sizes: AttrValue,
}

/// An item's picture, loaded lazily at its final size; a drawn placeholder without one.
#[function_component(Cover)]
pub fn cover(props: &CoverProps) -> Html {
    match &props.file {
        Some(file) => {
            let (src, width, height) = file.at_least(320);
            html! {
                <img {src} srcset={file.srcset()} sizes={props.sizes.clone()} loading="lazy"
                    decoding="async" width={width.to_string()} height={height.to_string()} alt="" />
            }
        }
        None => {
            let symbol = match props.kind {
                MediaKind::Photo => "▦",
                MediaKind::Video => "▶",
                MediaKind::Instruction => "☰",
            };
            html! { <span class="cover-placeholder" aria-hidden="true">{ symbol }</span> }
        }
    }
}

/// The "not yet translated" badge and a sentence saying what is shown instead.
#[function_component(Untranslated)]
pub fn untranslated() -> Html {
    let t = use_t();
    html! {
        <p class="notice untranslated-note" data-testid="untranslated">
            <span class="badge untranslated">{ t(Key::MediaUntranslated) }</span>{ " " }
            { t(Key::MediaUntranslatedNote) }
        </p>
    }
}

/// The tags of an item, each a link to the list filtered by it.
pub fn tag_links(tags: &[String]) -> Html {
    if tags.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="tags">
            { for tags.iter().map(|tag| {
                let query = media::Filters { tag: Some(tag.clone()), ..Default::default() };
                html! {
                    <li><Link<Route, media::Filters> to={Route::Media} {query}>{ tag.clone() }</Link<Route, media::Filters>></li>
                }
            }) }
        </ul>
    }
}

/// What every item page has on top: the way back, the title, the badge, the summary.
pub fn item_head(item: &MediaItem, t: &dyn Fn(Key) -> &'static str, language: Language) -> Html {
    let lang = item.fallback.then_some("tk");
    html! {
        <>
            <p class="no-print"><Link<Route> to={Route::Media}>{ "← " }{ t(Key::MediaBack) }</Link<Route>></p>
            <p class="media-kind">{ kind_name(item.kind, language) }{ " · " }{ published(item.published_at) }</p>
            <h1 {lang} data-testid="media-title">{ item.title.clone() }</h1>
            if item.fallback {
                <Untranslated />
            }
            if !item.summary.is_empty() {
                <p class="lead" {lang}>{ item.summary.clone() }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct MediaPageProps {
    pub slug: String,
}

/// One item, shown as its kind asks.
#[function_component(MediaPage)]
pub fn media_page(props: &MediaPageProps) -> Html {
    let language = use_language();
    let item = use_state(|| None::<Result<MediaItem, ApiError>>);
    let retry = use_state(|| 0u32);
    // The item and language asked last: the answer to an earlier question (the Turkmen one
    // asked before the remembered language is restored) is dropped when it comes late.
    let asked = use_mut_ref(|| None::<(String, Language)>);
    {
        let (item, asked) = (item.clone(), asked.clone());
        use_effect_with(
            (props.slug.clone(), language, *retry),
            move |(slug, language, _)| {
                let question = (slug.clone(), *language);
                *asked.borrow_mut() = Some(question.clone());
                spawn_local(async move {
                    let answer = media::item(&question.0, question.1).await;
                    if asked.borrow().as_ref() == Some(&question) {
                        item.set(Some(answer));
                    }
                });
            },
        );
    }
    match &*item {
        None => html! { <Loading /> },
        Some(Err(error)) => {
            let retry = retry.clone();
            html! {
                <>
                    <p><Link<Route> to={Route::Media}>{ "← " }{ i18n::t(language, Key::MediaBack) }</Link<Route>></p>
                    <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| retry.set(*retry + 1))} />
                </>
            }
        }
        Some(Ok(item)) if item.slug != props.slug => html! { <Loading /> },
        Some(Ok(item)) => match item.kind {
            MediaKind::Photo => html! { <album::Album item={item.clone()} /> },
            MediaKind::Video => html! { <video::Video item={item.clone()} /> },
            MediaKind::Instruction => html! { <instruction::Instruction item={item.clone()} /> },
        },
    }
}

/// The newest items, for the home page; nothing at all when there are none or the call fails.
#[function_component(LatestMedia)]
pub fn latest_media() -> Html {
    let t = use_t();
    let language = use_language();
    let items = use_state(Vec::<MediaSummary>::new);
    let asked = use_mut_ref(|| None::<Language>);
    {
        let (items, asked) = (items.clone(), asked.clone());
        use_effect_with(language, move |language| {
            let language = *language;
            *asked.borrow_mut() = Some(language);
            spawn_local(async move {
                let answer = media::list(&media::Filters::default(), 4, language).await;
                if let (Ok(page), true) = (answer, *asked.borrow() == Some(language)) {
                    items.set(page.items);
                }
            });
        });
    }
    if items.is_empty() {
        return Html::default();
    }
    html! {
        <section aria-labelledby="latest-media-title" data-testid="latest-media">
            <h2 id="latest-media-title">{ t(Key::MediaLatest) }</h2>
            <ul class="media-grid latest">
                { for items.iter().map(|item| html! {
                    <li key={item.slug.clone()}><MediaCard item={item.clone()} /></li>
                }) }
            </ul>
            <p><Link<Route> to={Route::Media}>{ t(Key::MediaAllItems) }{ " →" }</Link<Route>></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(file_size(512, Language::En), "512 B");
        assert_eq!(file_size(2048, Language::Tk), "2 KB");
        assert_eq!(file_size(1_468_006, Language::Ru), "1,4 МБ");
        assert_eq!(file_size(1_468_006, Language::En), "1.4 MB");
    }
}
