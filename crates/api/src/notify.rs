//! Delivering the outbox: the sinks that carry SMS and email (the log in development, SMTP for
//! email), the worker that claims due messages, renders them in the booking's language and
//! records the outcome with retries, and the job that queues reminders the day before a visit.
//!
//! Phone numbers and email addresses are personal data: logs show them masked, never in full,
//! and never a message's body.

use crate::config::redact_url;
use crate::db::applications::APPLICATION_STATUS;
use crate::db::{outbox, PgPool};
use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::QueryResult;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{SmtpTransport, Transport};
use nobat_domain::application_docs::status_message;
use nobat_domain::notification::{render, Channel, Message, SMS_MAX_CHARS};
use nobat_domain::passport::ApplicationStatus;
use nobat_domain::{Language, Money};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Messages claimed per round.
pub const BATCH: i64 = 50;
/// How often the worker looks for due messages.
const POLL_EVERY: Duration = Duration::from_secs(2);
/// How often the reminder job runs.
const REMIND_EVERY: Duration = Duration::from_secs(300);
/// One SMTP conversation at most.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where SMS go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmsSink {
    /// Written to the log (masked), not sent: no SMS gateway is connected yet.
    #[default]
    Log,
}

/// How messages leave Nobat; from the environment.
#[derive(Clone, PartialEq, Eq)]
pub struct NotifySettings {
    /// `smtp://host:port` or `smtps://user:password@host:465`; none sends email to the log.
    pub smtp_url: Option<String>,
    /// The `From` of every email.
    pub mail_from: String,
    pub sms_sink: SmsSink,
}

impl fmt::Debug for NotifySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifySettings")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("sms_sink", &self.sms_sink)
            .finish()
    }
}

pub const DEFAULT_MAIL_FROM: &str = "Nobat <no-reply@nobat.invalid>";

impl NotifySettings {
    /// Reads `NOBAT_SMTP_URL`, `NOBAT_MAIL_FROM` and `NOBAT_SMS_SINK` through `var`, adding
    /// what is wrong to `problems`.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Self {
        let smtp_url = var("NOBAT_SMTP_URL").map(|u| u.trim().to_owned());
        if let Some(url) = &smtp_url {
            if let Err(e) = SmtpTransport::from_url(url) {
                problems.push(format!(
                    "NOBAT_SMTP_URL: {:?} is not an SMTP URL like smtps://user:password@mail.example.tm:465 or smtp://127.0.0.1:2525 ({e})",
                    redact_url(url)
                ));
            }
        }
        let mail_from = var("NOBAT_MAIL_FROM")
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if mail_from.parse::<Mailbox>().is_err() {
            problems.push(format!(
                "NOBAT_MAIL_FROM: {mail_from:?} is not an address like {DEFAULT_MAIL_FROM}"
            ));
        }
        let sms_sink = match var("NOBAT_SMS_SINK").map(|v| v.trim().to_ascii_lowercase()) {
            None => SmsSink::Log,
            Some(v) if v == "log" => SmsSink::Log,
            Some(v) => {
                problems.push(format!(
                    "NOBAT_SMS_SINK: {v:?} is not supported; only log exists for now"
                ));
                SmsSink::Log
            }
        };
        NotifySettings {
            smtp_url,
            mail_from,
            sms_sink,
        }
    }
}

/// One message on its way out.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    pub outbox_id: i64,
    pub template: &'a str,
    pub channel: Channel,
    pub recipient: &'a str,
    pub message: &'a Message,
}

/// Carries messages of one channel. Blocking: called off the async workers.
pub trait Sink: Send + Sync {
    /// Sends the message; the error is stored with the outbox row and retried later.
    fn deliver(&self, delivery: &Delivery<'_>) -> Result<(), String>;
}

/// Hides most of a phone number or an email address, for logs.
pub fn mask_recipient(recipient: &str) -> String {
    if let Some((local, domain)) = recipient.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let chars: Vec<char> = recipient.chars().collect();
    if chars.len() <= 6 {
        return "***".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 6))
}

/// Writes to the log that a message would be sent, with the recipient masked and no body.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSink;

