//! The photo step: the citizen picks a JPEG or PNG; the browser reads its size in pixels, checks
//! it with the domain's own photo rules, and when it is not 3:4 (or too heavy) crops the middle
//! to 3:4 on a canvas (which also writes the pixels upright); then it goes to the server as the
//! multipart field `photo`. The preview is the file itself, or the stored photo fetched with the
//! token.

use crate::api::applications::{self, ApplicationView, PhotoMeta};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use nobat_domain::passport::{
    check_photo, three_by_four_crop, ImageFormat, MAX_PHOTO_BYTES, MIN_PHOTO_HEIGHT,
    MIN_PHOTO_WIDTH,
};
use nobat_domain::Language;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement, Url};
use yew::prelude::*;

/// A photo ready to send.
struct Prepared {
    blob: Blob,
    name: String,
    cropped: bool,
}

fn format_of(media_type: &str) -> ImageFormat {
    match media_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        _ => ImageFormat::Other,
    }
}

/// The middle 3:4 of `image` as a JPEG.
fn crop(image: &HtmlImageElement, width: u32, height: u32) -> Option<Blob> {
    let (w, h) = three_by_four_crop(width, height);
    let document = crate::hooks::document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w);
    canvas.set_height(h);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let (sx, sy) = (f64::from(width - w) / 2.0, f64::from(height - h) / 2.0);
    let (w, h) = (f64::from(w), f64::from(h));
    context
        .draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            image, sx, sy, w, h, 0.0, 0.0, w, h,
        )
        .ok()?;
    let data_url = canvas
        .to_data_url_with_type_and_encoder_options(
            "image/jpeg",
            &wasm_bindgen::JsValue::from_f64(0.92),
        )
        .ok()?;
    let (_, base64) = data_url.split_once(',')?;
    let binary = web_sys::window()?.atob(base64).ok()?;
    let bytes: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// Reads, checks and if need be crops the chosen file; what is wrong with it otherwise.
