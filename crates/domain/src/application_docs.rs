//! What the citizen takes away from an international passport application: the documents to
//! bring to the branch for each reason, the printable receipt (an SVG page with a QR code of the
//! application number) and the text of the message sent when the application changes status.
//!
//! All of it in the citizen's language; like the rest of the crate, nothing here does I/O or
//! reads the clock.

use crate::passport::{ApplicationReason, ApplicationStatus};
use crate::ticket::{local_date_time, qr_modules, xml_escape};
use crate::{Language, Localized, Money};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

// ---------------------------------------------------------------------------------------------
// Documents to bring

fn internal_passport() -> Localized {
    Localized::new(
        "Türkmenistanyň raýatynyň pasporty (içerki pasport), asyl nusgasy",
        "Паспорт гражданина Туркменистана (внутренний), оригинал",
        "Your Turkmen citizen's (internal) passport, the original",
    )
}

fn previous_passport() -> Localized {
    Localized::new(
        "Öňki daşary ýurt pasportyňyz (täze pasport berlende tabşyrylýar)",
        "Прежний заграничный паспорт (сдаётся при получении нового)",
        "Your previous international passport (handed in when you receive the new one)",
    )
}

/// Men of conscription age show that they are registered with the military commissariat.
fn military_registration() -> Localized {
    Localized::new(
        "18–27 ýaşly erkekler üçin: harby bilet ýa-da harby hasaba alnandygy barada şahadatnama",
        "Мужчинам 18–27 лет: военный билет или удостоверение о постановке на воинский учёт",
        "Men aged 18 to 27: military ID or certificate of military registration",
    )
}

fn fee_receipt() -> Localized {
    Localized::new(
        "Döwlet pajynyň tölenendigi barada kwitansiýa ýa-da tölegden boşadylmagyň esasy bolan \
         resminama",
        "Квитанция об оплате госпошлины или документ, освобождающий от её уплаты",
        "The receipt for the state fee, or the document that exempts you from it",
    )
}

fn this_receipt() -> Localized {
    Localized::new(
        "Şu kwitansiýa ýa-da arzanyň belgisi (çap edilen ýa-da telefonda)",
        "Эта квитанция или номер заявления (распечатка или на телефоне)",
        "This receipt or the application number (printed or on your phone)",
    )
}

/// The documents for `reason`, in the order the clerk asks for them.
fn documents(reason: ApplicationReason) -> Vec<Localized> {
    let mut list = Vec::new();
    match reason {
        ApplicationReason::ChildUnder16 => {
            list.push(Localized::new(
                "Çaganyň dogluş hakynda şahadatnamasy (asyl nusgasy)",
                "Свидетельство о рождении ребёнка (оригинал)",
                "The child's birth certificate (the original)",
            ));
            list.push(Localized::new(
                "Ata-enesiniň ýa-da hossarynyň pasporty (içerki pasport)",
                "Паспорт родителя или опекуна (внутренний)",
                "The parent's or guardian's (internal) passport",
            ));
            list.push(Localized::new(
                "Ata-enesiniň ýa-da hossarynyň pasport berilmegine ýazmaça razylygy (bölümde gol \
                 çekilýär)",
                "Письменное согласие родителя или опекуна на выдачу паспорта (подписывается в \
                 отделе)",
                "The parent's or guardian's written consent to the passport (signed at the \
                 branch)",
            ));
            list.push(Localized::new(
                "Hossar üçin: hossar bellenendigi barada resminama",
                "Для опекуна: документ о назначении опекуном",
                "For a guardian: the document appointing them",
            ));
            list.push(Localized::new(
                "Çaganyň öňki daşary ýurt pasporty (bar bolsa)",
                "Прежний заграничный паспорт ребёнка (если есть)",
                "The child's previous international passport, if there is one",
            ));
            // Children under 16 pay no state fee, so there is no receipt to bring.
            list.push(this_receipt());
            return list;
        }
        ApplicationReason::FirstPassport => list.push(internal_passport()),
        ApplicationReason::RenewalExpiring | ApplicationReason::RenewalExpired => {
            list.push(internal_passport());
            list.push(previous_passport());
        }
        ApplicationReason::Lost => {
            list.push(internal_passport());
            list.push(Localized::new(
                "Pasportyň ýitirilendigi barada polisiýadan (içeri işler edarasyndan) alnan \
                 güwänama",
                "Справка из органов внутренних дел (полиции) об утере паспорта",
                "A certificate from the police (internal affairs office) that the passport was \
                 lost",
            ));
            list.push(Localized::new(
                "Pasportyň nähili ýitirilendigi barada ýazmaça düşündiriş (bölümde ýazylýar)",
                "Письменное объяснение об обстоятельствах утери (пишется в отделе)",
                "A written statement of how it was lost (written at the branch)",
            ));
        }
        ApplicationReason::Damaged => {
            list.push(internal_passport());
            list.push(Localized::new(
                "Zaýalanan daşary ýurt pasporty (täze pasport berlende tabşyrylýar)",
                "Повреждённый заграничный паспорт (сдаётся при получении нового)",
                "The damaged international passport (handed in when you receive the new one)",
            ));
        }
        ApplicationReason::PersonalDataChanged => {
            list.push(internal_passport());
            list.push(previous_passport());
            list.push(Localized::new(
                "Üýtgeşmäni tassyklaýan resminama: nika hakynda, nikanyň bozulandygy hakynda \
                 ýa-da familiýanyň, adyň üýtgedilendigi hakynda şahadatnama",
                "Документ, подтверждающий изменение: свидетельство о заключении или \
                 расторжении брака, о перемене фамилии или имени",
                "The document proving the change: a marriage or divorce certificate, or a \
                 certificate of change of name",
            ));
        }
    }
    list.push(military_registration());
    list.push(fee_receipt());
    list.push(this_receipt());
    list
}

