//! Step 1a: the region of the citizen's registered address, which decides the office.

use super::state::{BookQuery, Choice};
use crate::app::Route;
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use nobat_domain::Region;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(RegionPicker)]
pub fn region_picker() -> Html {
    let t = use_t();
    let language = use_language();
    let regions = Region::ALL.iter().map(|&region| {
        let query = Choice::in_region(region).to_query();
        html! {
            <li data-region={region.code()}>
                <Link<Route, BookQuery> to={Route::Book} query={Some(query)} classes="choice">
                    { region.name().get(language).to_owned() }
                </Link<Route, BookQuery>>
            </li>
        }
    });
    html! {
        <section aria-labelledby="region-title" data-testid="regions">
            <h2 id="region-title" tabindex="-1">{ t(Key::BookRegionTitle) }</h2>
            <p class="hint">{ t(Key::BookRegionHint) }</p>
            <ul class="choices">{ for regions }</ul>
        </section>
    }
}
