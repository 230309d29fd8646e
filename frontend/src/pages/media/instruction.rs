//! An instruction: its text (HTML the server rendered from Markdown and sanitized, so it is
//! injected as it is), its pictures, its attachments with their sizes, and a Print button; the
//! print stylesheet leaves out the site's header, navigation and footer.

use super::{file_size, item_head, tag_links, use_page_title};
use crate::api::media::MediaItem;
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InstructionProps {
    pub item: MediaItem,
}

#[function_component(Instruction)]
pub fn instruction(props: &InstructionProps) -> Html {
    let t = use_t();
    let language = use_language();
    let item = &props.item;
    use_page_title(item.title.clone());
    let lang = item.fallback.then_some("tk");
    let images: Vec<_> = item.files.iter().filter(|f| f.is_image()).collect();
    let attachments: Vec<_> = item.files.iter().filter(|f| !f.is_image()).collect();
    let print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    html! {
        <article class="media-item instruction" data-testid="instruction">
            { item_head(item, &t, language) }
            <p class="no-print">
                <button type="button" class="button secondary print-button" data-testid="print" onclick={print}>
                    { t(Key::MediaPrint) }
                </button>
            </p>
            <div class="prose card" data-testid="instruction-body" {lang}>
                { Html::from_html_unchecked(AttrValue::from(item.body_html.clone())) }
            </div>
            { for images.iter().map(|file| {
                let (src, width, height) = file.at_least(1280);
                html! {
                    <figure class="instruction-figure">
                        <img {src} srcset={file.srcset()} sizes="(min-width: 64rem) 62rem, 100vw"
                            loading="lazy" decoding="async" width={width.to_string()}
                            height={height.to_string()} alt={file.caption.clone()} />
                        if !file.caption.is_empty() {
                            <figcaption>{ file.caption.clone() }</figcaption>
                        }
                    </figure>
                }
            }) }
            if !attachments.is_empty() {
                <section aria-labelledby="attachments-title">
                    <h2 id="attachments-title">{ t(Key::MediaAttachments) }</h2>
                    <ul class="attachments" data-testid="attachments">
                        { for attachments.iter().map(|file| {
                            let name = if file.caption.is_empty() { file.name.clone() } else { file.caption.clone() };
                            html! {
                                <li>
                                    <a href={file.url.clone()} download={file.name.clone()}>{ name }</a>
                                    <span class="muted">{ " (" }{ file.mime.rsplit('/').next().unwrap_or_default().to_uppercase() }
                                        { ", " }{ file_size(file.bytes, language) }{ ")" }</span>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
            { tag_links(&item.tags) }
        </article>
    }
}