/// What the citizen brings to the branch for an international passport applied for `reason`,
/// in `language`: the identity documents, what the reason adds (the old passport, the police
/// certificate of loss, the proof of a change of name, a child's birth certificate and the
/// guardian's consent), the military registration for men of conscription age, the fee receipt.
pub fn documents_to_bring(reason: ApplicationReason, language: Language) -> Vec<String> {
    documents(reason)
        .iter()
        .map(|document| document.get(language).to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Receipt

/// What the printed receipt of an application shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts<'a> {
    /// The public application number, `P-26-4K7Q-93`.
    pub number: &'a str,
    pub status: ApplicationStatus,
    /// As the citizen typed it: `Öwezgeldiýewa Aýna Annamyradowna`.
    pub full_name: &'a str,
    /// As it will print in the passport: `OWEZGELDIYEWA AYNA`.
    pub printed_name: &'a str,
    pub reason: ApplicationReason,
    /// The branch where the passport will be collected, in `language`.
    pub branch_name: &'a str,
    /// `None` while the application is a draft.
    pub submitted_at: Option<DateTime<Utc>>,
    pub fee: Money,
    /// The card the fee was paid with, masked (`4111 11** **** 1111`); `None` if not paid by card.
    pub masked_pan: Option<&'a str>,
    pub language: Language,
}

/// Width of the page in user units: 148 mm (A5) at 420 units.
const PAGE_WIDTH: u32 = 420;
/// The smallest page height, A5 proportions (210 mm); a long list makes the page longer.
const MIN_PAGE_HEIGHT: u32 = 595;
/// Left and right margin.
const MARGIN: u32 = 24;
/// White modules around the QR code, as the standard asks.
const QUIET_ZONE: usize = 4;
/// The largest a module gets (1.06 mm, plenty for a phone or a hand scanner): an application
/// number fits a 21-module code, 87 units (31 mm) with its quiet zone.
const MAX_MODULE: usize = 3;
/// The QR code (with its quiet zone) never takes more than this much width.
const MAX_QR_SIDE: usize = 96;
/// Where the values of the facts table start.
const VALUE_X: u32 = 150;

/// Average advance of a character, in ems, generous enough for Cyrillic in a sans-serif font;
/// lines are wrapped by this so that none runs off the page.
const CHAR_EM: f32 = 0.62;

/// How many characters of `font_size` fit in `width` units.
fn fitting_chars(width: u32, font_size: f32) -> usize {
    (width as f32 / (CHAR_EM * font_size)).floor().max(1.0) as usize
}

/// Splits text into lines of at most `width` characters at spaces; a longer word is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        if word.is_empty() {
            continue;
        }
        let line_chars = line.chars().count();
        if !line.is_empty() && line_chars + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The service's name, as the receipt and the messages sign off.
