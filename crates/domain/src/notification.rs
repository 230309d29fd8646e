//! The texts of the messages Nobat sends about a booking (SMS and email), in the booking's
//! language. Every message about a visit states the arrival rule: come 10 minutes early; a
//! citizen who is late must book again.

use crate::ticket::{arrival_rule, fee_text, local_clock, local_date_time, ARRIVE_MINUTES_EARLY};
use crate::{Language, Localized, Money};
use chrono::{DateTime, Duration, Utc};

/// Longest SMS body we send (a few segments; Cyrillic and Turkmen letters are UCS-2 anyway).
pub const SMS_MAX_CHARS: usize = 300;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    /// The code stored in the outbox (`sms` or `email`).
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        match code {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// The messages Nobat knows how to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    BookingConfirmed,
    BookingReminder,
    BookingRescheduled,
    BookingCancelled,
    PaymentRefunded,
}

/// The outbox names a template Nobat does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown message template {0:?}")]
pub struct UnknownTemplate(pub String);

impl Template {
    pub const ALL: [Template; 5] = [
        Template::BookingConfirmed,
        Template::BookingReminder,
        Template::BookingRescheduled,
        Template::BookingCancelled,
        Template::PaymentRefunded,
    ];

    /// The name stored in the outbox.
    pub fn code(self) -> &'static str {
        match self {
            Template::BookingConfirmed => "booking_confirmed",
            Template::BookingReminder => "booking_reminder",
            Template::BookingRescheduled => "booking_rescheduled",
            Template::BookingCancelled => "booking_cancelled",
            Template::PaymentRefunded => "payment_refunded",
        }
    }

    pub fn parse(code: &str) -> Result<Template, UnknownTemplate> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| UnknownTemplate(code.to_owned()))
    }

    /// Whether the message is about a visit still to come (and so states the arrival rule).
    pub fn is_about_a_visit(self) -> bool {
        matches!(
            self,
            Template::BookingConfirmed | Template::BookingReminder | Template::BookingRescheduled
        )
    }
}

/// What a message says about its booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub reference: String,
    pub branch_name: Localized,
    pub branch_address: Localized,
    pub service_name: Localized,
    /// The slot's start.
    pub start: DateTime<Utc>,
    /// The booking's fee.
    pub fee: Money,
    /// For `payment_refunded`: the amount paid back.
    pub amount: Option<Money>,
}

impl Facts {
    /// When the citizen must be there at the latest.
    pub fn arrive_by(&self) -> DateTime<Utc> {
        self.start - Duration::minutes(ARRIVE_MINUTES_EARLY)
    }
}