impl Sink for LogSink {
    fn deliver(&self, delivery: &Delivery<'_>) -> Result<(), String> {
        tracing::info!(
            outbox_id = delivery.outbox_id,
            template = delivery.template,
            channel = delivery.channel.code(),
            recipient = %mask_recipient(delivery.recipient),
            "message written to the log sink, not sent"
        );
        Ok(())
    }
}

/// Sends email through an SMTP server, one connection per message.
pub struct SmtpSink {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpSink {
    /// `url` as for `NOBAT_SMTP_URL`, `from` as for `NOBAT_MAIL_FROM`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = SmtpTransport::from_url(url)
            .map_err(|e| format!("NOBAT_SMTP_URL {}: {e}", redact_url(url)))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("NOBAT_MAIL_FROM {from:?}: {e}"))?;
        Ok(SmtpSink { transport, from })
    }
}

impl Sink for SmtpSink {
    fn deliver(&self, delivery: &Delivery<'_>) -> Result<(), String> {
        let to: Mailbox = delivery
            .recipient
            .parse()
            .map_err(|e| format!("the recipient is not an email address: {e}"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&delivery.message.subject)
            // The same id on every retry, so a receiving server can drop a duplicate.
            .message_id(Some(format!(
                "<outbox-{}@{}>",
                delivery.outbox_id,
                self.from.email.domain()
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(delivery.message.body.clone())
            .map_err(|e| format!("the email cannot be built: {e}"))?;
        self.transport
            .send(&email)
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// The sink for each channel.
#[derive(Clone)]
pub struct Sinks {
    pub sms: Arc<dyn Sink>,
    pub email: Arc<dyn Sink>,
    pub webhooks: Webhooks,
}

impl fmt::Debug for Sinks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sinks")
    }
}

impl Sinks {
    /// Everything to the log.
    pub fn log() -> Self {
        Sinks {
            sms: Arc::new(LogSink),
            email: Arc::new(LogSink),
            webhooks: Webhooks::new(),
        }
    }

    pub fn from_settings(settings: &NotifySettings) -> Result<Self, String> {
        let sms: Arc<dyn Sink> = match settings.sms_sink {
            SmsSink::Log => Arc::new(LogSink),
        };
        let email: Arc<dyn Sink> = match &settings.smtp_url {
            Some(url) => Arc::new(SmtpSink::new(url, &settings.mail_from)?),
            None => Arc::new(LogSink),
        };
        Ok(Sinks {
            sms,
            email,
            webhooks: Webhooks::new(),
        })
    }

    fn for_channel(&self, channel: Channel) -> &dyn Sink {
        match channel {
            Channel::Sms => self.sms.as_ref(),
            Channel::Email => self.email.as_ref(),
        }
    }
}

/// Posts integrators' webhook events: JSON, signed with the webhook's secret.
#[derive(Clone)]
pub struct Webhooks {
    agent: ureq::Agent,
}

/// One webhook POST at most.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

impl Webhooks {
    pub fn new() -> Self {
        Webhooks {
            agent: ureq::Agent::config_builder()
                .timeout_global(Some(WEBHOOK_TIMEOUT))
                .timeout_connect(Some(Duration::from_secs(3)))
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .into(),
        }
    }

    /// POSTs `body` to `url` with `X-Nobat-Event-Id` and `X-Nobat-Signature`; Ok on any 2xx.
    pub fn post(&self, url: &str, event_id: &str, secret: &str, body: &[u8]) -> Result<(), String> {
        let timestamp = Utc::now().timestamp();
        let response = self
            .agent
            .post(url)
            .header("content-type", "application/json")
            .header("x-nobat-event-id", event_id)
            .header(
                "x-nobat-signature",
                format!(
                    "t={timestamp},v1={}",
                    webhook_signature(secret, timestamp, body)
                ),
            )
            .send(body)
            .map_err(|e| format!("webhook: {e}"))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "webhook answered HTTP {}",
                response.status().as_u16()
            ))
        }
    }
}

impl Default for Webhooks {
    fn default() -> Self {
        Self::new()
    }
}

/// The `v1` of `X-Nobat-Signature`: lower-case hex HMAC-SHA256 with the webhook's secret over
/// `"{timestamp}.{body}"`. A receiver recomputes it, compares in constant time and refuses
/// timestamps older than a few minutes.
pub fn webhook_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends one claimed webhook event; Err(reason) when it can never be sent.
fn deliver_webhook(
    conn: &mut PgConnection,
    sinks: &Sinks,
    row: &outbox::Claimed,
) -> QueryResult<Result<Result<(), String>, String>> {
    let Some(webhook) = row.payload["webhook_id"].as_i64() else {
        return Ok(Err("the event names no webhook".to_owned()));
    };
    let Some(secret) = outbox::webhook_secret(conn, webhook)? else {
        return Ok(Err("the webhook was removed".to_owned()));
    };
    let event = &row.payload["event"];
    let body = serde_json::to_vec(event).unwrap_or_default();
    let id = event["id"].as_str().unwrap_or_default();
    Ok(Ok(sinks.webhooks.post(&row.recipient, id, &secret, &body)))
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub claimed: usize,
    pub delivered: usize,
    /// Failed this time; retried later.
    pub failed: usize,
    /// Failed for good (unknown template, booking gone).
    pub abandoned: usize,
}

/// Claims up to [`BATCH`] due messages and tries each once. Blocking.
pub fn deliver_batch(conn: &mut PgConnection, sinks: &Sinks) -> QueryResult<DeliveryCounts> {
    let claimed = outbox::claim_due(conn, BATCH)?;
    let mut counts = DeliveryCounts {
        claimed: claimed.len(),
        ..DeliveryCounts::default()
    };
    for row in &claimed {
        if row.channel == "webhook" {
            match deliver_webhook(conn, sinks, row)? {
                Err(reason) => {
                    tracing::warn!(outbox_id = row.id, reason = %reason, "webhook event abandoned");
                    outbox::give_up(conn, row.id, &reason)?;
                    counts.abandoned += 1;
                }
                Ok(Ok(())) => {
                    outbox::mark_delivered(conn, row.id)?;
                    counts.delivered += 1;
                }
                Ok(Err(error)) => {
                    tracing::warn!(outbox_id = row.id, attempts = row.attempts, error = %error, "webhook failed; will retry");
                    outbox::mark_failed(conn, row.id, &error)?;
                    counts.failed += 1;
                }
            }
            continue;
        }
        match prepare(conn, row)? {
            Err(reason) => {
                tracing::warn!(
                    outbox_id = row.id,
                    template = %row.template,
                    reason = %reason,
                    "message abandoned"
                );
                outbox::give_up(conn, row.id, &reason)?;
                counts.abandoned += 1;
            }
            Ok((channel, message)) => {
                let delivery = Delivery {
                    outbox_id: row.id,
                    template: &row.template,
                    channel,
                    recipient: &row.recipient,
                    message: &message,
                };
                match sinks.for_channel(channel).deliver(&delivery) {
                    Ok(()) => {
                        outbox::mark_delivered(conn, row.id)?;
                        counts.delivered += 1;
                    }
                    Err(error) => {
                        let masked = mask_recipient(&row.recipient);
                        tracing::warn!(
                            outbox_id = row.id,
                            template = %row.template,
                            channel = channel.code(),
                            recipient = %masked,
                            attempts = row.attempts,
                            error = %error.replace(&row.recipient, &masked),
                            "delivery failed; will retry"
                        );
                        outbox::mark_failed(conn, row.id, &error)?;
                        counts.failed += 1;
                    }
                }
            }
        }
    }
    Ok(counts)
}

/// The channel and the rendered message of a claimed row, or why it can never be sent.
fn prepare(
    conn: &mut PgConnection,
    row: &outbox::Claimed,
) -> QueryResult<Result<(Channel, Message), String>> {
    let Some(channel) = Channel::parse(&row.channel) else {
        return Ok(Err(format!("unknown channel {:?}", row.channel)));
    };
    let language = Language::parse(&row.language).unwrap_or_default();
    if row.template == APPLICATION_STATUS {
        let status = row.payload["status"]
            .as_str()
            .and_then(ApplicationStatus::parse);
        let number = row.payload["number"].as_str().unwrap_or_default();
        let note = row.payload["note"].as_str().unwrap_or_default();
        return Ok(match status {
            None => Err("the message names no status".to_owned()),
            Some(status) => {
                let (subject, mut body) = status_message(number, status, note, language);
                if channel == Channel::Sms && body.chars().count() > SMS_MAX_CHARS {
                    body = body.chars().take(SMS_MAX_CHARS - 1).collect::<String>() + "…";
                }
                Ok((channel, Message { subject, body }))
            }
        });
    }
    let Some(booking_id) = row.booking_id else {
        return Ok(Err("the message names no booking".to_owned()));
    };
    let Some(mut facts) = outbox::booking_facts(conn, booking_id)? else {
        return Ok(Err("the booking no longer exists".to_owned()));
    };
    // The time the event was about (a later reschedule sends its own message).
    if let Some(start) = row
        .payload
        .get("starts_at")
        .and_then(|s| s.as_str())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    {
        facts.start = start.with_timezone(&Utc);
    }
    facts.amount = row
        .payload
        .get("amount_minor")
        .and_then(|a| a.as_i64())
        .map(Money::tmt);
    Ok(render(&row.template, channel, language, &facts)
        .map(|message| (channel, message))
        .map_err(|e| e.to_string()))
}

/// Delivers the outbox forever: a round every 2 s, at once again while rounds come back full.
pub async fn deliver_outbox(pool: PgPool, sinks: Sinks) {
    loop {
        let pool = pool.clone();
        let sinks = sinks.clone();
        let round = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            deliver_batch(&mut conn, &sinks).map_err(|e| e.to_string())
        })
        .await;
        let full = match round {
            Ok(Ok(counts)) => {
                if counts.claimed > 0 {
                    tracing::info!(
                        delivered = counts.delivered,
                        failed = counts.failed,
                        abandoned = counts.abandoned,
                        "outbox round"
                    );
                }
                counts.claimed as i64 == BATCH
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "delivering the outbox failed");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "delivering the outbox failed");
                false
            }
        };
        if !full {
            actix_web::rt::time::sleep(POLL_EVERY).await;
        }
    }
}