fn service_name(language: Language) -> String {
    Localized::new(
        "Nobat — Döwlet migrasiýa gullugy",
        "Nobat — Государственная миграционная служба",
        "Nobat — State Migration Service",
    )
    .get(language)
    .to_owned()
}

/// Where and with what the citizen follows the application.
fn tracking_hint(number: &str, language: Language) -> String {
    match language {
        Language::Tk => format!(
            "Arzaňyzyň ýagdaýyny Nobatyň «Arzany yzarla» sahypasynda arza belgisi ({number}) we \
             doglan senäňiz boýunça görüp bilersiňiz."
        ),
        Language::Ru => format!(
            "Статус заявления можно узнать в Nobat на странице «Статус заявления» по номеру \
             заявления ({number}) и дате рождения."
        ),
        Language::En => format!(
            "Follow your application on Nobat's “Track application” page with its number \
             ({number}) and your date of birth."
        ),
    }
}

/// Appends one `<text>` element; `attributes` are written as given, `content` is escaped.
fn text(out: &mut String, x: u32, y: u32, attributes: &str, content: &str) {
    let _ = write!(
        out,
        r##"<text x="{x}" y="{y}" {attributes}>{}</text>"##,
        xml_escape(content)
    );
}

/// The receipt of an application as a printable SVG page (A5 portrait, 148 mm wide): the
/// service, the number large with its QR code, the status, who applied and why, where the
/// passport will be collected, when the application was submitted (Ashgabat time), the fee and
/// the card it was paid with, the documents to bring and how to follow the application, all in
/// `facts.language`.
pub fn receipt_svg(facts: &ReceiptFacts) -> String {
    let language = facts.language;
    let say = |tk: &str, ru: &str, en: &str| Localized::new(tk, ru, en).get(language).to_owned();
    let centre = PAGE_WIDTH / 2;
    let content_width = PAGE_WIDTH - 2 * MARGIN;
    let mut body = String::new();

    // Heading.
    let mut y: u32 = 34;
    for line in wrap(&service_name(language), fitting_chars(content_width, 13.0)) {
        text(
            &mut body,
            centre,
            y,
            r##"text-anchor="middle" font-size="13" fill="#444""##,
            &line,
        );
        y += 16;
    }
    y += 8;
    let title = say(
        "Halkara pasporty üçin arza",
        "Заявление на заграничный паспорт",
        "International passport application",
    );
    for line in wrap(&title, fitting_chars(content_width, 17.0)) {
        text(
            &mut body,
            centre,
            y,
            r##"text-anchor="middle" font-size="17" font-weight="bold""##,
            &line,
        );
        y += 20;
    }
    y -= 10;
    let _ = write!(
        body,
        r##"<line x1="{MARGIN}" y1="{y}" x2="{}" y2="{y}" stroke="#000" stroke-width="1"/>"##,
        PAGE_WIDTH - MARGIN
    );
    y += 12;

    // The number and status on the left, the QR code of the number on the right.
    let top = y;
    let mut qr_bottom = top;
    let mut left_width = content_width;
    if let Some((modules, width)) = qr_modules(facts.number) {
        let total = width + 2 * QUIET_ZONE;
        let module = (MAX_QR_SIDE / total).clamp(1, MAX_MODULE);
        let side = total * module;
        let x0 = (PAGE_WIDTH - MARGIN) as usize - side;
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
            r##"<g transform="translate({x0} {top})"><rect width="{side}" height="{side}" fill="#fff"/><path transform="scale({module})" d="{path}" fill="#000" shape-rendering="crispEdges"/></g>"##
        );
        qr_bottom = top + side as u32;
        left_width = (x0 as u32).saturating_sub(MARGIN + 12);
    }
    let mut y = top + 12;
    text(
        &mut body,
        MARGIN,
        y,
        r##"font-size="11" fill="#444""##,
        &say("Arzanyň belgisi", "Номер заявления", "Application number"),
    );
    // Monospace with letter spacing is a little wider than the sans-serif estimate.
    let number_chars = facts.number.chars().count().max(1) as f32;
    let number_size = (left_width as f32 / (0.66 * number_chars))
        .clamp(8.0, 26.0)
        .floor();
    y += number_size as u32 + 4;
    let number_lines = wrap(
        facts.number,
        (left_width as f32 / (0.66 * number_size)).floor().max(1.0) as usize,
    );
    for line in number_lines {
        text(
            &mut body,
            MARGIN,
            y,
            &format!(
                r##"font-family="DejaVu Sans Mono, Consolas, Courier New, monospace" font-size="{number_size}" font-weight="bold" letter-spacing="1""##
            ),
            &line,
        );
        y += number_size as u32 + 4;
    }
    y += 4;
    text(
        &mut body,
        MARGIN,
        y,
        r##"font-size="11" fill="#444""##,
        &say("Ýagdaýy", "Статус", "Status"),
    );
    for line in wrap(
        &facts.status.label(language),
        fitting_chars(left_width, 16.0),
    ) {
        y += 18;
        text(
            &mut body,
            MARGIN,
            y,
            r##"font-size="16" font-weight="bold""##,
            &line,
        );
    }
    y = y.max(qr_bottom) + 10;
    let _ = write!(
        body,
        r##"<line x1="{MARGIN}" y1="{y}" x2="{}" y2="{y}" stroke="#999" stroke-width="0.5"/>"##,
        PAGE_WIDTH - MARGIN
    );

    // The facts, a label column and a value column.
    let label_chars = fitting_chars(VALUE_X - MARGIN - 8, 9.0);
    let value_width = PAGE_WIDTH - MARGIN - VALUE_X;
    let mut row = |label: String, values: Vec<String>, monospace: bool, y: &mut u32| {
        *y += 16;
        let labels = wrap(&label, label_chars);
        let mut label_y = *y;
        for line in &labels {
            text(
                &mut body,
                MARGIN,
                label_y,
                r##"font-size="9" fill="#444""##,
                line,
            );
            label_y += 12;
        }
        let (attributes, chars) = if monospace {
            (
                r##"font-family="DejaVu Sans Mono, Consolas, Courier New, monospace" font-size="11""##,
                fitting_chars(value_width, 11.0),
            )
        } else {
            (r##"font-size="11""##, fitting_chars(value_width, 11.0))
        };
        let mut value_y = *y;
        let mut lines: u32 = 0;
        for value in &values {
            for line in wrap(value, chars) {
                text(&mut body, VALUE_X, value_y, attributes, &line);
                value_y += 14;
                lines += 1;
            }
        }
        // `y` ends on the row's last baseline, in whichever column is longer.
        let label_lines = labels.len() as u32;
        *y += (label_lines.saturating_sub(1) * 12).max(lines.saturating_sub(1) * 14);
    };
    let mut y = y + 2;
    row(
        say("Arza beriji", "Заявитель", "Applicant"),
        vec![facts.full_name.to_owned()],
        false,
        &mut y,
    );
    row(
        say("Pasportda ýazylyşy", "Как в паспорте", "As printed"),
        vec![facts.printed_name.to_owned()],
        true,
        &mut y,
    );
    row(
        say("Arzanyň sebäbi", "Причина", "Reason"),
        vec![facts.reason.label(language)],
        false,
        &mut y,
    );
    row(
        say("Alyş bölümi", "Отдел получения", "Collection branch"),
        vec![facts.branch_name.to_owned()],
        false,
        &mut y,
    );
    let submitted = match facts.submitted_at {
        Some(at) => format!(
            "{} ({})",
            local_date_time(at.fixed_offset()),
            say("Aşgabat", "Ашхабад", "Ashgabat")
        ),
        None => say("Heniz iberilmedi", "Ещё не подано", "Not yet submitted"),
    };
    row(
        say("Berlen wagty", "Дата подачи", "Submitted"),
        vec![submitted],
        false,
        &mut y,
    );
    let fee = vec![if facts.fee.amount_minor == 0 {
        say(
            "Tölenmeýär (boşadylan)",
            "Не взимается (освобождение)",
            "None (exempt)",
        )
    } else {
        facts.fee.display()
    }];
    row(
        say("Döwlet pajy", "Госпошлина", "State fee"),
        fee,
        false,
        &mut y,
    );
    if let Some(pan) = facts.masked_pan.filter(|pan| !pan.trim().is_empty()) {
        row(
            say("Kart bilen tölendi", "Оплачено картой", "Paid by card"),
            vec![pan.to_owned()],
            true,
            &mut y,
        );
    }
    y += 10;
    let _ = write!(
        body,
        r##"<line x1="{MARGIN}" y1="{y}" x2="{}" y2="{y}" stroke="#999" stroke-width="0.5"/>"##,
        PAGE_WIDTH - MARGIN
    );

    // Documents to bring, numbered.
    y += 18;
    text(
        &mut body,
        MARGIN,
        y,
        r##"font-size="12" font-weight="bold""##,
        &say(
            "Bölüme getirmeli resminamalar",
            "Что принести в отдел",
            "Documents to bring to the branch",
        ),
    );
    let item_x = MARGIN + 18;
    let item_chars = fitting_chars(PAGE_WIDTH - MARGIN - item_x, 9.5);
    for (i, document) in documents_to_bring(facts.reason, language)
        .iter()
        .enumerate()
    {
        y += 3;
        text(
            &mut body,
            MARGIN,
            y + 12,
            r##"font-size="9.5""##,
            &format!("{}.", i + 1),
        );
        for line in wrap(document, item_chars) {
            y += 12;
            text(&mut body, item_x, y, r##"font-size="9.5""##, &line);
        }
    }

    // How to follow the application, in a box.
    y += 14;
    let hint = wrap(
        &tracking_hint(facts.number, language),
        fitting_chars(content_width - 16, 9.5),
    );
    let box_height = hint.len() as u32 * 13 + 9;
    let _ = write!(
        body,
        r##"<rect x="{}" y="{y}" width="{}" height="{box_height}" fill="none" stroke="#000" stroke-width="1"/>"##,
        MARGIN, content_width
    );
    for line in hint {
        y += 13;
        text(
            &mut body,
            MARGIN + 8,
            y,
            r##"font-size="9.5" font-weight="bold""##,
            &line,
        );
    }
    y += 9;

    let height = (y + 16).max(MIN_PAGE_HEIGHT);
    let title = format!("{} — {}", title, facts.number);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="148mm" height="{:.1}mm" viewBox="0 0 {PAGE_WIDTH} {height}" lang="{}" font-family="DejaVu Sans, Arial, sans-serif"><title>{}</title><rect width="{PAGE_WIDTH}" height="{height}" fill="#fff"/>{body}</svg>"##,
        height as f32 * 148.0 / PAGE_WIDTH as f32,
        language.code(),
        xml_escape(&title),
    )
}

