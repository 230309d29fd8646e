//! Card payments through an acquirer that speaks the region's banks' REST protocol
//! (`register.do`, `getOrderStatusExtended.do`, `refund.do` and a callback signed with
//! HMAC-SHA256), plus the built-in sandbox acquirer that implements the same protocol for
//! development and tests (see [`sandbox`]).
//!
//! Calls to the acquirer block (with short timeouts); callers run them on the blocking pool and
//! never while holding a database transaction.

pub mod flow;
pub mod sandbox;

use hmac::{Hmac, Mac};
use nobat_domain::payment::{self, OrderOutcome};
use serde_json::Value;
use sha2::Sha256;
use std::collections::BTreeMap;
use std::time::Duration;

/// Where payments go; from the environment.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    /// The address citizens' browsers reach Nobat at (for the acquirer's return URLs). Unset:
    /// `http://` + the bound address.
    pub public_url: Option<String>,
    /// The acquirer's REST base, e.g. `https://mpi.bank.example.tm/payment/rest/`. Unset: the
    /// built-in sandbox acquirer.
    pub acquirer_url: Option<String>,
    pub acquirer_user: String,
    pub acquirer_password: String,
    /// The shared key the acquirer signs callbacks with.
    pub callback_key: String,
    /// Whether this instance serves the sandbox acquirer under `/sandbox-acquirer/`.
    pub sandbox: bool,
    /// Whether the sandbox sends callbacks (tests turn this off to exercise the reconciler).
    pub sandbox_callbacks: bool,
    /// How long one call to the acquirer may take.
    pub acquirer_timeout: Duration,
    /// How often open payments and pending refunds are checked with the acquirer.
    pub reconcile_every: Duration,
}

pub const SANDBOX_USER: &str = "nobat-sandbox";
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
pub const SANDBOX_CALLBACK_KEY: &str = "sandbox-callback-key";

impl PaymentSettings {
    /// Reads the `NOBAT_PUBLIC_URL`, `NOBAT_ACQUIRER_*` and `NOBAT_SANDBOX_*` variables, adding
    /// what is wrong to `problems`.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Self {
        let mut url = |name: &str| {
            var(name).and_then(|v| {
                let v = v.trim().trim_end_matches('/').to_owned();
                if v.starts_with("http://") || v.starts_with("https://") {
                    Some(v)
                } else {
                    problems.push(format!("{name}: {v:?} is not an http(s) URL"));
                    None
                }
            })
        };
        let public_url = url("NOBAT_PUBLIC_URL");
        let acquirer_url = url("NOBAT_ACQUIRER_URL").map(|u| format!("{u}/"));
        let flag = |name: &str, default: bool, problems: &mut Vec<String>| match var(name)
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None => default,
            Some("on" | "true" | "1" | "yes") => true,
            Some("off" | "false" | "0" | "no") => false,
            Some(other) => {
                problems.push(format!("{name}: {other:?} is neither on nor off"));
                default
            }
        };
        let sandbox = flag("NOBAT_SANDBOX_ACQUIRER", acquirer_url.is_none(), problems);
        let sandbox_callbacks = flag("NOBAT_SANDBOX_CALLBACKS", true, problems);
        if acquirer_url.is_none() && !sandbox {
            problems.push(
                "NOBAT_ACQUIRER_URL is not set and NOBAT_SANDBOX_ACQUIRER is off: no way to take payments"
                    .into(),
            );
        }
        let secret = |name: &str, sandbox_default: &str, problems: &mut Vec<String>| match (
            var(name),
            &acquirer_url,
        ) {
            (Some(v), _) => v,
            (None, None) => sandbox_default.to_owned(),
            (None, Some(_)) => {
                problems.push(format!("{name} is required with NOBAT_ACQUIRER_URL"));
                String::new()
            }
        };
        let acquirer_user = secret("NOBAT_ACQUIRER_USER", SANDBOX_USER, problems);
        let acquirer_password = secret("NOBAT_ACQUIRER_PASSWORD", SANDBOX_PASSWORD, problems);
        let callback_key = secret(
            "NOBAT_ACQUIRER_CALLBACK_KEY",
            SANDBOX_CALLBACK_KEY,
            problems,
        );
        let seconds =
            |name: &str, default: u64, max: u64, problems: &mut Vec<String>| match var(name)
                .map(|v| v.trim().parse::<u64>())
            {
                None => Duration::from_secs(default),
                Some(Ok(n)) if (1..=max).contains(&n) => Duration::from_secs(n),
                Some(_) => {
                    problems.push(format!(
                        "{name}: not a whole number of seconds from 1 to {max}"
                    ));
                    Duration::from_secs(default)
                }
            };
        let acquirer_timeout = seconds("NOBAT_ACQUIRER_TIMEOUT_SECS", 10, 60, problems);
        let reconcile_every = seconds("NOBAT_PAYMENT_RECONCILE_SECS", 30, 3600, problems);
        PaymentSettings {
            public_url,
            acquirer_url,
            acquirer_user,
            acquirer_password,
            callback_key,
            sandbox,
            sandbox_callbacks,
            acquirer_timeout,
            reconcile_every,
        }
    }
}