/// Queues the day-before reminders every few minutes, forever.
pub async fn queue_reminders(pool: PgPool) {
    let mut ticker = actix_web::rt::time::interval(REMIND_EVERY);
    loop {
        ticker.tick().await;
        let pool = pool.clone();
        let queued = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            outbox::queue_reminders(&mut conn, Utc::now()).map_err(|e| e.to_string())
        })
        .await;
        match queued {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(messages = n, "queued reminders for tomorrow's visits"),
            Ok(Err(e)) => tracing::warn!(error = %e, "queuing reminders failed"),
            Err(e) => tracing::warn!(error = %e, "queuing reminders failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> (NotifySettings, Vec<String>) {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut problems = Vec::new();
        let s = NotifySettings::from_lookup(&|name: &str| map.get(name).cloned(), &mut problems);
        (s, problems)
    }

    #[test]
    fn defaults_send_everything_to_the_log() {
        let (s, problems) = settings(&[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.smtp_url, None);
        assert_eq!(s.mail_from, DEFAULT_MAIL_FROM);
        assert_eq!(s.sms_sink, SmsSink::Log);
    }

    #[test]
    fn smtp_urls_are_checked_and_passwords_never_shown() {
        let (s, problems) = settings(&[
            ("NOBAT_SMTP_URL", "smtps://nobat:s3cret@mail.example.tm:465"),
            ("NOBAT_MAIL_FROM", "Nobat <no-reply@nobat.gov.tm>"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!format!("{s:?}").contains("s3cret"));
        assert!(Sinks::from_settings(&s).is_ok());
        let (_, problems) = settings(&[
            ("NOBAT_SMTP_URL", "imap://nobat:s3cret@mail.example.tm"),
            ("NOBAT_MAIL_FROM", "not an address"),
            ("NOBAT_SMS_SINK", "gateway"),
        ]);
        let all = problems.join("\n");
        assert_eq!(problems.len(), 3, "{all}");
        assert!(!all.contains("s3cret"), "{all}");
        assert!(all.contains("only log exists"), "{all}");
    }

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask_recipient("+99365123456"), "+993******56");
        assert_eq!(mask_recipient("jeren@example.tm"), "j***@example.tm");
        assert_eq!(mask_recipient("123"), "***");
    }
}