async fn prepare(file: web_sys::File, language: Language) -> Result<Prepared, Vec<String>> {
    let format = format_of(&file.type_());
    let unreadable = || vec![nobat_domain::passport::PhotoProblem::Unreadable.message(language)];
    let not_image = || vec![nobat_domain::passport::PhotoProblem::NotJpegOrPng.message(language)];
    if format == ImageFormat::Other {
        return Err(not_image());
    }
    let url = Url::create_object_url_with_blob(&file).map_err(|_| unreadable())?;
    let image = HtmlImageElement::new().map_err(|_| unreadable())?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(|_| unreadable())?;
    let (width, height) = (image.natural_width(), image.natural_height());
    let size = file.size() as u64;
    let fits = check_photo(format, size, width, height).is_ok();
    if fits {
        return Ok(Prepared {
            blob: file.clone().into(),
            name: file.name(),
            cropped: false,
        });
    }
    // Only the shape or the weight is wrong: the middle 3:4, as a JPEG, may do.
    let (w, h) = three_by_four_crop(width, height);
    if w < MIN_PHOTO_WIDTH || h < MIN_PHOTO_HEIGHT {
        let problems = check_photo(format, size.min(MAX_PHOTO_BYTES), w, h)
            .err()
            .unwrap_or_default();
        return Err(problems.iter().map(|p| p.message(language)).collect());
    }
    let blob = crop(&image, width, height).ok_or_else(unreadable)?;
    if blob.size() as u64 > MAX_PHOTO_BYTES {
        let problems = check_photo(ImageFormat::Jpeg, blob.size() as u64, w, h)
            .err()
            .unwrap_or_default();
        return Err(problems.iter().map(|p| p.message(language)).collect());
    }
    Ok(Prepared {
        blob,
        name: "photo.jpg".into(),
        cropped: true,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Upload {
    Idle,
    Checking,
    Sending,
    /// The file cannot be used, and why.
    Refused(Vec<String>),
    Failed(ApiError),
    Done {
        cropped: bool,
    },
}

#[derive(Properties, PartialEq)]
pub struct PhotoProps {
    pub number: String,
    pub token: String,
    pub photo: Option<PhotoMeta>,
    pub on_uploaded: Callback<ApplicationView>,
}

#[function_component(PhotoStep)]
pub fn photo_step(props: &PhotoProps) -> Html {
    let t = use_t();
    let language = use_language();
    let upload = use_state(|| Upload::Idle);
    // The picture shown: a Blob URL of the chosen file or of the stored photo.
    let preview = use_state(|| None::<String>);
    {
        // The stored photo, when there is one and nothing newer was chosen.
        let preview = preview.clone();
        let has_photo = props.photo.is_some();
        use_effect_with(
            (props.number.clone(), props.token.clone(), has_photo),
            move |(number, token, has_photo)| {
                if *has_photo && preview.is_none() {
                    let (number, token) = (number.clone(), token.clone());
                    spawn_local(async move {
                        if let Ok(url) = applications::photo_url(&number, &token, language).await {
                            preview.set(Some(url));
                        }
                    });
                }
            },
        );
    }
    let onchange = {
        let (upload, preview, number, token, on_uploaded) = (
            upload.clone(),
            preview.clone(),
            props.number.clone(),
            props.token.clone(),
            props.on_uploaded.clone(),
        );
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let (upload, preview, number, token, on_uploaded) = (
                upload.clone(),
                preview.clone(),
                number.clone(),
                token.clone(),
                on_uploaded.clone(),
            );
            upload.set(Upload::Checking);
            spawn_local(async move {
                let prepared = match prepare(file, language).await {
                    Ok(prepared) => prepared,
                    Err(problems) => return upload.set(Upload::Refused(problems)),
                };
                upload.set(Upload::Sending);
                let result = applications::upload_photo(
                    &number,
                    &token,
                    &prepared.blob,
                    &prepared.name,
                    language,
                )
                .await;
                match result {
                    Ok(view) => {
                        if let Ok(url) = Url::create_object_url_with_blob(&prepared.blob) {
                            if let Some(old) = (*preview).clone() {
                                let _ = Url::revoke_object_url(&old);
                            }
                            preview.set(Some(url));
                        }
                        upload.set(Upload::Done {
                            cropped: prepared.cropped,
                        });
                        on_uploaded.emit(view);
                    }
                    Err(ApiError::Problem(problem)) if problem.errors.contains_key("photo") => {
                        let message = problem.errors.get("photo").cloned().unwrap_or_default();
                        upload.set(Upload::Refused(vec![message]));
                    }
                    Err(error) if error.status() == Some(413) => {
                        let too_big = nobat_domain::passport::PhotoProblem::TooLarge {
                            bytes: prepared.blob.size() as u64,
                            max: MAX_PHOTO_BYTES,
                        };
                        upload.set(Upload::Refused(vec![too_big.message(language)]));
                    }
                    Err(error) => upload.set(Upload::Failed(error)),
                }
            });
        })
    };
    let state = match &*upload {
        Upload::Idle => html! {},
        Upload::Checking | Upload::Sending => html! { <Loading /> },
        Upload::Refused(problems) => html! {
            <div class="card error" role="alert" data-testid="photo-refused">
                <ul>{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            </div>
        },
        Upload::Failed(error) => html! { <ErrorNotice error={error.clone()} /> },
        Upload::Done { cropped } => html! {
            <p class="card outcome" data-tone="ok" role="status" data-testid="photo-uploaded">
                { t(Key::ApplyPhotoUploaded) }
                if *cropped { { " " }{ t(Key::ApplyPhotoCropped) } }
            </p>
        },
    };
    let meta = props.photo.as_ref().map(|p| {
        html! {
            <p class="muted" data-testid="photo-meta">
                { format!("{}×{} {}", p.width, p.height, p.format.to_uppercase()) }
            </p>
        }
    });
    let rules = fill(
        t(Key::ApplyPhotoRules),
        &[
            ("w", &MIN_PHOTO_WIDTH.to_string()),
            ("h", &MIN_PHOTO_HEIGHT.to_string()),
            ("mb", &(MAX_PHOTO_BYTES / 1024 / 1024).to_string()),
        ],
    );
    html! {
        <div class="photo-step" data-has-photo={props.photo.is_some().to_string()}>
            <p class="hint">{ rules }</p>
            <div class="photo-box">
                <div class="photo-frame">
                    if let Some(src) = &*preview {
                        <img src={src.clone()} alt={t(Key::ApplyPhotoAlt)} data-testid="photo-preview" />
                    } else {
                        <span class="muted">{ "3 × 4" }</span>
                    }
                </div>
                <div class="field">
                    <label for="photo-file">{ if props.photo.is_some() { t(Key::ApplyPhotoReplace) } else { t(Key::ApplyPhotoChoose) } }</label>
                    <input id="photo-file" type="file" accept="image/jpeg,image/png" {onchange}
                        disabled={matches!(*upload, Upload::Checking | Upload::Sending)} />
                    { for meta }
                </div>
            </div>
            { state }
        </div>
    }
}
