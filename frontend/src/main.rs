//! Nobat's single-page app: the citizen's site and the staff console, in Turkmen, Russian and
//! English, talking to the same REST API as integrators.

mod api;
mod app;
mod components;
mod hooks;
mod i18n;
mod pages;
mod state;

fn main() {
    app::hash_route_to_path();
    yew::Renderer::<app::App>::new().render();
}