/// A message ready to send: the subject is for email (SMS carry the body only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// Writes `template` for `channel` in `language`. SMS bodies are short (at most
/// [`SMS_MAX_CHARS`] characters); emails also carry the address and the fee.
pub fn render(
    template: &str,
    channel: Channel,
    language: Language,
    facts: &Facts,
) -> Result<Message, UnknownTemplate> {
    let template = Template::parse(template)?;
    let say = |tk: &str, ru: &str, en: &str| Localized::new(tk, ru, en).get(language).to_owned();
    let when = local_date_time(facts.start.fixed_offset());
    let branch = facts.branch_name.get(language);
    let service = facts.service_name.get(language);
    let reference = &facts.reference;
    let rule = arrival_rule(language, &local_clock(facts.arrive_by().fixed_offset()));
    let amount = facts.amount.unwrap_or(facts.fee);
    let (subject, headline) = match template {
        Template::BookingConfirmed => (
            say(
                "Nobatyňyz tassyklandy",
                "Ваша запись подтверждена",
                "Your booking is confirmed",
            ),
            say(
                "Nobatyňyz tassyklandy",
                "Запись подтверждена",
                "Booking confirmed",
            ),
        ),
        Template::BookingReminder => (
            say(
                "Ertir migrasiýa gullugyna nobatyňyz bar",
                "Напоминание: завтра ваша запись в миграционную службу",
                "Reminder: your migration service visit is tomorrow",
            ),
            say(
                "Ýatlatma: ertir nobatyňyz bar",
                "Напоминание: завтра ваша запись",
                "Reminder: your visit is tomorrow",
            ),
        ),
        Template::BookingRescheduled => (
            say(
                "Nobatyňyzyň wagty üýtgedildi",
                "Время вашей записи изменено",
                "Your booking has a new time",
            ),
            say(
                "Nobatyňyzyň täze wagty",
                "Новое время записи",
                "New time for your booking",
            ),
        ),
        Template::BookingCancelled => (
            say(
                "Nobatyňyz ýatyryldy",
                "Ваша запись отменена",
                "Your booking is cancelled",
            ),
            say(
                "Nobatyňyz ýatyryldy",
                "Запись отменена",
                "Booking cancelled",
            ),
        ),
        Template::PaymentRefunded => (
            say(
                "Tölegiňiz yzyna gaýtaryldy",
                "Ваш платёж возвращён",
                "Your payment has been refunded",
            ),
            say(
                "Töleg yzyna gaýtaryldy",
                "Платёж возвращён",
                "Payment refunded",
            ),
        ),
    };
    let subject = format!("Nobat {reference}: {subject}");
    let body = match channel {
        Channel::Sms => sms(
            template, &headline, reference, &when, branch, service, &rule, amount,
        ),
        Channel::Email => {
            let mut lines = vec![
                format!("{headline}."),
                String::new(),
                format!(
                    "{}: {reference}",
                    say("Nobat belgisi", "Номер записи", "Booking reference")
                ),
            ];
            if template != Template::PaymentRefunded {
                lines.push(format!("{}: {service}", say("Hyzmat", "Услуга", "Service")));
                lines.push(format!("{}: {branch}", say("Bölüm", "Отделение", "Branch")));
                lines.push(format!(
                    "{}: {}",
                    say("Salgysy", "Адрес", "Address"),
                    facts.branch_address.get(language)
                ));
                lines.push(format!(
                    "{}: {when}",
                    say("Senesi we wagty", "Дата и время", "Date and time")
                ));
            }
            match template {
                Template::PaymentRefunded => lines.push(format!(
                    "{}: {}",
                    say("Gaýtarylan mukdar", "Сумма возврата", "Amount refunded"),
                    amount.display()
                )),
                Template::BookingCancelled => {}
                _ => lines.push(format!(
                    "{}: {}",
                    say("Töleg", "Оплата", "Fee"),
                    fee_text(language, facts.fee)
                )),
            }
            if template.is_about_a_visit() {
                lines.push(String::new());
                lines.push(rule.clone());
                lines.push(say(
                    "Pasportyňyzy we nobat belgiňizi ýanyňyz bilen alyň.",
                    "Возьмите с собой паспорт и номер записи.",
                    "Bring your passport and the booking reference.",
                ));
            }
            if template == Template::BookingCancelled {
                lines.push(String::new());
                lines.push(say(
                    "Täze nobata islän wagtyňyz ýazylyp bilersiňiz.",
                    "Вы можете записаться снова в любое время.",
                    "You can book a new visit at any time.",
                ));
            }
            lines.push(String::new());
            lines.push(say(
                "Bu hat awtomatik iberildi; oňa jogap bermäň.",
                "Это письмо отправлено автоматически; не отвечайте на него.",
                "This message was sent automatically; please do not reply.",
            ));
            lines.push("Nobat".to_owned());
            lines.join("\n")
        }
    };
    Ok(Message { subject, body })
}

