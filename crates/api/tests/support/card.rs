//! The built-in sandbox acquirer's pages, driven as a browser would: the pay link, the card
//! form, the one-time code and the return to Nobat.

pub const GOOD_CARD: &str = "4111 1111 1111 1111";

pub fn no_redirects() -> awc::Client {
    awc::Client::builder()
        .disable_redirects()
        .timeout(std::time::Duration::from_secs(20))
        .finish()
}

pub fn location(response: &awc::ClientResponse<impl futures_util::Stream + Unpin>) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location in a {} answer", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Follows a pay link to the card page; the card page's URL.
pub async fn open_card_page(pay_url: &str) -> String {
    let response = no_redirects().get(pay_url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let form = location(&response);
    assert!(form.contains("/sandbox-acquirer/pay/"), "{form}");
    form
}

/// Types a card and then each code on the sandbox's pages; where the acquirer sends the
/// browser back to (Nobat's return URL), or None when a page asks again.
pub async fn pay_on_card_page(form_url: &str, card: &str, codes: &[&str]) -> Option<String> {
    let client = no_redirects();
    let response = client
        .post(form_url)
        .send_form(&[
            ("pan", card),
            ("expiry", "12/30"),
            ("cvc", "123"),
            ("holder", "Merdan Amanow"),
        ])
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let next = location(&response);
    if next.contains("/payments/") {
        return Some(next);
    }
    for code in codes {
        let response = client
            .post(format!("{form_url}/code"))
            .send_form(&[("code", *code)])
            .await
            .unwrap();
        if response.status().as_u16() == 303 {
            return Some(location(&response));
        }
        assert_eq!(response.status().as_u16(), 422, "a wrong code asks again");
    }
    None
}

/// Comes back from the card page; the SPA page Nobat sends the browser to.
pub async fn come_back(return_url: &str) -> String {
    let response = no_redirects().get(return_url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    location(&response)
}
