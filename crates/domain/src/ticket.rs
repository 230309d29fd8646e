//! The ticket a citizen takes away: today an iCalendar event (RFC 5545) for their calendar, with
//! the arrival rule in the booking's language.

use crate::booking_api::BookingView;
use crate::Localized;
use chrono::{DateTime, Duration, Utc};

/// Minutes before the slot the calendar reminds the citizen.
const REMINDER_MINUTES: i64 = 60;

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The booking as a calendar event; `now` stamps it.
pub fn ics(view: &BookingView, now: DateTime<Utc>) -> String {
    let language = view.language;
    let rule = Localized::new(
        "Bellenen wagtdan 10 minut öň geliň. Gijä galsaňyz, nobatyňyz ýatyrylýar we täzeden ýazylmaly bolarsyňyz.",
        "Приходите за 10 минут до назначенного времени. При опоздании запись аннулируется, и нужно записаться заново.",
        "Arrive 10 minutes before your time. If you are late, the booking is cancelled and you must book again.",
    );
    let reference = Localized::new("Nobat belgisi", "Номер записи", "Booking reference");
    let start = view.start.with_timezone(&Utc);
    let end = view.end.with_timezone(&Utc);
    let summary = format!(
        "{} — {}",
        view.service.name.get(language),
        view.branch.name.get(language)
    );
    let location = view
        .branch
        .address
        .as_ref()
        .map(|a| a.get(language).to_owned())
        .unwrap_or_default();
    let description = format!(
        "{}: {}\n{}",
        reference.get(language),
        view.reference,
        rule.get(language)
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Nobat//Booking//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@nobat", view.reference),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(start)),
        format!("DTEND:{}", stamp(end)),
        format!("SUMMARY:{}", escape(&summary)),
        format!("LOCATION:{}", escape(&location)),
        format!("DESCRIPTION:{}", escape(&description)),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!("DESCRIPTION:{}", escape(rule.get(language))),
        format!(
            "TRIGGER:-PT{}M",
            Duration::minutes(REMINDER_MINUTES).num_minutes()
        ),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booking::BookingStatus;
    use crate::booking_api::NamedRef;
    use crate::{Language, Money};

    fn view(language: Language) -> BookingView {
        let start = DateTime::parse_from_rfc3339("2026-12-01T09:00:00+05:00").unwrap_or_default();
        BookingView {
            reference: "AG7-K3Q-9XF".into(),
            status: BookingStatus::Confirmed,
            language,
            branch: NamedRef {
                code: "mary".into(),
                name: Localized::new(
                    "Mary welaýat migrasiýa bölümi",
                    "Марыйский отдел",
                    "Mary department",
                ),
                address: Some(Localized::new(
                    "Mary ş., Ýaşlyk köçesi, 5",
                    "г. Мары, ул. Яшлык, 5",
                    "5 Ýaşlyk street, Mary",
                )),
            },
            service: NamedRef {
                code: "passport-international".into(),
                name: Localized::new(
                    "Daşary ýurt pasporty",
                    "Заграничный паспорт",
                    "International passport",
                ),
                address: None,
            },
            start,
            end: start + Duration::minutes(30),
            arrive_by: start - Duration::minutes(10),
            seats: 1,
            fee: Money::tmt(6000),
            hold_expires_at: None,
            applicants: vec![],
        }
    }

    #[test]
    fn the_event_is_in_utc_with_the_rule_in_the_booking_language() {
        let text = ics(&view(Language::Tk), Utc::now());
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("DTSTART:20261201T040000Z"), "{unfolded}");
        assert!(unfolded.contains("DTEND:20261201T043000Z"));
        assert!(unfolded.contains("UID:AG7-K3Q-9XF@nobat"));
        assert!(unfolded.contains("LOCATION:Mary ş.\\, Ýaşlyk köçesi\\, 5"));
        assert!(unfolded.contains("10 minut öň geliň"));
        let english = ics(&view(Language::En), Utc::now()).replace("\r\n ", "");
        assert!(english.contains("Arrive 10 minutes before your time"));
    }

    #[test]
    fn lines_are_folded_at_75_octets_and_end_in_crlf() {
        let text = ics(&view(Language::Ru), Utc::now());
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "bare newlines are escaped"
        );
    }
}