/// What went wrong talking to the acquirer.
#[derive(Debug, thiserror::Error)]
pub enum AcquirerError {
    #[error("the acquirer could not be reached: {0}")]
    Unreachable(String),
    #[error("the acquirer answered something unreadable: {0}")]
    Unreadable(String),
    #[error("the acquirer refused: errorCode {code}: {message}")]
    Refused { code: String, message: String },
}

/// A registered order: where the citizen pays.
#[derive(Debug, Clone)]
pub struct Registered {
    pub order_id: String,
    pub form_url: String,
}

/// The fields of a `getOrderStatusExtended.do` answer Nobat reads.
#[derive(Debug, Clone, Default)]
pub struct OrderStatus {
    pub error_code: String,
    pub order_status: Option<i64>,
    pub action_code: Option<i64>,
    pub amount: Option<i64>,
    pub masked_pan: Option<String>,
}

impl OrderStatus {
    pub fn outcome(&self) -> OrderOutcome {
        payment::order_outcome(&self.error_code, self.order_status)
    }
}

/// A client of one acquirer.
#[derive(Clone)]
pub struct Acquirer {
    agent: ureq::Agent,
    base: String,
    user: String,
    password: String,
    callback_key: String,
}

impl std::fmt::Debug for Acquirer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acquirer")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// An order to register.
pub struct NewOrder<'a> {
    pub order_number: &'a str,
    pub amount_minor: i64,
    pub return_url: &'a str,
    pub language: &'a str,
    pub description: &'a str,
    pub session_timeout_secs: i64,
}

impl Acquirer {
    /// `base` ends with `/` and is where `register.do` and friends live.
    pub fn new(
        base: String,
        user: String,
        password: String,
        callback_key: String,
        timeout: Duration,
    ) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(Duration::from_secs(3).min(timeout)))
            .http_status_as_error(false)
            .build()
            .into();
        Acquirer {
            agent,
            base,
            user,
            password,
            callback_key,
        }
    }

    fn call(&self, method: &str, params: &[(&str, &str)]) -> Result<Value, AcquirerError> {
        let mut form: Vec<(&str, &str)> =
            vec![("userName", &self.user), ("password", &self.password)];
        form.extend_from_slice(params);
        let mut response = self
            .agent
            .post(format!("{}{method}", self.base))
            .send_form(form)
            .map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
        if response.status().is_server_error() {
            return Err(AcquirerError::Unreachable(format!(
                "{method} answered HTTP {}",
                response.status()
            )));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024)
            .read_to_string()
            .map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
        serde_json::from_str(&body).map_err(|e| AcquirerError::Unreadable(format!("{method}: {e}")))
    }

    /// `register.do`: an order for `amount_minor` teňňe; the citizen pays at `form_url`.
    pub fn register(&self, order: &NewOrder<'_>) -> Result<Registered, AcquirerError> {
        let amount = order.amount_minor.to_string();
        let currency = payment::CURRENCY_TMT_NUMERIC.to_string();
        let timeout = order.session_timeout_secs.to_string();
        let answer = self.call(
            "register.do",
            &[
                ("orderNumber", order.order_number),
                ("amount", &amount),
                ("currency", &currency),
                ("returnUrl", order.return_url),
                ("failUrl", order.return_url),
                ("language", order.language),
                ("description", order.description),
                ("sessionTimeoutSecs", &timeout),
            ],
        )?;
        match (text(&answer, "orderId"), text(&answer, "formUrl")) {
            (Some(order_id), Some(form_url)) if !order_id.is_empty() => {
                Ok(Registered { order_id, form_url })
            }
            _ => Err(refusal(&answer)),
        }
    }

    /// `getOrderStatusExtended.do` for an order id.
    pub fn status(&self, order_id: &str) -> Result<OrderStatus, AcquirerError> {
        let answer = self.call("getOrderStatusExtended.do", &[("orderId", order_id)])?;
        Ok(OrderStatus {
            error_code: text(&answer, "errorCode").unwrap_or_else(|| "0".into()),
            order_status: number(&answer, "orderStatus"),
            action_code: number(&answer, "actionCode"),
            amount: number(&answer, "amount"),
            masked_pan: answer
                .get("cardAuthInfo")
                .and_then(|c| text(c, "maskedPan"))
                .or_else(|| text(&answer, "Pan")),
        })
    }

    /// `refund.do` of `amount_minor` on a deposited order.
    pub fn refund(&self, order_id: &str, amount_minor: i64) -> Result<(), AcquirerError> {
        let amount = amount_minor.to_string();
        let answer = self.call("refund.do", &[("orderId", order_id), ("amount", &amount)])?;
        match text(&answer, "errorCode").as_deref() {
            None | Some("0") => Ok(()),
            _ => Err(refusal(&answer)),
        }
    }

    /// Whether a callback's `checksum` is the HMAC-SHA256 of its other parameters.
    pub fn verify_callback(&self, params: &BTreeMap<String, String>) -> bool {
        let Some(given) = params.get("checksum") else {
            return false;
        };
        let expected = sign(&self.callback_key, params);
        constant_time_eq(expected.as_bytes(), given.to_ascii_uppercase().as_bytes())
    }
}

