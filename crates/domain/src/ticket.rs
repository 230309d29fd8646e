//! The ticket a citizen takes away, in the booking's language with the arrival rule: an
//! iCalendar event (RFC 5545) for their calendar, and a printable SVG page with a QR code of the
//! reference for the branch's reader.

use crate::booking_api::BookingView;
use crate::calendar::ZONE;
use crate::{Language, Localized, Money};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use std::fmt::Write as _;

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

/// Minutes before the slot the citizen must be there; later, the booking is lost.
pub const ARRIVE_MINUTES_EARLY: i64 = 10;

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// `dd.mm.yyyy HH:MM` in Ashgabat time, as the ticket and messages show it.
pub fn local_date_time(instant: DateTime<FixedOffset>) -> String {
    instant
        .with_timezone(&ZONE)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// `HH:MM` in Ashgabat time.
pub fn local_clock(instant: DateTime<FixedOffset>) -> String {
    instant.with_timezone(&ZONE).format("%H:%M").to_string()
}

/// The arrival rule with the time to arrive by, in the booking's language.
pub fn arrival_rule(language: Language, arrive_by: &str) -> String {
    match language {
        Language::Tk => format!(
            "Bellenen wagtdan 10 minut öň geliň (iň giç {arrive_by}). Gijä galsaňyz, täzeden ýazylmaly bolarsyňyz."
        ),
        Language::Ru => format!(
            "Приходите за 10 минут до назначенного времени (не позже {arrive_by}). При опоздании нужно записаться заново."
        ),
        Language::En => format!(
            "Arrive 10 minutes early (by {arrive_by}). If you are late, you must book again."
        ),
    }
}

/// The fee as the citizen reads it, "free" for nothing to pay.
pub fn fee_text(language: Language, fee: Money) -> String {
    if fee.amount_minor == 0 {
        Localized::new("Mugt", "Бесплатно", "Free")
            .get(language)
            .to_owned()
    } else {
        fee.display()
    }
}

/// Splits text into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let extra = if line.is_empty() { 0 } else { 1 };
        if !line.is_empty() && line.chars().count() + extra + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The QR code's modules (row by row, `true` = dark) and its width in modules, without the
/// quiet zone. `None` only if the text cannot be encoded (far longer than a reference).
pub fn qr_modules(text: &str) -> Option<(Vec<bool>, usize)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((modules, width))
}

/// Width of the SVG page in user units (4 per millimetre: 105 mm, A6).
const PAGE_WIDTH: u32 = 420;
/// The smallest page height (148 mm, A6); more applicants make the page longer.
const MIN_PAGE_HEIGHT: u32 = 592;
/// White modules around the QR code, as the standard asks.
const QUIET_ZONE: usize = 4;
/// Size of one QR module in user units (1.25 mm: a phone or a hand scanner reads it easily).
const MODULE: usize = 5;

