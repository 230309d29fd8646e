//! A video item: the browser's own player (`controls`, only the metadata loaded until play; the
//! server answers byte ranges, so seeking does not download the whole file), the item's first
//! image as its poster, and a download link for browsers that cannot play it.

use super::use_page_title;
use super::{file_size, item_head, tag_links};
use crate::api::media::MediaItem;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VideoProps {
    pub item: MediaItem,
}

#[function_component(Video)]
pub fn video(props: &VideoProps) -> Html {
    let t = use_t();
    let language = use_language();
    let item = &props.item;
    use_page_title(item.title.clone());
    let poster = item
        .files
        .iter()
        .find(|f| f.is_image())
        .map(|f| f.at_least(1280).0);
    let clip = item.files.iter().find(|f| f.class == "video");
    html! {
        <article class="media-item video-item">
            { item_head(item, &t, language) }
            if let Some(clip) = clip {
                <figure class="player">
                    <video controls=true preload="metadata" playsinline=true poster={poster}
                        data-testid="video" width={clip.width.map(|w| w.to_string())}
                        height={clip.height.map(|h| h.to_string())}>
                        <source src={clip.url.clone()} type={clip.mime.clone()} />
                        <p>{ t(Key::MediaNoVideo) }</p>
                    </video>
                    if !clip.caption.is_empty() {
                        <figcaption>{ clip.caption.clone() }</figcaption>
                    }
                </figure>
                <p><a href={clip.url.clone()} download={clip.name.clone()}>
                    { fill(t(Key::MediaDownloadVideo), &[("size", &file_size(clip.bytes, language))]) }
                </a></p>
            } else {
                <p class="card" role="status">{ t(Key::MediaNoVideo) }</p>
            }
            if !item.body_html.trim().is_empty() {
                <div class="prose">{ Html::from_html_unchecked(AttrValue::from(item.body_html.clone())) }</div>
            }
            { tag_links(&item.tags) }
        </article>
    }
}