#[allow(clippy::too_many_arguments)]
fn sms(
    template: Template,
    headline: &str,
    reference: &str,
    when: &str,
    branch: &str,
    service: &str,
    rule: &str,
    amount: Money,
) -> String {
    let text = |branch: &str, service: &str| match template {
        Template::BookingCancelled => format!("Nobat {reference}: {headline}."),
        Template::PaymentRefunded => {
            format!("Nobat {reference}: {headline}: {}.", amount.display())
        }
        _ => format!("Nobat {reference}: {headline}. {when}, {branch}, {service}. {rule}"),
    };
    let full = text(branch, service);
    if full.chars().count() <= SMS_MAX_CHARS {
        return full;
    }
    // Names too long for one SMS: shorten the branch and the service, never the rule.
    let budget = SMS_MAX_CHARS.saturating_sub(text("", "").chars().count()) / 2;
    text(&shorten(branch, budget), &shorten(service, budget))
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            reference: "AG7-K3Q-9XF".into(),
            branch_name: Localized::new(
                "Daşoguz welaýat migrasiýa bölümi",
                "Дашогузский велаятский отдел миграции",
                "Daşoguz velayat migration department",
            ),
            branch_address: Localized::new(
                "Daşoguz ş., Gurbansoltan eje köçesi, 12",
                "г. Дашогуз, ул. Гурбансолтан эдже, 12",
                "12 Gurbansoltan eje street, Daşoguz",
            ),
            service_name: Localized::new(
                "Daşary ýurt pasportyny resmileşdirmek",
                "Оформление заграничного паспорта",
                "International passport",
            ),
            // 09:00 in Ashgabat.
            start: DateTime::parse_from_rfc3339("2026-12-01T09:00:00+05:00")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            fee: Money::tmt(6000),
            amount: None,
        }
    }

    fn all() -> impl Iterator<Item = (Template, Channel, Language)> {
        Template::ALL.into_iter().flat_map(|t| {
            [Channel::Sms, Channel::Email]
                .into_iter()
                .flat_map(move |c| Language::ALL.into_iter().map(move |l| (t, c, l)))
        })
    }

    #[test]
    fn every_template_renders_in_every_language_with_the_reference() {
        for (template, channel, language) in all() {
            let message = render(template.code(), channel, language, &facts());
            let message = message.unwrap_or_else(|e| panic!("{e}"));
            assert!(
                message.body.contains("AG7-K3Q-9XF"),
                "{template:?} {language}"
            );
            assert!(message.subject.contains("AG7-K3Q-9XF"));
            assert!(!message.body.is_empty());
        }
    }

    #[test]
    fn messages_about_a_visit_state_the_arrival_rule_and_local_time() {
        for (template, channel, language) in all().filter(|(t, _, _)| t.is_about_a_visit()) {
            let body = render(template.code(), channel, language, &facts())
                .map(|m| m.body)
                .unwrap_or_default();
            assert!(
                body.contains("01.12.2026 09:00"),
                "{template:?} {language}: {body}"
            );
            assert!(body.contains(&arrival_rule(language, "08:50")), "{body}");
        }
        let ru = render("booking_reminder", Channel::Sms, Language::Ru, &facts())
            .map(|m| m.body)
            .unwrap_or_default();
        assert!(ru.contains("не позже 08:50"), "{ru}");
        assert!(ru.contains("записаться заново"));
    }

    #[test]
    fn sms_bodies_stay_short_even_with_long_names() {
        let mut long = facts();
        long.branch_name = Localized::new("Ý".repeat(200), "Д".repeat(200), "B".repeat(200));
        long.service_name = Localized::new("H".repeat(150), "У".repeat(150), "S".repeat(150));
        for f in [facts(), long] {
            for (template, _, language) in all().filter(|(_, c, _)| *c == Channel::Sms) {
                let body = render(template.code(), Channel::Sms, language, &f)
                    .map(|m| m.body)
                    .unwrap_or_default();
                let n = body.chars().count();
                assert!(
                    n <= SMS_MAX_CHARS,
                    "{template:?} {language}: {n} chars: {body}"
                );
                if template.is_about_a_visit() {
                    assert!(body.contains(&arrival_rule(language, "08:50")), "{body}");
                }
            }
        }
    }

    #[test]
    fn emails_carry_the_address_and_the_fee() {
        let email = render("booking_confirmed", Channel::Email, Language::Tk, &facts())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(email.subject, "Nobat AG7-K3Q-9XF: Nobatyňyz tassyklandy");
        assert!(email.body.contains("Gurbansoltan eje köçesi"));
        assert!(email.body.contains("Töleg: 60,00 TMT"));
        let mut free = facts();
        free.fee = Money::ZERO;
        let english = render("booking_confirmed", Channel::Email, Language::En, &free)
            .map(|m| m.body)
            .unwrap_or_default();
        assert!(english.contains("Fee: Free"), "{english}");
    }

    #[test]
    fn a_refund_states_the_amount() {
        let mut f = facts();
        f.amount = Some(Money::tmt(4550));
        for channel in [Channel::Sms, Channel::Email] {
            let body = render("payment_refunded", channel, Language::En, &f)
                .map(|m| m.body)
                .unwrap_or_default();
            assert!(body.contains("45,50 TMT"), "{body}");
            assert!(!body.contains("10 minutes"));
        }
    }

    #[test]
    fn unknown_templates_are_refused() {
        assert_eq!(
            render("booking_exploded", Channel::Sms, Language::Tk, &facts()),
            Err(UnknownTemplate("booking_exploded".into()))
        );
        for template in Template::ALL {
            assert_eq!(Template::parse(template.code()), Ok(template));
        }
        assert_eq!(Channel::parse("email"), Some(Channel::Email));
        assert_eq!(Channel::parse("fax"), None);
    }
}
