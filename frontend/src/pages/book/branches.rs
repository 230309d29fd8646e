//! Step 1b: the office, from a list of the region's offices that the citizen can search.

use super::state::{BookQuery, Choice};
use crate::app::Route;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use nobat_domain::catalog::{Branch, Service};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BranchListProps {
    /// The offices that match the search.
    pub branches: Vec<Branch>,
    /// All offices of the region, before the search.
    pub total: usize,
    /// Every service, to name what each office offers (empty until loaded).
    pub services: Rc<Vec<Service>>,
    pub filter: AttrValue,
    pub on_filter: Callback<String>,
    /// The address named an office that is not in the list.
    pub missing: bool,
}

#[function_component(BranchList)]
pub fn branch_list(props: &BranchListProps) -> Html {
    let t = use_t();
    let language = use_language();
    let oninput = {
        let on_filter = props.on_filter.clone();
        Callback::from(move |e: InputEvent| {
            on_filter.emit(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let cards = props.branches.iter().map(|branch| {
        let name = branch.name.get(language).to_owned();
        let heading = format!("branch-{}", branch.code);
        let offers = branch.services.iter().map(|code| {
            let label = props
                .services
                .iter()
                .find(|s| &s.code == code)
                .map_or_else(|| code.to_string(), |s| s.name.get(language).to_owned());
            html! { <li>{ label }</li> }
        });
        let dial: String = branch
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        html! {
            <li>
                <article class="card branch" data-code={branch.code.to_string()} aria-labelledby={heading.clone()}>
                    <h3 id={heading}>{ name.clone() }</h3>
                    <dl class="facts">
                        <dt>{ t(Key::BookAddress) }</dt>
                        <dd>{ branch.address.get(language).to_owned() }</dd>
                        <dt>{ t(Key::BookPhone) }</dt>
                        <dd><a href={format!("tel:{dial}")}>{ branch.phone.clone() }</a></dd>
                        <dt>{ t(Key::BookOffers) }</dt>
                        <dd><ul class="tags">{ for offers }</ul></dd>
                    </dl>
                    <Link<Route, BookQuery> to={Route::Book}
                        query={Some(Choice::at_branch(branch).to_query())}
                        classes="button choose">
                        { t(Key::BookChooseBranch) }
                        <span class="visually-hidden">{ ": " }{ name }</span>
                    </Link<Route, BookQuery>>
                </article>
            </li>
        }
    });
    let count = props.branches.len().to_string();
    html! {
        <section aria-labelledby="branch-title" data-testid="branches">
            <h2 id="branch-title" tabindex="-1">{ t(Key::BookBranchTitle) }</h2>
            if props.missing {
                <p class="notice" role="alert">{ t(Key::BookBranchMissing) }</p>
            }
            if props.total == 0 {
                <p class="card">{ t(Key::BookNoBranches) }</p>
            } else {
                <div class="search">
                    <label for="branch-search">{ t(Key::BookSearch) }</label>
                    <input id="branch-search" type="search" autocomplete="off"
                        value={props.filter.clone()} {oninput} />
                </div>
                <p class="muted" role="status" aria-live="polite">
                    { fill(t(Key::BookFound), &[("n", &count)]) }
                </p>
                if props.branches.is_empty() {
                    <p class="card">{ t(Key::BookNoMatch) }</p>
                }
                <ul class="cards">{ for cards }</ul>
            }
        </section>
    }
}
