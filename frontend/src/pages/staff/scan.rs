//! Reading the ticket's QR code with the device camera, where the browser has a
//! `BarcodeDetector` (the Shape Detection API); elsewhere the button is not shown and the
//! reference is typed. The detector is reached through `js_sys::Reflect`, as web-sys offers it
//! only behind its unstable-API flag.

use crate::hooks::use_t;
use crate::i18n::Key;
use gloo_timers::callback::Interval;
use js_sys::{Array, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack};
use yew::prelude::*;

fn detector_class() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    Reflect::get(&window, &"BarcodeDetector".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// A `BarcodeDetector` for QR codes.
fn qr_detector() -> Option<JsValue> {
    let class = detector_class()?;
    let options = Object::new();
    let formats = Array::of1(&"qr_code".into());
    Reflect::set(&options, &"formats".into(), &formats).ok()?;
    Reflect::construct(&class, &Array::of1(&options)).ok()
}

/// The text of the first QR code in the video's current frame.
async fn detect(detector: &JsValue, video: &HtmlVideoElement) -> Option<String> {
    let detect: js_sys::Function = Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let found: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    Reflect::get(&found.get(0), &"rawValue".into())
        .ok()?
        .as_string()
}

async fn open_camera() -> Option<MediaStream> {
    let devices = web_sys::window()?.navigator().media_devices().ok()?;
    let constraints = MediaStreamConstraints::new();
    let video = Object::new();
    Reflect::set(&video, &"facingMode".into(), &"environment".into()).ok()?;
    constraints.set_video(&video);
    let promise = devices.get_user_media_with_constraints(&constraints).ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// What runs while the camera is open.
#[derive(Default)]
struct Scanning {
    stream: Option<MediaStream>,
    timer: Option<Interval>,
}

impl Scanning {
    fn end(&mut self) {
        self.timer = None;
        if let Some(stream) = self.stream.take() {
            stop(&stream);
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ScanButtonProps {
    /// The text of the QR code read.
    pub on_scanned: Callback<String>,
}

#[function_component(ScanButton)]
pub fn scan_button(props: &ScanButtonProps) -> Html {
    let t = use_t();
    let available = use_memo((), |_| detector_class().is_some());
    let open = use_state(|| false);
    let failed = use_state(|| false);
    let video = use_node_ref();
    let scanning = use_mut_ref(Scanning::default);
    {
        let scanning = scanning.clone();
        use_effect_with((), move |_| move || scanning.borrow_mut().end());
    }
    if !*available {
        return html! {};
    }
    let toggle = {
        let (open, failed, video, scanning) = (
            open.clone(),
            failed.clone(),
            video.clone(),
            scanning.clone(),
        );
        let on_scanned = props.on_scanned.clone();
        Callback::from(move |_: MouseEvent| {
            if *open {
                scanning.borrow_mut().end();
                open.set(false);
                return;
            }
            open.set(true);
            failed.set(false);
            let (open, failed, video, scanning, on_scanned) = (
                open.clone(),
                failed.clone(),
                video.clone(),
                scanning.clone(),
                on_scanned.clone(),
            );
            spawn_local(async move {
                let (Some(stream), Some(detector), Some(element)) = (
                    open_camera().await,
                    qr_detector(),
                    video.cast::<HtmlVideoElement>(),
                ) else {
                    failed.set(true);
                    open.set(false);
                    return;
                };
                element.set_src_object(Some(&stream));
                let _ = element.play();
                let busy = Rc::new(RefCell::new(false));
                let timer = {
                    let scanning = scanning.clone();
                    Interval::new(300, move || {
                        if *busy.borrow() {
                            return;
                        }
                        *busy.borrow_mut() = true;
                        let (busy, detector, element) =
                            (busy.clone(), detector.clone(), element.clone());
                        let (open, scanning, on_scanned) =
                            (open.clone(), scanning.clone(), on_scanned.clone());
                        spawn_local(async move {
                            if let Some(text) = detect(&detector, &element).await {
                                scanning.borrow_mut().end();
                                open.set(false);
                                on_scanned.emit(text);
                            }
                            *busy.borrow_mut() = false;
                        });
                    })
                };
                let mut scanning = scanning.borrow_mut();
                scanning.stream = Some(stream);
                scanning.timer = Some(timer);
            });
        })
    };
    html! {
        <>
            <button type="button" class="button secondary" data-testid="scan" onclick={toggle}>
                { if *open { t(Key::StaffScanStop) } else { t(Key::StaffScan) } }
            </button>
            <video ref={video} class={classes!("scan-video", (!*open).then_some("hidden"))}
                muted=true playsinline=true aria-hidden="true" />
            if *failed {
                <p class="field-error" role="alert">{ t(Key::StaffCameraFailed) }</p>
            }
        </>
    }
}