// ---------------------------------------------------------------------------------------------
// Status-change message

/// The subject and body of the SMS or email telling the citizen that application `number` is
/// now in `status`: what it means, what to do next ([`ApplicationStatus::next_step`]), the
/// public `note` when there is one and, once the passport is ready, how to book the pickup.
pub fn status_message(
    number: &str,
    status: ApplicationStatus,
    note: &str,
    language: Language,
) -> (String, String) {
    let label = status.label(language);
    let ready = status == ApplicationStatus::Ready;
    let subject = match (language, ready) {
        (Language::Tk, true) => format!("Nobat {number}: pasportyňyz taýýar"),
        (Language::Ru, true) => format!("Nobat {number}: паспорт готов к выдаче"),
        (Language::En, true) => format!("Nobat {number}: your passport is ready to collect"),
        (Language::Tk, false) => format!("Nobat {number}: arzanyň ýagdaýy – {label}"),
        (Language::Ru, false) => format!("Nobat {number}: статус заявления – {label}"),
        (Language::En, false) => format!("Nobat {number}: application status – {label}"),
    };
    let headline = match (language, ready) {
        (Language::Tk, true) => format!(
            "{number} belgili arza boýunça pasportyňyz taýýar: ony saýlan bölümiňizden alyp \
             bilersiňiz."
        ),
        (Language::Ru, true) => {
            format!("Паспорт по заявлению № {number} готов: его можно получить в выбранном отделе.")
        }
        (Language::En, true) => format!(
            "The passport for application {number} is ready to collect at the branch you chose."
        ),
        (Language::Tk, false) => {
            format!("Halkara pasporty üçin {number} belgili arzaňyzyň ýagdaýy üýtgedi: «{label}».")
        }
        (Language::Ru, false) => format!(
            "Статус вашего заявления на заграничный паспорт № {number} изменился: «{label}»."
        ),
        (Language::En, false) => {
            format!("Your international passport application {number} has a new status: “{label}”.")
        }
    };
    // The next step of `needs_action` and `rejected` points to the note "below".
    let mut lines = vec![headline, status.next_step(language)];
    let note = note.trim();
    if !note.is_empty() {
        let prefix = Localized::new("Bellik", "Примечание", "Note");
        lines.push(format!("{}: {note}", prefix.get(language)));
    }
    if ready {
        lines.push(
            Localized::new(
                "Alyş wagtyny Nobatda «Arzany yzarla» sahypasynda arza belgisi we doglan senäňiz \
                 bilen belläň.",
                "Запишитесь на время получения в Nobat на странице «Статус заявления» по номеру \
                 заявления и дате рождения.",
                "Book a pickup time on Nobat's “Track application” page with the application \
                 number and your date of birth.",
            )
            .get(language)
            .to_owned(),
        );
    }
    lines.push(service_name(language));
    (subject, lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passport::ApplicationNumber;
    use chrono::TimeZone;

    fn number() -> String {
        ApplicationNumber::from_random(2026, 123_456)
            .as_str()
            .to_owned()
    }

    fn facts<'a>(number: &'a str, full_name: &'a str, language: Language) -> ReceiptFacts<'a> {
        ReceiptFacts {
            number,
            status: ApplicationStatus::Submitted,
            full_name,
            printed_name: "OWEZGELDIYEWA AYNA",
            reason: ApplicationReason::PersonalDataChanged,
            branch_name: "Aşgabat şäher migrasiýa bölümi (Köpetdag etraby)",
            submitted_at: Utc.with_ymd_and_hms(2026, 11, 26, 16, 39, 0).single(),
            fee: Money::tmt(6000),
            masked_pan: Some("4111 11** **** 1111"),
            language,
        }
    }

    /// The character data of the page, entities read back, one string per `<text>`.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|t| t.split_once('>'))
            .filter_map(|(_, rest)| rest.split_once("</text>"))
            .map(|(content, _)| unescape(content))
            .collect()
    }

    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    fn attribute(element: &str, name: &str) -> Option<f32> {
        format!(" {element}")
            .split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    }

    /// Rasterises the QR path (as this module writes it) and reads it back with a decoder.
    fn decode_qr(svg: &str) -> Option<String> {
        let d = svg
            .split("<path transform=\"scale(")
            .nth(1)?
            .split("d=\"")
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
    fn every_reason_has_documents_in_every_language() {
        for reason in ApplicationReason::ALL {
            let counts: Vec<usize> = Language::ALL
                .into_iter()
                .map(|language| {
                    let list = documents_to_bring(reason, language);
                    assert!(!list.is_empty(), "{reason} {language}");
                    assert!(list.iter().all(|d| !d.trim().is_empty()));
                    list.len()
                })
                .collect();
            assert!(counts.windows(2).all(|w| w[0] == w[1]), "{reason}");
        }
        let turkmen = documents_to_bring(ApplicationReason::FirstPassport, Language::Tk);
        assert!(turkmen[0].contains("raýatynyň pasporty"), "{turkmen:?}");
        assert!(turkmen.iter().any(|d| d.contains("harby bilet")));
    }

    #[test]
    fn a_child_brings_the_birth_certificate_and_the_guardian_consent() {
        for (language, birth, consent) in [
            (Language::Tk, "dogluş hakynda şahadatnama", "razylygy"),
            (Language::Ru, "Свидетельство о рождении", "согласие"),
            (Language::En, "birth certificate", "consent"),
        ] {
            let list = documents_to_bring(ApplicationReason::ChildUnder16, language);
            assert!(list.iter().any(|d| d.contains(birth)), "{list:?}");
            assert!(list.iter().any(|d| d.contains(consent)), "{list:?}");
            // No military registration and no fee for a child.
            assert_eq!(list.len(), 6);
        }
        let en = documents_to_bring(ApplicationReason::ChildUnder16, Language::En);
        assert!(!en
            .iter()
            .any(|d| d.contains("military") || d.contains("fee")));
    }

    #[test]
    fn each_reason_asks_for_what_proves_it() {
        let en = |reason| documents_to_bring(reason, Language::En).join("\n");
        assert!(en(ApplicationReason::Lost).contains("from the police"));
        assert!(en(ApplicationReason::Damaged).contains("damaged international passport"));
        assert!(en(ApplicationReason::PersonalDataChanged).contains("marriage"));
        for reason in [
            ApplicationReason::RenewalExpiring,
            ApplicationReason::RenewalExpired,
            ApplicationReason::PersonalDataChanged,
        ] {
            assert!(en(reason).contains("previous international passport"));
        }
        assert!(!en(ApplicationReason::FirstPassport).contains("previous"));
        let ru = documents_to_bring(ApplicationReason::Lost, Language::Ru).join("\n");
        assert!(ru.contains("об утере"), "{ru}");
    }

    #[test]
    fn the_receipt_is_one_well_formed_svg_page() {
        let number = number();
        for language in Language::ALL {
            let svg = receipt_svg(&facts(&number, "Öwezgeldiýewa Aýna", language));
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.ends_with("</svg>"));
            assert_eq!(svg.matches("<svg").count(), 1);
            assert_eq!(
                svg.matches("<text ").count(),
                svg.matches("</text>").count()
            );
            assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
            assert!(svg.contains("viewBox=\"0 0 420 595\""), "{svg}");
            assert!(svg.contains(&format!("lang=\"{}\"", language.code())));
            let words = texts(&svg).join(" ");
            assert!(words.contains(&number));
            assert!(words.contains(&ApplicationStatus::Submitted.label(language)));
            assert!(words.contains(&ApplicationReason::PersonalDataChanged.label(language)));
            assert!(words.contains("OWEZGELDIYEWA AYNA"));
            // 16:39 UTC is 21:39 in Ashgabat.
            assert!(words.contains("26.11.2026 21:39"), "{words}");
            assert!(words.contains("60,00 TMT"));
            assert!(words.contains("4111 11** **** 1111"));
            for document in documents_to_bring(ApplicationReason::PersonalDataChanged, language) {
                let first_word = document.split_whitespace().next().unwrap_or_default();
                assert!(words.contains(first_word), "{document}");
            }
        }
        let tk = texts(&receipt_svg(&facts(&number, "Aýna", Language::Tk))).join(" ");
        assert!(tk.contains("Nobat — Döwlet migrasiýa gullugy"));
        assert!(tk.contains("Halkara pasporty üçin arza"));
        assert!(tk.contains("«Arzany yzarla»"));
        let en = texts(&receipt_svg(&facts(&number, "Aýna", Language::En))).join(" ");
        assert!(en.contains("“Track application”"));
        assert!(en.contains("date of birth"));
    }

    #[test]
    fn everything_in_the_receipt_is_escaped() {
        let svg = receipt_svg(&ReceiptFacts {
            branch_name: "Bölüm \"A\" & 'B'",
            printed_name: "O<NEIL>",
            ..facts("P-26-<&>", "O'Neil & <Sons> \"Ltd\"", Language::En)
        });
        assert!(svg.contains("O&apos;Neil &amp; &lt;Sons&gt; &quot;Ltd&quot;"));
        assert!(svg.contains("O&lt;NEIL&gt;"));
        assert!(!svg.contains("<Sons>"));
        assert!(!svg.contains("<NEIL>"));
        for (i, _) in svg.match_indices('&') {
            let rest = &svg[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|entity| rest.starts_with(entity)),
                "raw & at {i}: {}",
                &rest[..rest.len().min(20)]
            );
        }
        // Every '<' opens a tag or closes one: nothing of the data leaks into the markup.
        for piece in svg.split('<').skip(1) {
            let name: String = piece
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            assert!(
                ["svg", "title", "rect", "text", "line", "g", "path"].contains(&name.as_str()),
                "{piece}"
            );
        }
    }

    #[test]
    fn the_qr_code_reads_back_as_the_number() {
        let number = number();
        let svg = receipt_svg(&facts(&number, "Aýna", Language::Ru));
        assert_eq!(decode_qr(&svg).as_deref(), Some(number.as_str()));
        // An application number fits a 21-module code, drawn at the largest module.
        assert!(svg.contains("<path transform=\"scale(3)\""));
    }

    #[test]
    fn nothing_runs_off_the_page() {
        let number = number();
        let long_name = "Öwezgeldiýewa-Annamuhammedowa Ogulbabek Gurbanmyradowna \
                         Gyzylgaýaly-Beýikgurbanmämmedowa";
        for language in Language::ALL {
            for reason in ApplicationReason::ALL {
                for status in ApplicationStatus::ALL {
                    let svg = receipt_svg(&ReceiptFacts {
                        reason,
                        status,
                        branch_name: "Daşoguz welaýatynyň Görogly etrabynyň migrasiýa bölümi \
                                      (Görogly şäheri, Magtymguly köçesi, 12)",
                        printed_name: "OWEZGELDIYEWA-ANNAMUHAMMEDOWA OGULBABEK GURBANMYRADOWNA",
                        ..facts(&number, long_name, language)
                    });
                    let height = svg
                        .split("viewBox=\"0 0 420 ")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .and_then(|h| h.parse::<f32>().ok())
                        .unwrap_or_default();
                    assert!(height >= 595.0);
                    for element in svg.split("<text ").skip(1) {
                        let (tag, rest) = element.split_once('>').unwrap_or_default();
                        let content = unescape(rest.split("</text>").next().unwrap_or_default());
                        let x = attribute(tag, "x").unwrap_or_default();
                        let y = attribute(tag, "y").unwrap_or_default();
                        let size = attribute(tag, "font-size").unwrap_or_default();
                        let width = content.chars().count() as f32 * CHAR_EM * size;
                        let (start, end) = if tag.contains("text-anchor=\"middle\"") {
                            (x - width / 2.0, x + width / 2.0)
                        } else {
                            (x, x + width)
                        };
                        assert!(
                            start >= 16.0 && end <= 404.0,
                            "{language} {reason}: {content:?} spans {start}..{end}"
                        );
                        assert!(y > size && y < height - 8.0, "{content:?} at {y}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_draft_without_a_fee_or_card_says_so() {
        let number = number();
        let svg = receipt_svg(&ReceiptFacts {
            status: ApplicationStatus::Draft,
            reason: ApplicationReason::ChildUnder16,
            submitted_at: None,
            fee: Money::ZERO,
            masked_pan: None,
            ..facts(&number, "Amanow Döwlet", Language::Tk)
        });
        let words = texts(&svg).join(" ");
        assert!(words.contains("Heniz iberilmedi"));
        assert!(words.contains("Tölenmeýär (boşadylan)"));
        assert!(!words.contains("Kart bilen"));
        assert!(words.contains("dogluş hakynda şahadatnamasy"));
        assert!(words.contains("Garalama"));
    }

    #[test]
    fn the_status_message_names_the_number_the_status_and_the_note() {
        let number = number();
        for language in Language::ALL {
            for status in ApplicationStatus::ALL {
                let (subject, body) = status_message(
                    &number,
                    status,
                    "  Bring the <original> & a copy ",
                    language,
                );
                assert!(subject.contains(&number), "{subject}");
                assert!(body.contains(&number), "{body}");
                assert!(body.contains("Bring the <original> & a copy"), "{body}");
                assert!(body.contains(&status.next_step(language)));
                if status != ApplicationStatus::Ready {
                    assert!(subject.contains(&status.label(language)));
                    assert!(body.contains(&status.label(language)));
                }
            }
            let (_, body) = status_message(&number, ApplicationStatus::UnderReview, " ", language);
            assert!(!body.contains(": \n") && !body.contains("Note"), "{body}");
        }
        let (subject, body) = status_message(
            &number,
            ApplicationStatus::NeedsAction,
            "Täze surat",
            Language::Tk,
        );
        assert!(subject.contains("Hereket gerek"));
        assert!(body.contains("Bellik: Täze surat"));
        let (subject, body) = status_message(&number, ApplicationStatus::Ready, "", Language::En);
        assert!(subject.contains("ready to collect"), "{subject}");
        assert!(body.contains("ready to collect at the branch you chose"));
        assert!(body.contains("Book a pickup time"));
        let (_, body) = status_message(&number, ApplicationStatus::Ready, "", Language::Ru);
        assert!(body.contains("Запишитесь на время получения"));
        assert!(body.contains("получить в выбранном отделе"));
    }
}
