//! The site footer: who runs the service and the API documentation link.

use crate::hooks::use_t;
use crate::i18n::Key;
use yew::prelude::*;

#[function_component(Footer)]
pub fn footer() -> Html {
    let t = use_t();
    html! {
        <footer class="site-footer">
            <span>{ t(Key::FooterOwner) }</span>
            <a href="/swagger-ui/">{ t(Key::FooterApi) }</a>
        </footer>
    }
}
