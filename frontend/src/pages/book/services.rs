//! Step 2: the service, with everything a citizen must know before choosing it: the fee, who
//! pays none, how long it takes and what to bring.

use super::state::{BookQuery, Choice};
use crate::app::Route;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use nobat_domain::catalog::{Exemption, Service};
use nobat_domain::Money;
use yew::prelude::*;
use yew_router::prelude::*;

/// The fee as a citizen reads it: "60,00 TMT", or "free" when there is none.
pub fn fee_text(fee: Money, free: &str) -> String {
    if fee.amount_minor == 0 {
        free.to_owned()
    } else {
        fee.display()
    }
}

pub fn exemption_key(exemption: Exemption) -> Key {
    match exemption {
        Exemption::ChildUnder16 => Key::ExemptionChildUnder16,
        Exemption::Veteran => Key::ExemptionVeteran,
        Exemption::Disabled => Key::ExemptionDisabled,
    }
}

#[derive(Properties, PartialEq)]
pub struct ServiceListProps {
    /// The services the chosen office offers.
    pub services: Vec<Service>,
    pub choice: Choice,
    /// The address named a service this office does not offer.
    pub missing: bool,
}

#[function_component(ServiceList)]
pub fn service_list(props: &ServiceListProps) -> Html {
    let t = use_t();
    let language = use_language();
    let cards = props.services.iter().map(|service| {
        let name = service.name.get(language).to_owned();
        let heading = format!("service-{}", service.code);
        let minutes = service.duration_minutes.to_string();
        let documents = service.documents.get(language);
        let description = service.description.get(language).to_owned();
        html! {
            <li>
                <article class="card service" data-service={service.code.to_string()} aria-labelledby={heading.clone()}>
                    <h3 id={heading}>{ name.clone() }</h3>
                    if !description.trim().is_empty() {
                        <p>{ description }</p>
                    }
                    <dl class="facts">
                        <dt>{ t(Key::BookFee) }</dt>
                        <dd class="fee">{ fee_text(service.fee, t(Key::BookFree)) }</dd>
                        <dt>{ t(Key::BookDuration) }</dt>
                        <dd>{ fill(t(Key::BookMinutes), &[("n", &minutes)]) }</dd>
                    </dl>
                    if !service.exemptions.is_empty() {
                        <h4>{ t(Key::BookExemptions) }</h4>
                        <ul class="exemptions">
                            { for service.exemptions.iter().map(|&e| html! { <li>{ t(exemption_key(e)) }</li> }) }
                        </ul>
                    }
                    if !documents.is_empty() {
                        <h4>{ t(Key::BookDocuments) }</h4>
                        <ul class="documents">
                            { for documents.iter().map(|d| html! { <li>{ d.clone() }</li> }) }
                        </ul>
                    }
                    <Link<Route, BookQuery> to={Route::Book}
                        query={Some(props.choice.with_service(&service.code).to_query())}
                        classes="button choose">
                        { t(Key::BookChooseService) }
                        <span class="visually-hidden">{ ": " }{ name }</span>
                    </Link<Route, BookQuery>>
                </article>
            </li>
        }
    });
    html! {
        <section aria-labelledby="service-title" data-testid="services">
            <h2 id="service-title" tabindex="-1">{ t(Key::BookServiceTitle) }</h2>
            if props.missing {
                <p class="notice" role="alert">{ t(Key::BookServiceMissing) }</p>
            }
            if props.services.is_empty() {
                <p class="card">{ t(Key::BookNoServices) }</p>
            }
            <ul class="cards">{ for cards }</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_fee_reads_as_free() {
        assert_eq!(fee_text(Money::tmt(6000), "Mugt"), "60,00 TMT");
        assert_eq!(fee_text(Money::ZERO, "Mugt"), "Mugt");
    }
}