/// The uppercase hex HMAC-SHA256 of a callback's parameters under `key`.
pub fn sign(key: &str, params: &BTreeMap<String, String>) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(payment::callback_signing_string(params).as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn refusal(answer: &Value) -> AcquirerError {
    AcquirerError::Refused {
        code: text(answer, "errorCode").unwrap_or_else(|| "?".into()),
        message: text(answer, "errorMessage").unwrap_or_default(),
    }
}

/// Payments as the running server sees them: the acquirer and the URLs it sends citizens to.
#[derive(Debug, Clone)]
pub struct Payments {
    pub acquirer: Acquirer,
    /// Where browsers reach Nobat, without a trailing slash.
    pub public_url: String,
    /// The sandbox's own settings when this instance serves it.
    pub sandbox: Option<sandbox::SandboxConfig>,
    pub reconcile_every: Duration,
}

impl Payments {
    /// Builds the payment setup for a server bound at `local` (its real port known).
    pub fn new(settings: &PaymentSettings, local: std::net::SocketAddr) -> Self {
        let loopback = if local.ip().is_unspecified() {
            std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        } else {
            local
        };
        let internal = format!("http://{loopback}");
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| internal.clone());
        let base = settings
            .acquirer_url
            .clone()
            .unwrap_or_else(|| format!("{internal}{}/payment/rest/", sandbox::PREFIX));
        let acquirer = Acquirer::new(
            base,
            settings.acquirer_user.clone(),
            settings.acquirer_password.clone(),
            settings.callback_key.clone(),
            settings.acquirer_timeout,
        );
        let sandbox = settings.sandbox.then(|| sandbox::SandboxConfig {
            user: settings.acquirer_user.clone(),
            password: settings.acquirer_password.clone(),
            callback_key: settings.callback_key.clone(),
            callback_url: settings
                .sandbox_callbacks
                .then(|| format!("{internal}/api/v1/payments/callback")),
            public_url: public_url.clone(),
            timeout: settings.acquirer_timeout,
        });
        Payments {
            acquirer,
            public_url,
            sandbox,
            reconcile_every: settings.reconcile_every,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> (PaymentSettings, Vec<String>) {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut problems = Vec::new();
        let s = PaymentSettings::from_lookup(&|n: &str| map.get(n).cloned(), &mut problems);
        (s, problems)
    }

    #[test]
    fn the_sandbox_is_the_default_and_a_bank_needs_its_secrets() {
        let (s, problems) = read(&[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(s.sandbox && s.acquirer_url.is_none());
        let (s, problems) = read(&[("NOBAT_ACQUIRER_URL", "https://bank.example.tm/payment/rest")]);
        assert!(!s.sandbox);
        assert_eq!(
            s.acquirer_url.as_deref(),
            Some("https://bank.example.tm/payment/rest/")
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        let (_, problems) = read(&[("NOBAT_SANDBOX_ACQUIRER", "off")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (_, problems) = read(&[("NOBAT_PUBLIC_URL", "nobat.gov.tm")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn callbacks_are_verified_by_their_hmac() {
        let acquirer = Acquirer::new(
            "http://127.0.0.1:9/".into(),
            "u".into(),
            "p".into(),
            "key".into(),
            Duration::from_secs(1),
        );
        let mut params: BTreeMap<String, String> = [
            ("mdOrder", "abc"),
            ("orderNumber", "AG7-K3Q-9XF-1"),
            ("operation", "deposited"),
            ("status", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert!(!acquirer.verify_callback(&params), "no checksum");
        params.insert("checksum".into(), sign("key", &params).to_ascii_lowercase());
        assert!(acquirer.verify_callback(&params));
        params.insert("status".into(), "0".into());
        assert!(!acquirer.verify_callback(&params), "tampered");
        params.insert("status".into(), "1".into());
        params.insert("checksum".into(), sign("other", &params));
        assert!(!acquirer.verify_callback(&params), "wrong key");
    }
}
