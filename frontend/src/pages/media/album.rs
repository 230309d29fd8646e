//! A photo album: its pictures as a grid of thumbnails, each opening a lightbox — a modal dialog
//! that moves with ← and →, with a swipe on a touch screen, and closes with Esc. While it is
//! open, Tab stays inside it; when it closes, focus goes back to the thumbnail that opened it.

use super::{item_head, tag_links, use_page_title};
use crate::api::media::{MediaFile, MediaItem};
use crate::hooks::{document, use_language, use_t};
use crate::i18n::{fill, Key};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id of thumbnail `index`, where focus returns.
fn thumb_id(index: usize) -> String {
    format!("photo-thumb-{index}")
}

fn focus_by_id(id: &str) {
    if let Some(element) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Where a step of `by` from `index` lands among `count`, going round at the ends.
pub fn step(index: usize, by: isize, count: usize) -> usize {
    if count == 0 {
        return 0;
    }
    (index as isize + by).rem_euclid(count as isize) as usize
}

/// The step a horizontal swipe asks for: left → next, right → previous, too short → none.
pub fn swipe_step(dx: f64, dy: f64) -> isize {
    if dx.abs() < 40.0 || dx.abs() < dy.abs() {
        0
    } else if dx < 0.0 {
        1
    } else {
        -1
    }
}

#[derive(Properties, PartialEq)]
pub struct AlbumProps {
    pub item: MediaItem,
}

#[function_component(Album)]
pub fn album(props: &AlbumProps) -> Html {
    let t = use_t();
    let language = use_language();
    let item = &props.item;
    use_page_title(item.title.clone());
    let photos: Vec<MediaFile> = item
        .files
        .iter()
        .filter(|f| f.is_image())
        .cloned()
        .collect();
    // The photo shown, and the thumbnail that opened the lightbox.
    let open = use_state(|| None::<(usize, usize)>);
    let count = photos.len();
    let on_move = {
        let open = open.clone();
        Callback::from(move |by: isize| {
            if let Some((index, opener)) = *open {
                open.set(Some((step(index, by, count), opener)));
            }
        })
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |()| {
            if let Some((_, opener)) = *open {
                open.set(None);
                focus_by_id(&thumb_id(opener));
            }
        })
    };
    let of = count.to_string();
    html! {
        <article class="media-item album">
            { item_head(item, &t, language) }
            if !item.body_html.trim().is_empty() {
                <div class="prose">{ Html::from_html_unchecked(AttrValue::from(item.body_html.clone())) }</div>
            }
            if photos.is_empty() {
                <p class="card" role="status">{ t(Key::MediaEmptyAlbum) }</p>
            }
            <ul class="album-grid" data-testid="album">
                { for photos.iter().enumerate().map(|(index, photo)| {
                    let (src, width, height) = photo.at_least(320);
                    let open = open.clone();
                    let label = fill(t(Key::MediaOpenPhoto), &[("n", &(index + 1).to_string()), ("of", &of)]);
                    html! {
                        <li>
                            <button type="button" class="album-thumb" id={thumb_id(index)}
                                aria-label={label} data-index={index.to_string()}
                                onclick={move |_| open.set(Some((index, index)))}>
                                <img {src} srcset={photo.srcset()} sizes="(min-width: 40rem) 15rem, 50vw"
                                    loading="lazy" decoding="async" width={width.to_string()}
                                    height={height.to_string()} alt={photo.caption.clone()} />
                            </button>
                            if !photo.caption.is_empty() {
                                <p class="album-caption">{ photo.caption.clone() }</p>
                            }
                        </li>
                    }
                }) }
            </ul>
            { tag_links(&item.tags) }
            if let Some((index, _)) = *open {
                if let Some(photo) = photos.get(index) {
                    <Lightbox photo={photo.clone()} {index} {count} title={item.title.clone()}
                        on_move={on_move} on_close={on_close} />
                }
            }
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct LightboxProps {
    pub photo: MediaFile,
    pub index: usize,
    pub count: usize,
    pub title: String,
    /// -1 for the previous photo, 1 for the next.
    pub on_move: Callback<isize>,
    pub on_close: Callback<()>,
}

#[function_component(Lightbox)]
pub fn lightbox(props: &LightboxProps) -> Html {
    let t = use_t();
    let dialog = use_node_ref();
    let close_button = use_node_ref();
    let touch_start = use_mut_ref(|| None::<(f64, f64)>);
    // Opening: focus into the dialog and keep the page under it still; closing: undo both.
    {
        let close_button = close_button.clone();
        use_effect_with((), move |()| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            let body = document().and_then(|d| d.body());
            if let Some(body) = &body {
                let _ = body.set_attribute("data-lightbox", "open");
            }
            move || {
                if let Some(body) = body {
                    let _ = body.remove_attribute("data-lightbox");
                }
            }
        });
    }
    let onkeydown = {
        let (on_move, on_close, dialog) = (
            props.on_move.clone(),
            props.on_close.clone(),
            dialog.clone(),
        );
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "ArrowLeft" => {
                event.prevent_default();
                on_move.emit(-1);
            }
            "ArrowRight" => {
                event.prevent_default();
                on_move.emit(1);
            }
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            "Tab" => trap_tab(&dialog, &event),
            _ => {}
        })
    };
    let ontouchstart = {
        let touch_start = touch_start.clone();
        Callback::from(move |event: TouchEvent| {
            *touch_start.borrow_mut() = event
                .touches()
                .get(0)
                .map(|touch| (f64::from(touch.client_x()), f64::from(touch.client_y())));
        })
    };
    let ontouchend = {
        let on_move = props.on_move.clone();
        Callback::from(move |event: TouchEvent| {
            let start = touch_start.borrow_mut().take();
            let end = event.changed_touches().get(0);
            if let (Some((x, y)), Some(end)) = (start, end) {
                let by = swipe_step(f64::from(end.client_x()) - x, f64::from(end.client_y()) - y);
                if by != 0 {
                    on_move.emit(by);
                }
            }
        })
    };
    let step_by = |by: isize| {
        let on_move = props.on_move.clone();
        Callback::from(move |_: MouseEvent| on_move.emit(by))
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let photo = &props.photo;
    let (src, width, height) = photo.at_least(1280);
    let counter = fill(
        t(Key::MediaCounter),
        &[
            ("n", &(props.index + 1).to_string()),
            ("of", &props.count.to_string()),
        ],
    );
    html! {
        <div class="lightbox" role="dialog" aria-modal="true" aria-label={props.title.clone()}
            aria-describedby="lightbox-hint" ref={dialog} {onkeydown} {ontouchstart} {ontouchend}
            data-testid="lightbox" data-index={props.index.to_string()}>
            <p id="lightbox-hint" class="visually-hidden">{ t(Key::MediaLightboxHint) }</p>
            <div class="lightbox-bar">
                <span class="lightbox-counter" aria-live="polite" data-testid="lightbox-counter">{ counter }</span>
                <button type="button" class="lightbox-close" ref={close_button} onclick={close}
                    aria-label={t(Key::MediaClose)} data-testid="lightbox-close">{ "✕" }</button>
            </div>
            <figure class="lightbox-figure">
                <img {src} srcset={photo.srcset()} sizes="100vw" width={width.to_string()}
                    height={height.to_string()} alt={photo.caption.clone()} data-testid="lightbox-image" />
                if !photo.caption.is_empty() {
                    <figcaption>{ photo.caption.clone() }</figcaption>
                }
            </figure>
            if props.count > 1 {
                <button type="button" class="lightbox-step prev" onclick={step_by(-1)}
                    aria-label={t(Key::MediaPrevPhoto)}>{ "‹" }</button>
                <button type="button" class="lightbox-step next" onclick={step_by(1)}
                    aria-label={t(Key::MediaNextPhoto)}>{ "›" }</button>
            }
        </div>
    }
}

/// Keeps Tab inside the dialog: from its last button to its first, and back with Shift.
fn trap_tab(dialog: &NodeRef, event: &KeyboardEvent) {
    let Some(dialog) = dialog.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(list) = dialog.query_selector_all("button:not([disabled]), a[href]") else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        event.prevent_default();
        return;
    };
    let active = document().and_then(|d| d.active_element());
    let is = |element: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == element.unchecked_ref::<web_sys::Element>())
    };
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    if event.shift_key() && (is(first) || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (is(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_go_round_the_album() {
        assert_eq!(step(0, 1, 3), 1);
        assert_eq!(step(2, 1, 3), 0);
        assert_eq!(step(0, -1, 3), 2);
        assert_eq!(step(0, 1, 0), 0);
    }

    #[test]
    fn swipes_left_go_forward() {
        assert_eq!(swipe_step(-120.0, 10.0), 1);
        assert_eq!(swipe_step(90.0, -5.0), -1);
        assert_eq!(swipe_step(20.0, 0.0), 0);
        assert_eq!(swipe_step(60.0, 200.0), 0);
    }
}