/// The ticket as a printable SVG page (A6 wide): title, QR code of the reference, the reference,
/// branch and address, service, local date and time, every applicant, the fee and, in bold, the
/// arrival rule, all in the booking's language.
pub fn svg(view: &BookingView) -> String {
    let language = view.language;
    let say = |tk: &str, ru: &str, en: &str| Localized::new(tk, ru, en).get(language).to_owned();
    let centre = PAGE_WIDTH / 2;
    let left = 24;
    let mut body = String::new();
    let mut y: u32 = 44;
    let _ = write!(
        body,
        r##"<text x="{centre}" y="{y}" text-anchor="middle" font-size="30" font-weight="bold">Nobat</text>"##
    );
    y += 22;
    let subtitle = say(
        "Migrasiýa gullugynyň nobat talony",
        "Талон записи в миграционную службу",
        "Migration service booking ticket",
    );
    let _ = write!(
        body,
        r##"<text x="{centre}" y="{y}" text-anchor="middle" font-size="13">{}</text>"##,
        xml_escape(&subtitle)
    );
    y += 12;
    if let Some((modules, width)) = qr_modules(&view.reference) {
        let side = (width + 2 * QUIET_ZONE) * MODULE;
        let x0 = (PAGE_WIDTH as usize).saturating_sub(side) / 2;
        let mut path = String::new();
        for (i, dark) in modules.iter().enumerate() {
            if *dark {
                let _ = write!(
                    path,
                    "M{} {}h1v1h-1z",
                    i % width + QUIET_ZONE,
                    i / width + QUIET_ZONE
                );
            }
        }
        let _ = write!(
            body,
            r##"<g transform="translate({x0} {y})"><rect width="{side}" height="{side}" fill="#fff"/><path transform="scale({MODULE})" d="{path}" fill="#000" shape-rendering="crispEdges"/></g>"##
        );
        y += side as u32;
    }
    y += 34;
    let _ = write!(
        body,
        r##"<text x="{centre}" y="{y}" text-anchor="middle" font-family="DejaVu Sans Mono, Consolas, Courier New, monospace" font-size="34" font-weight="bold" letter-spacing="2">{}</text>"##,
        xml_escape(&view.reference)
    );
    y += 18;
    let _ = write!(
        body,
        r##"<text x="{centre}" y="{y}" text-anchor="middle" font-size="11" fill="#444">{}</text>"##,
        xml_escape(&say("Nobat belgisi", "Номер записи", "Booking reference"))
    );
    y += 14;

    let mut field = |label: String, lines: Vec<String>, y: &mut u32| {
        *y += 20;
        let _ = write!(
            body,
            r##"<text x="{left}" y="{y}" font-size="11" fill="#444">{}</text>"##,
            xml_escape(&label)
        );
        for line in lines {
            *y += 18;
            let _ = write!(
                body,
                r##"<text x="{left}" y="{y}" font-size="15">{}</text>"##,
                xml_escape(&line)
            );
        }
    };
    let mut branch = wrap(view.branch.name.get(language), 44);
    if let Some(address) = &view.branch.address {
        branch.extend(wrap(address.get(language), 44));
    }
    field(say("Bölüm", "Отделение", "Branch"), branch, &mut y);
    field(
        say("Hyzmat", "Услуга", "Service"),
        wrap(view.service.name.get(language), 44),
        &mut y,
    );
    field(
        say("Senesi we wagty", "Дата и время", "Date and time"),
        vec![local_date_time(view.start)],
        &mut y,
    );
    field(
        say("Ýazylanlar", "Заявители", "Applicants"),
        view.applicants
            .iter()
            .flat_map(|a| wrap(&a.full_name, 44))
            .collect(),
        &mut y,
    );
    field(
        say("Töleg", "Оплата", "Fee"),
        vec![fee_text(language, view.fee)],
        &mut y,
    );
    y += 14;
    let rule = wrap(&arrival_rule(language, &local_clock(view.arrive_by)), 42);
    let box_height = rule.len() as u32 * 19 + 14;
    let _ = write!(
        body,
        r##"<rect x="{}" y="{y}" width="{}" height="{box_height}" fill="none" stroke="#000" stroke-width="2"/>"##,
        left - 8,
        PAGE_WIDTH - 2 * (left - 8)
    );
    for line in rule {
        y += 19;
        let _ = write!(
            body,
            r##"<text x="{left}" y="{y}" font-size="15" font-weight="bold">{}</text>"##,
            xml_escape(&line)
        );
    }
    y += 14;
    if !view.status.is_active() {
        y += 28;
        let _ = write!(
            body,
            r##"<text x="{centre}" y="{y}" text-anchor="middle" font-size="18" font-weight="bold" fill="#b00020">{}</text>"##,
            xml_escape(&say(
                "Bu nobat hereketde däl",
                "Эта запись недействительна",
                "This booking is no longer valid",
            ))
        );
    }
    let height = (y + 24).max(MIN_PAGE_HEIGHT);
    let title = format!("Nobat {}", view.reference);
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {PAGE_WIDTH} {height}" lang="{}" font-family="DejaVu Sans, Arial, sans-serif"><title>{}</title><rect width="{PAGE_WIDTH}" height="{height}" fill="#fff"/>{body}</svg>
"##,
        PAGE_WIDTH / 4,
        height as f32 / 4.0,
        language.code(),
        xml_escape(&title),
    )
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
            payment: None,
            queue: None,
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

    fn with_applicants(language: Language) -> BookingView {
        let mut v = view(language);
        v.applicants = vec![
            crate::booking_api::ApplicantSummary {
                full_name: "Amanow Merdan Batyrowiç".into(),
                passport: "*****567".into(),
                fee: Money::tmt(6000),
            },
            crate::booking_api::ApplicantSummary {
                full_name: "O'Neil & <Sons> \"Ltd\"".into(),
                passport: "*****568".into(),
                fee: Money::tmt(0),
            },
        ];
        v
    }

    /// Rasterises the SVG's QR path (as this module writes it) and reads it back with a decoder.
    fn decode_qr(svg: &str) -> Option<String> {
        let d = svg
            .split(&format!("scale({MODULE})\" d=\""))
            .nth(1)?
            .split('"')
            .next()?;
        let mut dark = std::collections::HashSet::new();
        let mut size = 0;
        for part in d.split('M').filter(|p| !p.is_empty()) {
            let coords = part.trim_end_matches("h1v1h-1z");
            let (x, y) = coords.split_once(' ')?;
            let (x, y): (usize, usize) = (x.parse().ok()?, y.parse().ok()?);
            size = size.max(x.max(y) + 1 + QUIET_ZONE);
            dark.insert((x, y));
        }
        let scale = 4;
        let pixels = size * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |x, y| {
            if dark.contains(&(x / scale, y / scale)) {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        let (_, content) = grids.first()?.decode().ok()?;
        Some(content)
    }

    #[test]
    fn the_qr_code_reads_back_as_the_reference() {
        let text = svg(&with_applicants(Language::Tk));
        assert_eq!(decode_qr(&text).as_deref(), Some("AG7-K3Q-9XF"));
    }

    #[test]
    fn a_reference_fits_a_version_1_code() {
        // 11 alphanumeric characters need version 1 (21 x 21 modules) at error level M.
        let (modules, width) = qr_modules("AG7-K3Q-9XF").unwrap_or_default();
        assert_eq!(width, 21);
        assert_eq!(modules.len(), 21 * 21);
        let text = svg(&view(Language::En));
        assert!(text.contains(r#"<g transform="translate(137 78)"><rect width="145" height="145""#));
    }

    #[test]
    fn the_page_has_a_size_and_a_view_box() {
        let text = svg(&view(Language::Ru));
        assert!(text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
        ));
        assert!(
            text.contains(r#"width="105mm" height="148mm" viewBox="0 0 420 592""#),
            "{text}"
        );
        assert!(text.trim_end().ends_with("</svg>"));
        // Five applicants with long names make the page longer, never cut.
        let mut long = with_applicants(Language::Tk);
        long.applicants = (0..5)
            .map(|i| crate::booking_api::ApplicantSummary {
                full_name: format!("Öwezgeldiýewa-Annamuhammedowa Ogulbabek Gurbanmyradowna {i}"),
                passport: "***".into(),
                fee: Money::tmt(6000),
            })
            .collect();
        let text = svg(&long);
        let view_box = text
            .split("viewBox=\"0 0 420 ")
            .nth(1)
            .and_then(|r| r.split('"').next());
        let height: u32 = view_box.and_then(|h| h.parse().ok()).unwrap_or_default();
        assert!(height > 592, "{height}");
        assert!(text.contains(&format!("height=\"{}mm\"", height as f32 / 4.0)));
    }

    #[test]
    fn names_are_escaped_for_xml() {
        let text = svg(&with_applicants(Language::En));
        assert!(
            text.contains("O&apos;Neil &amp; &lt;Sons&gt; &quot;Ltd&quot;"),
            "{text}"
        );
        assert!(!text.contains("<Sons>"));
        assert!(!text.contains("& <"));
        assert_eq!(xml_escape("a\u{1}b<"), "ab&lt;");
    }

    #[test]
    fn every_language_states_the_rule_with_the_arrival_time() {
        for (language, rule, date_label) in [
            (
                Language::Tk,
                "10 minut öň geliň (iň giç 08:50)",
                "Senesi we wagty",
            ),
            (
                Language::Ru,
                "за 10 минут до назначенного времени (не позже 08:50)",
                "Дата и время",
            ),
            (
                Language::En,
                "Arrive 10 minutes early (by 08:50)",
                "Date and time",
            ),
        ] {
            let text = svg(&with_applicants(language));
            // The rule may be wrapped over lines: compare the text content alone.
            let words: String = text
                .split('<')
                .filter_map(|t| t.split_once('>').map(|(_, w)| w))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(words.contains(rule), "{language}: {words}");
            assert!(words.contains(date_label));
            assert!(words.contains("01.12.2026 09:00"), "{words}");
            assert!(words.contains("Amanow Merdan Batyrowiç"));
            assert!(words.contains("60,00 TMT"));
            assert!(text.contains(&format!("lang=\"{}\"", language.code())));
        }
        assert!(svg(&view(Language::Ru)).contains("г. Мары, ул. Яшлык, 5"));
    }

    #[test]
    fn an_ended_booking_says_so() {
        let mut v = view(Language::En);
        assert!(!svg(&v).contains("no longer valid"));
        v.status = BookingStatus::Cancelled;
        assert!(svg(&v).contains("This booking is no longer valid"));
    }
}
