//! International passport applications (DESIGN.md §2, "Passport applications"; issue 7): the
//! statuses an application goes through, the reasons for applying and what each one asks for,
//! the name as it will print in the passport (ICAO 9303 transliteration and the MRZ name field),
//! the application number, the photo rules, the state fee, and the wire form of an application
//! with the parser that turns it into an [`Application`] or reports every invalid field.
//!
//! Like the rest of the crate, nothing here does I/O or reads the clock: "today" is passed in,
//! photo checks work on bytes and numbers the caller has already read.

use crate::booking::FieldErrors;
use crate::catalog::Code;
use crate::identity::{
    parse_iso_date, DateOfBirth, DateOfBirthError, Email, EmailError, PassportNumber,
    PassportNumberError, PersonName, PersonNameError, PhoneNumber, PhoneNumberError,
};
use crate::{Language, Localized, Money, Region};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Picks the text in `language` out of the three.
fn pick(language: Language, tk: String, ru: String, en: String) -> String {
    match language {
        Language::Tk => tk,
        Language::Ru => ru,
        Language::En => en,
    }
}

/// A character as it can be shown inside a message (control characters escaped).
fn shown(c: char) -> String {
    c.escape_debug().to_string()
}

/// Children below this age (in full years on the application date) apply with a parent's or
/// guardian's consent and pay no fee.
pub const CHILD_AGE_LIMIT: u32 = 16;

// ---------------------------------------------------------------------------------------------
// Status

/// Where an application is in its life:
///
/// ```text
/// draft ─► submitted ─► under_review ─► in_production ─► ready ─► issued
///                          │    ▲
///                          │    └── needs_action (the citizen brings or corrects something)
///                          └──► rejected (with a reason)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Saved by the citizen, not yet paid (or confirmed exempt).
    Draft,
    /// Paid or exempt: received by the migration service.
    Submitted,
    UnderReview,
    /// The citizen must bring or correct something; the note says what.
    NeedsAction,
    InProduction,
    /// Ready to collect at the chosen branch.
    Ready,
    /// Handed over to the citizen.
    Issued,
    /// Refused; the note gives the reason.
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        ApplicationStatus::Draft,
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::NeedsAction,
        ApplicationStatus::InProduction,
        ApplicationStatus::Ready,
        ApplicationStatus::Issued,
        ApplicationStatus::Rejected,
    ];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::NeedsAction => "needs_action",
            ApplicationStatus::InProduction => "in_production",
            ApplicationStatus::Ready => "ready",
            ApplicationStatus::Issued => "issued",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether an application in this status may move to `next`. Nothing else is possible.
    pub fn can_become(self, next: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Submitted, UnderReview)
                | (UnderReview, InProduction | NeedsAction | Rejected)
                | (NeedsAction, UnderReview)
                | (InProduction, Ready)
                | (Ready, Issued)
        )
    }

    /// The statuses this one may move to, in [`ApplicationStatus::ALL`] order (the staff
    /// console's buttons).
    pub fn next_statuses(self) -> Vec<ApplicationStatus> {
        Self::ALL
            .into_iter()
            .filter(|&next| self.can_become(next))
            .collect()
    }

    /// Whether no status follows this one.
    pub fn is_terminal(self) -> bool {
        !Self::ALL.into_iter().any(|next| self.can_become(next))
    }

    /// Whether a move *to* this status must carry a note for the citizen: the reason of a
    /// rejection, or what to bring for `needs_action`.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Rejected | ApplicationStatus::NeedsAction
        )
    }

    /// Whether staff may make the move `self → next`: every allowed move except leaving a draft,
    /// which only the payment (or a confirmed exemption) does.
    pub fn staff_can_move_to(self, next: ApplicationStatus) -> bool {
        self != ApplicationStatus::Draft && self.can_become(next)
    }

    /// Checks a move with its note: forbidden moves are a conflict (409 at the edge), a missing
    /// note is a validation error (422).
    pub fn check_transition(
        self,
        next: ApplicationStatus,
        note: &str,
    ) -> Result<(), TransitionError> {
        if !self.can_become(next) {
            Err(TransitionError::Forbidden {
                from: self,
                to: next,
            })
        } else if next.needs_note() && note.trim().is_empty() {
            Err(TransitionError::NoteRequired { to: next })
        } else {
            Ok(())
        }
    }

    /// The status's name as the citizen and staff see it.
    pub fn label(self, language: Language) -> String {
        let text = match self {
            ApplicationStatus::Draft => Localized::new("Garalama", "Черновик", "Draft"),
            ApplicationStatus::Submitted => Localized::new("Kabul edildi", "Принято", "Submitted"),
            ApplicationStatus::UnderReview => {
                Localized::new("Seredilýär", "На рассмотрении", "Under review")
            }
            ApplicationStatus::NeedsAction => {
                Localized::new("Hereket gerek", "Требуются действия", "Action needed")
            }
            ApplicationStatus::InProduction => {
                Localized::new("Taýýarlanýar", "Изготавливается", "In production")
            }
            ApplicationStatus::Ready => {
                Localized::new("Taýýar", "Готов к выдаче", "Ready for collection")
            }
            ApplicationStatus::Issued => Localized::new("Gowşuryldy", "Выдан", "Issued"),
            ApplicationStatus::Rejected => Localized::new("Ret edildi", "Отказано", "Rejected"),
        };
        text.get(language).to_owned()
    }

    /// What the citizen should do now, for the tracking page and the status-change message.
    pub fn next_step(self, language: Language) -> String {
        let text = match self {
            ApplicationStatus::Draft => Localized::new(
                "Arzany doldurmagy tamamlaň we ony ibermek üçin döwlet pajyny tölaň.",
                "Заполните заявление до конца и оплатите госпошлину, чтобы подать его.",
                "Finish filling in the application and pay the state fee to submit it.",
            ),
            ApplicationStatus::Submitted => Localized::new(
                "Arzaňyz kabul edildi. Häzir hiç zat etmek gerek däl: ýagdaýy üýtgände size SMS \
                 iberiler.",
                "Заявление принято. Пока ничего делать не нужно: при смене статуса вы получите \
                 SMS.",
                "Your application has been received. There is nothing to do for now: you will get \
                 an SMS when its status changes.",
            ),
            ApplicationStatus::UnderReview => Localized::new(
                "Arzaňyza seredilýär. Häzirlikçe hiç zat etmek gerek däl; bir zat gerek bolsa, \
                 size SMS ibereris.",
                "Заявление рассматривается. Пока ничего делать не нужно; если что-то \
                 потребуется, мы сообщим по SMS.",
                "Your application is being reviewed. There is nothing to do for now; we will send \
                 you an SMS if anything is needed.",
            ),
            ApplicationStatus::NeedsAction => Localized::new(
                "Bir zat ýetmeýär: aşakdaky belligi okaň we gerek zady saýlan bölümiňize getiriň \
                 ýa-da düzediň. Şondan soň arza seretmek dowam eder.",
                "Чего-то не хватает: прочитайте примечание ниже и принесите или исправьте \
                 нужное в выбранном отделе. После этого рассмотрение продолжится.",
                "Something is missing: read the note below and bring or correct it at the branch \
                 you chose. The review continues after that.",
            ),
            ApplicationStatus::InProduction => Localized::new(
                "Pasportyňyz taýýarlanýar. Hiç zat etmek gerek däl; taýýar bolanda size SMS \
                 ibereris.",
                "Паспорт изготавливается. Ничего делать не нужно; когда он будет готов, мы \
                 пришлём SMS.",
                "Your passport is being made. There is nothing to do; we will send you an SMS \
                 when it is ready.",
            ),
            ApplicationStatus::Ready => Localized::new(
                "Pasportyňyz taýýar. Almak üçin wagt belläň we saýlan bölümiňize içerki \
                 pasportyňyz (bar bolsa, köne daşary ýurt pasportyňyz hem) bilen geliň.",
                "Паспорт готов. Запишитесь на время получения и приходите в выбранный отдел с \
                 внутренним паспортом (и прежним заграничным паспортом, если он есть).",
                "Your passport is ready. Book a time to collect it and come to the branch you \
                 chose with your internal passport (and your previous international passport, if \
                 you have one).",
            ),
            ApplicationStatus::Issued => Localized::new(
                "Pasportyňyz gowşuryldy. Başga hiç zat etmek gerek däl.",
                "Паспорт выдан. Больше ничего делать не нужно.",
                "Your passport has been handed over. There is nothing more to do.",
            ),
            ApplicationStatus::Rejected => Localized::new(
                "Arzaňyz ret edildi: sebäbini aşakda okaň. Sebäbi aradan aýrylandan soň täzeden \
                 arza berip bilersiňiz.",
                "В заявлении отказано: причина указана ниже. Вы можете подать заявление снова, \
                 когда причина будет устранена.",
                "Your application was rejected: the reason is below. You may apply again once it \
                 has been dealt with.",
            ),
        };
        text.get(language).to_owned()
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// The state machine has no such move.
    Forbidden {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    /// `rejected` and `needs_action` must say why or what to bring.
    NoteRequired { to: ApplicationStatus },
}

impl TransitionError {
    pub fn message(&self, language: Language) -> String {
        match self {
            TransitionError::Forbidden { from, to } => {
                let (from, to) = (from.label(language), to.label(language));
                pick(
                    language,
                    format!("arzany «{from}» ýagdaýyndan «{to}» ýagdaýyna geçirip bolmaýar"),
                    format!("заявление нельзя перевести из статуса «{from}» в «{to}»"),
                    format!("an application cannot go from “{from}” to “{to}”"),
                )
            }
            TransitionError::NoteRequired { to } => {
                if *to == ApplicationStatus::Rejected {
                    pick(
                        language,
                        "ret etmegiň sebäbini ýazyň".into(),
                        "укажите причину отказа".into(),
                        "write the reason for the rejection".into(),
                    )
                } else {
                    pick(
                        language,
                        "raýatyň näme getirmelidigini ýa-da düzetmelidigini ýazyň".into(),
                        "укажите, что гражданин должен принести или исправить".into(),
                        "write what the citizen must bring or correct".into(),
                    )
                }
            }
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for TransitionError {}

// ---------------------------------------------------------------------------------------------
// Reasons

/// Why the citizen applies for an international passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationReason {
    FirstPassport,
    /// The current passport expires soon.
    RenewalExpiring,
    /// The current passport has expired.
    RenewalExpired,
    Lost,
    Damaged,
    /// Surname, name or other printed data changed (e.g. after marriage).
    PersonalDataChanged,
    /// A child under 16, applied for by a parent or guardian.
    #[serde(rename = "child_under_16")]
    ChildUnder16,
}

/// Whether a reason asks for the previous international passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviousPassportRule {
    /// The citizen has it in hand and surrenders it: number and issue date are required.
    Required,
    /// Asked if known (a lost passport, a child's earlier passport), checked when given.
    Optional,
    /// There is none (first passport); anything sent is ignored.
    NotAsked,
}

impl ApplicationReason {
    pub const ALL: [ApplicationReason; 7] = [
        ApplicationReason::FirstPassport,
        ApplicationReason::RenewalExpiring,
        ApplicationReason::RenewalExpired,
        ApplicationReason::Lost,
        ApplicationReason::Damaged,
        ApplicationReason::PersonalDataChanged,
        ApplicationReason::ChildUnder16,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationReason::FirstPassport => "first_passport",
            ApplicationReason::RenewalExpiring => "renewal_expiring",
            ApplicationReason::RenewalExpired => "renewal_expired",
            ApplicationReason::Lost => "lost",
            ApplicationReason::Damaged => "damaged",
            ApplicationReason::PersonalDataChanged => "personal_data_changed",
            ApplicationReason::ChildUnder16 => "child_under_16",
        }
    }

    pub fn parse(code: &str) -> Option<ApplicationReason> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn label(self, language: Language) -> String {
        let text = match self {
            ApplicationReason::FirstPassport => Localized::new(
                "Ilkinji gezek pasport almak",
                "Первичное получение паспорта",
                "First passport",
            ),
            ApplicationReason::RenewalExpiring => Localized::new(
                "Möhleti gutarýan pasporty çalyşmak",
                "Замена паспорта, срок действия которого истекает",
                "Renewal: the passport is about to expire",
            ),
            ApplicationReason::RenewalExpired => Localized::new(
                "Möhleti gutaran pasporty çalyşmak",
                "Замена паспорта с истёкшим сроком действия",
                "Renewal: the passport has expired",
            ),
            ApplicationReason::Lost => {
                Localized::new("Pasport ýitirildi", "Утеря паспорта", "Lost passport")
            }
            ApplicationReason::Damaged => Localized::new(
                "Pasport zaýalandy",
                "Повреждение паспорта",
                "Damaged passport",
            ),
            ApplicationReason::PersonalDataChanged => Localized::new(
                "Şahsy maglumatlar üýtgedi",
                "Изменение личных данных",
                "Change of personal data",
            ),
            ApplicationReason::ChildUnder16 => Localized::new(
                "16 ýaşa ýetmedik çaga",
                "Ребёнок до 16 лет",
                "Child under 16",
            ),
        };
        text.get(language).to_owned()
    }

    /// Renewals, a damaged passport and a change of data replace a passport the citizen still
    /// holds, so its number and issue date are required.
    pub fn previous_passport(self) -> PreviousPassportRule {
        match self {
            ApplicationReason::RenewalExpiring
            | ApplicationReason::RenewalExpired
            | ApplicationReason::Damaged
            | ApplicationReason::PersonalDataChanged => PreviousPassportRule::Required,
            ApplicationReason::Lost | ApplicationReason::ChildUnder16 => {
                PreviousPassportRule::Optional
            }
            ApplicationReason::FirstPassport => PreviousPassportRule::NotAsked,
        }
    }

    /// Whether a parent's or guardian's data and consent are needed.
    pub fn needs_guardian(self) -> bool {
        self == ApplicationReason::ChildUnder16
    }
}

impl fmt::Display for ApplicationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How the adult applying for a child is related to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GuardianRelation {
    Mother,
    Father,
    /// A legal guardian or trustee appointed by the authorities.
    Guardian,
}

impl GuardianRelation {
    pub const ALL: [GuardianRelation; 3] = [
        GuardianRelation::Mother,
        GuardianRelation::Father,
        GuardianRelation::Guardian,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GuardianRelation::Mother => "mother",
            GuardianRelation::Father => "father",
            GuardianRelation::Guardian => "guardian",
        }
    }

    pub fn parse(code: &str) -> Option<GuardianRelation> {
        let code = code.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, language: Language) -> String {
        let text = match self {
            GuardianRelation::Mother => Localized::new("Ejesi", "Мать", "Mother"),
            GuardianRelation::Father => Localized::new("Kakasy", "Отец", "Father"),
            GuardianRelation::Guardian => Localized::new("Hossary", "Опекун", "Legal guardian"),
        };
        text.get(language).to_owned()
    }
}

/// The sex printed in the passport and its MRZ (`M` or `F`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sex {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
}

impl Sex {
    /// `M` or `F`, as in the MRZ.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }

    /// `M` or `F`, either case.
    pub fn parse(code: &str) -> Option<Sex> {
        match code.trim() {
            "M" | "m" => Some(Sex::Male),
            "F" | "f" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn label(self, language: Language) -> String {
        let text = match self {
            Sex::Male => Localized::new("Erkek", "Мужской", "Male"),
            Sex::Female => Localized::new("Aýal", "Женский", "Female"),
        };
        text.get(language).to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Transliteration (ICAO Doc 9303)

/// The Latin spelling of one upper-case letter that is not plain A–Z, after ICAO Doc 9303
/// (8th ed.), Part 3, §6 "Transliterations recommended for use by States": Table A for Latin
/// letters with diacritics, Table B for Cyrillic. `Some("")` means the letter is dropped (the
/// Russian soft sign); `None` means the table does not know it.
///
/// Turkmen Latin (Table A):  Ç→C  Ş→S  Ž→Z  Ň→N  Ý→Y  Ä→AE  Ö→OE  Ü→UE
/// Russian Cyrillic (Table B): А→A Б→B В→V Г→G Д→D Е→E Ё→E Ж→ZH З→Z И→I Й→I К→K Л→L М→M
///   Н→N О→O П→P Р→R С→S Т→T У→U Ф→F Х→KH Ц→TS Ч→CH Ш→SH Щ→SHCH Ъ→IE Ы→Y Ь→(none) Э→E
///   Ю→IU Я→IA; and from the same table І→I Ї→I Є→IE Ґ→G Ў→U.
/// The old Turkmen Cyrillic letters Ә Ө Ү Ң Җ are not in Table B: they are spelled through their
/// Turkmen Latin counterparts Ä Ö Ü Ň J, which is how Turkmen passports have rendered them.
fn icao_letter(upper: char) -> Option<&'static str> {
    Some(match upper {
        // Table A: Latin letters with diacritics. Where ICAO offers a choice (Ä: AE or A,
        // Ö: OE or O, Ü: UE, UXX or U), the two-letter form is used, as Turkmen passports do.
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Ä' | 'Æ' => "AE",
        'Å' => "AA",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'Ď' | 'Đ' | 'Ð' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ĥ' | 'Ħ' => "H",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'Ĳ' => "IJ",
        'Ĵ' => "J",
        'Ķ' => "K",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
        'Þ' => "TH",
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ü' => "UE",
        'Ŵ' => "W",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        // Table B: Cyrillic.
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' | 'Ґ' => "G",
        'Д' => "D",
        'Е' | 'Ё' | 'Э' => "E",
        'Ж' => "ZH",
        'З' => "Z",
        'И' | 'Й' | 'І' | 'Ї' => "I",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' | 'Ў' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Ц' => "TS",
        'Ч' => "CH",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ъ' | 'Є' => "IE",
        'Ы' => "Y",
        'Ь' => "",
        'Ю' => "IU",
        'Я' => "IA",
        // Turkmen Cyrillic, through Turkmen Latin (see above).
        'Ә' => "AE",
        'Ө' => "OE",
        'Ү' => "UE",
        'Ң' => "N",
        'Җ' => "J",
        _ => return None,
    })
}

const COMBINING_DIAERESIS: char = '\u{308}';

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// Transliterates `text`, reporting the first letter the tables do not know.
fn transliterate(text: &str) -> Result<String, char> {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut last_base: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            last_base = None;
            continue;
        }
        let piece: String = if is_combining_mark(c) {
            // A decomposed letter (NFD): the base is already written; only the diaeresis of
            // A, O and U changes the spelling (Ä → AE), every other mark is dropped like the
            // diacritics of Table A.
            match last_base {
                Some('A' | 'O' | 'U') if c == COMBINING_DIAERESIS => "E".into(),
                _ => String::new(),
            }
        } else if matches!(c, '-' | '\u{2010}' | '\u{2011}') {
            "-".into()
        } else if c.is_alphabetic() {
            let mut spelled = String::new();
            for upper in c.to_uppercase() {
                if upper.is_ascii_uppercase() {
                    spelled.push(upper);
                } else {
                    spelled.push_str(icao_letter(upper).ok_or(c)?);
                }
            }
            spelled
        } else {
            // Apostrophes, digits and punctuation have no place in a printed name.
            String::new()
        };
        last_base = c.to_uppercase().next().filter(char::is_ascii_uppercase);
        if piece.is_empty() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push_str(&piece);
    }
    Ok(out)
}

/// A name as it prints in the visual zone of a passport (ICAO Doc 9303 Part 3 §6): upper-case
/// A–Z, with the name's single spaces and hyphens kept. Turkmen letters follow Table A
/// (Ç→C, Ş→S, Ž→Z, Ň→N, Ý→Y, Ä→AE, Ö→OE, Ü→UE), Cyrillic follows Table B (Ж→ZH, Х→KH, Ц→TS,
/// Ч→CH, Ш→SH, Щ→SHCH, Ы→Y, Ъ→IE, Ь dropped, Э→E, Ю→IU, Я→IA, Й→I, Ё→E). Apostrophes, digits,
/// punctuation and letters of other scripts are dropped.
///
/// `Öwezgeldiýewa Aýna-Jemal` → `OEWEZGELDIYEWA AYNA-JEMAL`; `Щукина Юлия` → `SHCHUKINA IULIIA`.
pub fn icao_transliterate(turkmen_latin: &str) -> String {
    // Unknown letters are filtered out first, so that what remains always transliterates.
    let known: String = turkmen_latin
        .chars()
        .filter(|&c| {
            !c.is_alphabetic()
                || c.to_uppercase()
                    .all(|u| u.is_ascii_uppercase() || icao_letter(u).is_some())
        })
        .collect();
    transliterate(&known).unwrap_or_default()
}

/// The length of the name field of a passport's MRZ (TD3, line 1, positions 6-44).
pub const MRZ_NAME_LENGTH: usize = 39;

/// The name field of a passport's machine-readable zone (ICAO Doc 9303 Part 4, TD3): the primary
/// identifier (surname), `<<`, the secondary identifier (given names) with `<` between names,
/// filled with `<` to 39 characters and cut at 39 when longer. Spaces and hyphens become `<`;
/// anything else that is not A–Z after transliteration is left out.
///
/// `mrz_name("Amanow", "Merdan")` → `AMANOW<<MERDAN<<<<<<<<<<<<<<<<<<<<<<<<<`.
pub fn mrz_name(surname: &str, given: &str) -> String {
    let field = |name: &str| -> String {
        icao_transliterate(name)
            .chars()
            .map(|c| if c.is_ascii_uppercase() { c } else { '<' })
            .collect()
    };
    let surname = field(surname);
    let given = field(given);
    let mut mrz = if given.is_empty() {
        surname
    } else {
        format!("{surname}<<{given}")
    };
    mrz.truncate(MRZ_NAME_LENGTH);
    while mrz.len() < MRZ_NAME_LENGTH {
        mrz.push('<');
    }
    mrz
}

/// A surname or given names as they will print in the passport: upper-case A–Z, single spaces
/// and hyphens, beginning and ending with a letter. The domain proposes it by transliterating the
/// name ([`PrintedName::from_name`]); the citizen may correct it ([`PrintedName::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "OEWEZGELDIYEWA"))]
#[serde(transparent)]
pub struct PrintedName(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintedNameError {
    Empty,
    /// Not a Latin letter A–Z, a space or a hyphen.
    InvalidCharacter(char),
    /// Begins or ends with a hyphen.
    NotLetterAtEdge,
    TooLong {
        max: usize,
    },
    /// The name has a letter the transliteration tables do not know (e.g. Chinese).
    NotTransliterable(char),
}

impl PrintedName {
    /// Transliteration can make a name longer than it was (Щ → SHCH).
    pub const MAX_CHARS: usize = 80;

    /// The citizen's own spelling: Latin letters A–Z in either case, spaces and hyphens.
    pub fn parse(raw: &str) -> Result<PrintedName, PrintedNameError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(PrintedNameError::Empty);
        }
        if let Some(c) = name
            .chars()
            .find(|&c| !(c.is_ascii_alphabetic() || c == ' ' || c == '-'))
        {
            return Err(PrintedNameError::InvalidCharacter(c));
        }
        Self::finish(name.to_ascii_uppercase())
    }

    /// The proposed spelling of a name, by [`icao_transliterate`].
    pub fn from_name(name: &PersonName) -> Result<PrintedName, PrintedNameError> {
        let spelled = transliterate(name.as_str()).map_err(PrintedNameError::NotTransliterable)?;
        if !spelled.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(PrintedNameError::Empty);
        }
        // A hyphen left at an edge by a dropped apostrophe (`'-A`) is not worth an error.
        Self::finish(spelled.trim_matches(['-', ' ']).to_owned())
    }

    fn finish(name: String) -> Result<PrintedName, PrintedNameError> {
        if name.starts_with('-') || name.ends_with('-') {
            return Err(PrintedNameError::NotLetterAtEdge);
        }
        if name.is_empty() {
            return Err(PrintedNameError::Empty);
        }
        if name.len() > Self::MAX_CHARS {
            return Err(PrintedNameError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(PrintedName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PrintedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PrintedName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        PrintedName::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl PrintedNameError {
    pub fn message(&self, language: Language) -> String {
        match self {
            PrintedNameError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            PrintedNameError::InvalidCharacter(c) => pick(
                language,
                format!(
                    "diňe latyn harplaryndan (A–Z), boşluklardan we defislerden ybarat bolmaly \
                     («{}» nädogry belgi)",
                    shown(*c)
                ),
                format!(
                    "может содержать только латинские буквы (A–Z), пробелы и дефисы \
                     (недопустимый знак «{}»)",
                    shown(*c)
                ),
                format!(
                    "may contain only Latin letters A–Z, spaces and hyphens (found '{}')",
                    shown(*c)
                ),
            ),
            PrintedNameError::NotLetterAtEdge => pick(
                language,
                "harp bilen başlanmaly we gutarmaly".into(),
                "должно начинаться и заканчиваться буквой".into(),
                "must begin and end with a letter".into(),
            ),
            PrintedNameError::TooLong { max } => pick(
                language,
                format!("iň köp {max} belgi bolup biler"),
                format!("не более {max} символов"),
                format!("must be at most {max} characters long"),
            ),
            PrintedNameError::NotTransliterable(c) => pick(
                language,
                format!(
                    "«{}» harpyny latyn harplary bilen ýazyp bolmady: adyň pasportda nähili \
                     ýazyljakdygyny özüňiz giriziň",
                    shown(*c)
                ),
                format!(
                    "букву «{}» не удалось записать латиницей: введите, как имя будет \
                     напечатано в паспорте",
                    shown(*c)
                ),
                format!(
                    "the letter '{}' has no Latin spelling here: type the name as it should \
                     print in the passport",
                    shown(*c)
                ),
            ),
        }
    }
}

impl fmt::Display for PrintedNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for PrintedNameError {}

// ---------------------------------------------------------------------------------------------
// Application number

/// The symbols of an application number's middle part: digits and capitals without the
/// look-alikes 0/O, 1/I/L.
const NUMBER_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const NUMBER_RADIX: u64 = 31;
const NUMBER_SYMBOLS: usize = 4;
/// 31^4 = 923 521 numbers a year.
const NUMBER_SPACE: u64 = NUMBER_RADIX.pow(NUMBER_SYMBOLS as u32);

/// An application's public number, `P-26-4K7Q-93`: `P` (passport), the two-digit year, four
/// symbols easy to read aloud (no 0/O, 1/I/L), and two check digits.
///
/// The check digits are ISO 7064 MOD 97-10 over the value of year and symbols read as one
/// number (the year times 31⁴ plus the symbols in base 31), as IBANs do over their digits. Since
/// 97 is prime and divides no power of 31 nor any difference of two symbols (or two adjacent
/// symbols swapped, a multiple of 30), every single mistyped symbol and every swap of two
/// neighbouring symbols fails the check, and a mistyped check digit does too.
///
/// The number is not a secret: tracking also asks for the date of birth.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = "P-26-4K7Q-93"))]
#[serde(transparent)]
pub struct ApplicationNumber(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationNumberError {
    Empty,
    /// Not `P`, two digits, four symbols and two digits (9 characters without dashes).
    Format,
    /// `0`, `O`, `1`, `I` or `L` among the four symbols: never part of a number.
    LookAlike(char),
    InvalidCharacter(char),
    /// Well formed, but the check digits do not match: a typo.
    CheckDigits,
}

/// ISO 7064 MOD 97-10 check digits of `value`: `(value · 100 + check) mod 97 = 1`.
fn check_digits(value: u64) -> u64 {
    98 - (value % 97) * 100 % 97
}

fn number_value(year: u64, symbols: &[usize]) -> u64 {
    symbols
        .iter()
        .fold(year, |value, &index| value * NUMBER_RADIX + index as u64)
}

impl ApplicationNumber {
    /// A number for an application made in `year` (its last two digits), its symbols taken from
    /// `random`; the caller supplies the randomness and retries on the collision the database
    /// reports (there are 923 521 numbers a year).
    pub fn from_random(year: i32, random: u64) -> ApplicationNumber {
        let year = u64::from(year.rem_euclid(100).unsigned_abs());
        let mut rest = random % NUMBER_SPACE;
        let mut symbols = [0usize; NUMBER_SYMBOLS];
        for slot in symbols.iter_mut().rev() {
            *slot = (rest % NUMBER_RADIX) as usize;
            rest /= NUMBER_RADIX;
        }
        Self::assemble(year, &symbols)
    }

    fn assemble(year: u64, symbols: &[usize]) -> ApplicationNumber {
        let check = check_digits(number_value(year, symbols));
        let body: String = symbols
            .iter()
            .map(|&i| char::from(NUMBER_ALPHABET[i % NUMBER_ALPHABET.len()]))
            .collect();
        ApplicationNumber(format!("P-{year:02}-{body}-{check:02}"))
    }

    /// Accepts lower case, any dashes and spaces (`p 26 4k7q 93`, `P264K7Q93`). In the year and
    /// the check digits, `O` is read as 0 and `I`/`L` as 1.
    pub fn parse(raw: &str) -> Result<ApplicationNumber, ApplicationNumberError> {
        let compact: Vec<char> = raw
            .chars()
            .filter(|&c| !c.is_whitespace() && c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(ApplicationNumberError::Empty);
        }
        if let Some(&c) = compact.iter().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(ApplicationNumberError::InvalidCharacter(c));
        }
        if compact.len() != 9 || compact[0] != 'P' {
            return Err(ApplicationNumberError::Format);
        }
        let digit = |c: char| -> Result<u64, ApplicationNumberError> {
            let c = match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            c.to_digit(10)
                .map(u64::from)
                .ok_or(ApplicationNumberError::Format)
        };
        let year = digit(compact[1])? * 10 + digit(compact[2])?;
        let mut symbols = [0usize; NUMBER_SYMBOLS];
        for (slot, &c) in symbols.iter_mut().zip(&compact[3..7]) {
            if matches!(c, '0' | 'O' | '1' | 'I' | 'L') {
                return Err(ApplicationNumberError::LookAlike(c));
            }
            *slot = NUMBER_ALPHABET
                .iter()
                .position(|&s| char::from(s) == c)
                .ok_or(ApplicationNumberError::InvalidCharacter(c))?;
        }
        let check = digit(compact[7])? * 10 + digit(compact[8])?;
        if (number_value(year, &symbols) * 100 + check) % 97 != 1 {
            return Err(ApplicationNumberError::CheckDigits);
        }
        Ok(Self::assemble(year, &symbols))
    }

    /// The canonical text, `P-26-4K7Q-93`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit year the number was given in.
    pub fn year_suffix(&self) -> u32 {
        self.0
            .get(2..4)
            .and_then(|year| year.parse().ok())
            .unwrap_or_default()
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ApplicationNumber {
    type Err = ApplicationNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApplicationNumber::parse(s)
    }
}

impl<'de> Deserialize<'de> for ApplicationNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        ApplicationNumber::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl ApplicationNumberError {
    pub fn message(&self, language: Language) -> String {
        match self {
            ApplicationNumberError::Empty => pick(
                language,
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ),
            ApplicationNumberError::Format => pick(
                language,
                "arzanyň belgisi P-26-4K7Q-93 görnüşinde bolmaly".into(),
                "номер заявления должен иметь вид P-26-4K7Q-93".into(),
                "an application number looks like P-26-4K7Q-93".into(),
            ),
            ApplicationNumberError::LookAlike(c) => pick(
                language,
                format!(
                    "belginiň ortasyndaky dört belgide 0, O, 1, I we L ulanylmaýar («{}» \
                     tapyldy), ýene bir gezek barlaň",
                    shown(*c)
                ),
                format!(
                    "в четырёх знаках в середине номера не бывает 0, O, 1, I и L (найдено \
                     «{}»), проверьте ещё раз",
                    shown(*c)
                ),
                format!(
                    "the four symbols in the middle never contain 0, O, 1, I or L (found '{}'): \
                     check it again",
                    shown(*c)
                ),
            ),
            ApplicationNumberError::InvalidCharacter(c) => pick(
                language,
                format!(
                    "diňe harplardan we sifrlerden ybarat bolmaly, meselem, P-26-4K7Q-93 («{}» \
                     nädogry belgi)",
                    shown(*c)
                ),
                format!(
                    "может содержать только буквы и цифры, например P-26-4K7Q-93 \
                     (недопустимый знак «{}»)",
                    shown(*c)
                ),
                format!(
                    "may contain only letters and digits, such as P-26-4K7Q-93 (found '{}')",
                    shown(*c)
                ),
            ),
            ApplicationNumberError::CheckDigits => pick(
                language,
                "belgide ýalňyşlyk bar: ony kwitansiýadan ýene bir gezek göçüriň".into(),
                "в номере ошибка: перепишите его с квитанции ещё раз".into(),
                "this number has a typo: copy it from the receipt again".into(),
            ),
        }
    }
}

impl fmt::Display for ApplicationNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for ApplicationNumberError {}

// ---------------------------------------------------------------------------------------------
// Photo

/// What an uploaded file is, told by its first bytes (never by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Png,
    Other,
}

impl ImageFormat {
    /// The media type to store and serve the photo with; `None` for [`ImageFormat::Other`].
    pub fn mime(self) -> Option<&'static str> {
        match self {
            ImageFormat::Jpeg => Some("image/jpeg"),
            ImageFormat::Png => Some("image/png"),
            ImageFormat::Other => None,
        }
    }

    /// The file extension to store the photo under.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            ImageFormat::Jpeg => Some("jpg"),
            ImageFormat::Png => Some("png"),
            ImageFormat::Other => None,
        }
    }
}

/// 5 MiB.
pub const MAX_PHOTO_BYTES: u64 = 5 * 1024 * 1024;
pub const MIN_PHOTO_WIDTH: u32 = 600;
pub const MIN_PHOTO_HEIGHT: u32 = 800;
/// How far width:height may be from 3:4, in per cent of 3:4.
pub const PHOTO_ASPECT_TOLERANCE_PERCENT: u64 = 2;

const JPEG_MAGIC: [u8; 3] = [0xFF, 0xD8, 0xFF];
const PNG_MAGIC: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// What is wrong with a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Not a JPEG or PNG file (by content).
    NotJpegOrPng,
    TooLarge {
        bytes: u64,
        max: u64,
    },
    TooSmall {
        width: u32,
        height: u32,
    },
    /// Not 3:4 within ±2 %.
    WrongAspect {
        width: u32,
        height: u32,
    },
    /// A JPEG or PNG whose size in pixels could not be read: a damaged or truncated file.
    Unreadable,
}

/// Megabytes with one decimal, the decimal separator of `language`.
fn megabytes(bytes: u64, language: Language) -> String {
    let tenths = (bytes.saturating_mul(10) + 512 * 1024) / (1024 * 1024);
    let separator = if language == Language::En { '.' } else { ',' };
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

impl PhotoProblem {
    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            PhotoProblem::NotJpegOrPng => "not_jpeg_or_png",
            PhotoProblem::TooLarge { .. } => "too_large",
            PhotoProblem::TooSmall { .. } => "too_small",
            PhotoProblem::WrongAspect { .. } => "wrong_aspect",
            PhotoProblem::Unreadable => "unreadable",
        }
    }

    pub fn message(&self, language: Language) -> String {
        match *self {
            PhotoProblem::NotJpegOrPng => pick(
                language,
                "surat JPEG ýa-da PNG faýly bolmaly".into(),
                "фотография должна быть файлом JPEG или PNG".into(),
                "the photo must be a JPEG or PNG file".into(),
            ),
            PhotoProblem::TooLarge { bytes, max } => {
                let (size, limit) = (megabytes(bytes, language), megabytes(max, language));
                pick(
                    language,
                    format!("faýl gaty uly ({size} MB): iň köp {limit} MB bolup biler"),
                    format!("файл слишком большой ({size} МБ): допускается не более {limit} МБ"),
                    format!("the file is too large ({size} MB): the limit is {limit} MB"),
                )
            }
            PhotoProblem::TooSmall { width, height } => pick(
                language,
                format!(
                    "surat gaty kiçi ({width}×{height} piksel): azyndan \
                     {MIN_PHOTO_WIDTH}×{MIN_PHOTO_HEIGHT} piksel bolmaly"
                ),
                format!(
                    "фотография слишком маленькая ({width}×{height} пикселей): нужно не менее \
                     {MIN_PHOTO_WIDTH}×{MIN_PHOTO_HEIGHT}"
                ),
                format!(
                    "the photo is too small ({width}×{height} pixels): it must be at least \
                     {MIN_PHOTO_WIDTH}×{MIN_PHOTO_HEIGHT}"
                ),
            ),
            PhotoProblem::WrongAspect { width, height } => {
                let (w, h) = three_by_four_crop(width, height);
                pick(
                    language,
                    format!(
                        "suratyň ini bilen beýikligi 3:4 gatnaşykda bolmaly ({width}×{height} \
                         däl): ony {w}×{h} edip kesiň"
                    ),
                    format!(
                        "ширина и высота фотографии должны относиться как 3:4 (а не \
                         {width}×{height}): обрежьте её до {w}×{h}"
                    ),
                    format!(
                        "the photo must be 3 wide by 4 high (not {width}×{height}): crop it to \
                         {w}×{h}"
                    ),
                )
            }
            PhotoProblem::Unreadable => pick(
                language,
                "suratyň ölçegini okap bolmady: faýl zeper ýetendir, başga faýl saýlaň".into(),
                "не удалось прочитать размер фотографии: файл, возможно, повреждён, выберите \
                 другой"
                    .into(),
                "the photo's size could not be read: the file may be damaged, choose another"
                    .into(),
            ),
        }
    }
}

impl fmt::Display for PhotoProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for PhotoProblem {}

/// The largest 3:4 (portrait) box inside `width × height`: what a crop should keep.
pub fn three_by_four_crop(width: u32, height: u32) -> (u32, u32) {
    let (w, h) = (u64::from(width), u64::from(height));
    if 4 * w > 3 * h {
        // Too wide: keep the height.
        ((3 * h / 4) as u32, height)
    } else {
        (width, (4 * w / 3) as u32)
    }
}

/// Whether `width:height` is 3:4 within [`PHOTO_ASPECT_TOLERANCE_PERCENT`]: the ratio over 3/4
/// is within 1 ± 2 %, i.e. |4w − 3h| ≤ 3h · 2/100 (in integers, no rounding at the edges).
fn is_three_by_four(width: u32, height: u32) -> bool {
    let (w, h) = (i128::from(width), i128::from(height));
    (4 * w - 3 * h).abs() * 100 <= 3 * h * i128::from(PHOTO_ASPECT_TOLERANCE_PERCENT)
}

/// Checks a photo against the rules: JPEG or PNG, at most 5 MiB, at least 600×800 pixels, 3:4
/// within ±2 %. Every problem is reported (the size in pixels is not judged for other formats).
pub fn check_photo(
    format: ImageFormat,
    bytes_len: u64,
    width: u32,
    height: u32,
) -> Result<(), Vec<PhotoProblem>> {
    let mut problems = Vec::new();
    if format == ImageFormat::Other {
        problems.push(PhotoProblem::NotJpegOrPng);
    }
    if bytes_len > MAX_PHOTO_BYTES {
        problems.push(PhotoProblem::TooLarge {
            bytes: bytes_len,
            max: MAX_PHOTO_BYTES,
        });
    }
    if format != ImageFormat::Other {
        if width < MIN_PHOTO_WIDTH || height < MIN_PHOTO_HEIGHT {
            problems.push(PhotoProblem::TooSmall { width, height });
        }
        if width > 0 && height > 0 && !is_three_by_four(width, height) {
            problems.push(PhotoProblem::WrongAspect { width, height });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A photo's format and size in pixels, read from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Sniffs, measures and checks a whole uploaded file (already size-limited by the reader).
///
/// The size in pixels is the stored one: a phone's JPEG with an EXIF rotation may display
/// turned. The SPA crops and re-encodes on a canvas, which writes upright pixels.
pub fn inspect_photo(bytes: &[u8]) -> Result<PhotoInfo, Vec<PhotoProblem>> {
    let format = sniff_image(bytes);
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let dimensions = match format {
        ImageFormat::Jpeg => jpeg_dimensions(bytes),
        ImageFormat::Png => png_dimensions(bytes),
        ImageFormat::Other => Some((0, 0)),
    };
    let Some((width, height)) = dimensions else {
        let mut problems = vec![PhotoProblem::Unreadable];
        if len > MAX_PHOTO_BYTES {
            problems.push(PhotoProblem::TooLarge {
                bytes: len,
                max: MAX_PHOTO_BYTES,
            });
        }
        return Err(problems);
    };
    check_photo(format, len, width, height).map(|()| PhotoInfo {
        format,
        width,
        height,
    })
}

/// The format of a file by its magic number: JPEG starts `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`.
pub fn sniff_image(first_bytes: &[u8]) -> ImageFormat {
    if first_bytes.starts_with(&PNG_MAGIC) {
        ImageFormat::Png
    } else if first_bytes.starts_with(&JPEG_MAGIC) {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Other
    }
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Width and height from a PNG's header: the signature, then the IHDR chunk (length 13, type
/// `IHDR`, width and height as big-endian u32), which the PNG specification puts first.
pub fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&PNG_MAGIC) || be_u32(bytes, 8)? != 13 || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let (width, height) = (be_u32(bytes, 16)?, be_u32(bytes, 20)?);
    // The specification limits both to 2³¹ − 1 and forbids 0.
    let valid = |n: u32| (1..=i32::MAX.unsigned_abs()).contains(&n);
    (valid(width) && valid(height)).then_some((width, height))
}

/// Whether a JPEG marker starts a frame (SOFn): C0 baseline, C1 extended, C2 progressive, C3
/// lossless and their arithmetic-coded variants; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
fn is_start_of_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Width and height from a JPEG: walks the marker segments after SOI up to the first frame
/// header (SOF0 baseline, SOF2 progressive, or another SOFn), whose payload is precision (1 byte),
/// height and width (big-endian u16). `None` if a scan or the end comes first, or the bytes run
/// out.
pub fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // Markers without a length: TEM, RSTn, a stray SOI.
            0x01 | 0xD0..=0xD8 => continue,
            // End of image, or a scan's entropy-coded data, before any frame header; 0x00 is
            // a stuffed byte, never a marker.
            0xD9 | 0xDA | 0x00 => return None,
            _ => {}
        }
        let length = usize::from(be_u16(bytes, at)?);
        if length < 2 {
            return None;
        }
        if is_start_of_frame(marker) {
            let height = be_u16(bytes, at + 3)?;
            let width = be_u16(bytes, at + 5)?;
            // A height of 0 defers it to a DNL marker after the first scan: not for photos.
            return (width > 0 && height > 0).then_some((u32::from(width), u32::from(height)));
        }
        at += length;
    }
}

// ---------------------------------------------------------------------------------------------
// Fee

/// The state fee for an international passport, per reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSchedule {
    /// For a reason not listed in `per_reason`.
    pub base: Money,
    pub per_reason: Vec<(ApplicationReason, Money)>,
}

/// 60.00 TMT.
pub const STATE_FEE: Money = Money::tmt(6000);

impl Default for FeeSchedule {
    /// 60.00 TMT for every reason; 0 for a child under 16.
    fn default() -> Self {
        FeeSchedule {
            base: STATE_FEE,
            per_reason: ApplicationReason::ALL
                .into_iter()
                .map(|reason| {
                    let fee = if reason == ApplicationReason::ChildUnder16 {
                        Money::ZERO
                    } else {
                        STATE_FEE
                    };
                    (reason, fee)
                })
                .collect(),
        }
    }
}

impl FeeSchedule {
    /// What an applicant aged `applicant_age_years` (on the application date) pays for `reason`:
    /// nothing under 16, whatever the schedule says; otherwise the reason's fee, or the base.
    pub fn fee(&self, reason: ApplicationReason, applicant_age_years: u32) -> Money {
        if applicant_age_years < CHILD_AGE_LIMIT {
            return Money::ZERO;
        }
        self.per_reason
            .iter()
            .find(|(r, _)| *r == reason)
            .map_or(self.base, |&(_, fee)| fee)
    }
}

/// The fee with one price for every reason: `base`, or nothing for a child under 16.
pub fn application_fee(reason: ApplicationReason, applicant_age_years: u32, base: Money) -> Money {
    FeeSchedule {
        base,
        per_reason: Vec::new(),
    }
    .fee(reason, applicant_age_years)
}

// ---------------------------------------------------------------------------------------------
// Wire input

/// The person the passport is for, as typed. Every field is text so that a bad value becomes a
/// message under its own path; a missing field reads as empty (a draft may be incomplete).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ApplicantDetailsInput {
    /// In Turkmen Latin (or as in the internal passport).
    pub surname: String,
    pub given_names: String,
    /// The father's name; absent or empty when the person has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// The surname as it will print in the passport; empty for the ICAO transliteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed_surname: Option<String>,
    /// The given names as they will print; empty for the ICAO transliteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed_given_names: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// As in the internal passport or birth certificate: `Aşgabat`, `Mary welaýaty, Baýramaly`.
    pub place_of_birth: String,
    /// `M` or `F`.
    pub sex: String,
    /// The internal passport's series and number (`I-AŞ 123456`); for a child under 16, the
    /// birth certificate's.
    pub national_id: String,
}

/// The registered address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AddressInput {
    /// A region code: `ashgabat`, `arkadag`, `ahal`, `balkan`, `dashoguz`, `lebap`, `mary`.
    pub velayat: String,
    /// The etrap or city.
    pub locality: String,
    /// Street, house and flat.
    pub street: String,
}

/// The international passport being replaced.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PreviousPassportInput {
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
}

/// The parent or guardian applying for a child under 16.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GuardianInput {
    pub surname: String,
    pub given_names: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// `mother`, `father` or `guardian`.
    pub relation: String,
    /// The guardian's internal passport series and number.
    pub national_id: String,
    /// The guardian agrees to the passport being issued to the child; must be `true`.
    pub consent: bool,
}

/// An application as the citizen (or an integrator) sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "reason": "renewal_expiring",
    "applicant": {
        "surname": "Öwezgeldiýewa", "given_names": "Aýna", "patronymic": "Merdanowna",
        "date_of_birth": "1990-04-12", "place_of_birth": "Aşgabat", "sex": "F",
        "national_id": "I-AŞ 123456"
    },
    "address": {"velayat": "ashgabat", "locality": "Aşgabat", "street": "Magtymguly şaýoly 12, 5"},
    "phone": "+993 65 123456",
    "email": "ayna@example.com",
    "previous_passport": {"number": "A1234567", "issued_on": "2016-07-01"},
    "collection_branch": "ashgabat-city"
})))]
#[serde(default)]
pub struct ApplicationInput {
    /// A reason code: `first_passport`, `renewal_expiring`, `renewal_expired`, `lost`,
    /// `damaged`, `personal_data_changed`, `child_under_16`.
    pub reason: String,
    pub applicant: ApplicantDetailsInput,
    pub address: AddressInput,
    /// A Turkmen mobile number, for the status messages.
    pub phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Required when renewing, or for a damaged passport or changed data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_passport: Option<PreviousPassportInput>,
    /// Required for a child under 16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianInput>,
    /// The code of the branch where the passport will be collected.
    pub collection_branch: String,
}

// ---------------------------------------------------------------------------------------------
// Parsed

/// The person the passport is for, every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantDetails {
    pub surname: PersonName,
    pub given_names: PersonName,
    pub patronymic: Option<PersonName>,
    pub printed_surname: PrintedName,
    pub printed_given_names: PrintedName,
    pub date_of_birth: DateOfBirth,
    pub place_of_birth: String,
    pub sex: Sex,
    pub national_id: PassportNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub velayat: Region,
    pub locality: String,
    pub street: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviousPassport {
    pub number: PassportNumber,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub issued_on: NaiveDate,
}

/// A parent or guardian who has given consent (an unconsenting one does not parse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guardian {
    pub surname: PersonName,
    pub given_names: PersonName,
    pub patronymic: Option<PersonName>,
    pub relation: GuardianRelation,
    pub national_id: PassportNumber,
}

/// An application whose every field has been checked, ready to be stored and paid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub reason: ApplicationReason,
    pub applicant: ApplicantDetails,
    pub address: Address,
    pub phone: PhoneNumber,
    pub email: Option<Email>,
    /// Present when the reason asks for it, or when given for a lost passport or a child.
    pub previous_passport: Option<PreviousPassport>,
    /// Present exactly for a child under 16.
    pub guardian: Option<Guardian>,
    pub collection_branch: Code,
}

impl Application {
    /// Surname, given names and patronymic, as in Turkmen documents.
    pub fn full_name(&self) -> String {
        let a = &self.applicant;
        let mut name = format!("{} {}", a.surname, a.given_names);
        if let Some(patronymic) = &a.patronymic {
            name.push(' ');
            name.push_str(patronymic.as_str());
        }
        name
    }

    /// Full years of age on `date`.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        self.applicant.date_of_birth.age_on(date)
    }

    /// The name field of the passport's MRZ, from the printed names.
    pub fn mrz_name(&self) -> String {
        mrz_name(
            self.applicant.printed_surname.as_str(),
            self.applicant.printed_given_names.as_str(),
        )
    }

    /// The state fee, with the age taken on `on` (the application date).
    pub fn fee(&self, schedule: &FeeSchedule, on: NaiveDate) -> Money {
        schedule.fee(self.reason, self.age_on(on))
    }
}

/// What can be wrong with an application beyond the rules of each field's own type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationInputError {
    /// A required text or block is empty.
    Missing,
    UnknownReason,
    UnknownSex,
    UnknownRelation,
    UnknownVelayat,
    /// A control or formatting character (NUL, a bidirectional override...).
    ControlCharacter,
    TextLength {
        min: usize,
        max: usize,
    },
    /// Not a date written `YYYY-MM-DD`.
    DateFormat,
    IssuedInFuture,
    IssuedBeforeBirth,
    /// The reason needs the previous passport and none was given.
    PreviousPassportRequired,
    /// A child's application without the parent's or guardian's block.
    GuardianRequired,
    ConsentRequired,
    /// `child_under_16` for someone 16 or older on `on`.
    NotAChild {
        on: NaiveDate,
    },
    /// An applicant under 16 with another reason.
    ChildReasonRequired,
    /// Not a branch code.
    BranchCode,
}

impl ApplicationInputError {
    pub fn message(&self, language: Language) -> String {
        let [tk, ru, en]: [String; 3] = match self {
            ApplicationInputError::Missing => [
                "bu meýdany dolduryň".into(),
                "заполните это поле".into(),
                "must not be empty".into(),
            ],
            ApplicationInputError::UnknownReason => [
                "sanawdan arza sebäbini saýlaň".into(),
                "выберите причину обращения из списка".into(),
                "choose a reason from the list".into(),
            ],
            ApplicationInputError::UnknownSex => [
                "jynsyny saýlaň: M (erkek) ýa-da F (aýal)".into(),
                "выберите пол: M (мужской) или F (женский)".into(),
                "choose M (male) or F (female)".into(),
            ],
            ApplicationInputError::UnknownRelation => [
                "garyndaşlyk gatnaşygyny saýlaň: ejesi, kakasy ýa-da hossary".into(),
                "выберите, кем вы приходитесь ребёнку: мать, отец или опекун".into(),
                "choose mother, father or legal guardian".into(),
            ],
            ApplicationInputError::UnknownVelayat => [
                "sanawdan welaýaty ýa-da şäheri saýlaň".into(),
                "выберите велаят или город из списка".into(),
                "choose a velayat or city from the list".into(),
            ],
            ApplicationInputError::ControlCharacter => [
                "dolandyryş belgisi bolmaly däl (meselem, NUL)".into(),
                "не должно содержать управляющих символов (например, NUL)".into(),
                "must not contain control characters (such as NUL)".into(),
            ],
            ApplicationInputError::TextLength { min, max } => [
                format!("{min}-den {max}-e çenli belgiden ybarat bolmaly"),
                format!("должно содержать от {min} до {max} символов"),
                format!("must be {min} to {max} characters long"),
            ],
            ApplicationInputError::DateFormat => [
                "sene ÝÝÝÝ-AA-GG görnüşinde bolmaly, meselem, 2016-06-15".into(),
                "дата должна быть в формате ГГГГ-ММ-ДД, например 2016-06-15".into(),
                "must be a date in the form YYYY-MM-DD, such as 2016-06-15".into(),
            ],
            ApplicationInputError::IssuedInFuture => [
                "berlen senesi geljekde bolup bilmez".into(),
                "дата выдачи не может быть в будущем".into(),
                "the date of issue must not be in the future".into(),
            ],
            ApplicationInputError::IssuedBeforeBirth => [
                "berlen senesi doglan senesinden öň bolup bilmez".into(),
                "дата выдачи не может быть раньше даты рождения".into(),
                "the date of issue must not be before the date of birth".into(),
            ],
            ApplicationInputError::PreviousPassportRequired => [
                "öňki daşary ýurt pasportyňyzyň belgisini we berlen senesini giriziň".into(),
                "укажите номер и дату выдачи прежнего заграничного паспорта".into(),
                "give the number and date of issue of the previous international passport".into(),
            ],
            ApplicationInputError::GuardianRequired => [
                "16 ýaşa ýetmedik çaga üçin ata-enesiniň ýa-da hossarynyň maglumatlaryny giriziň"
                    .into(),
                "для ребёнка до 16 лет укажите данные родителя или опекуна".into(),
                "for a child under 16, give a parent's or guardian's details".into(),
            ],
            ApplicationInputError::ConsentRequired => [
                "ata-enesi ýa-da hossary çaga pasport berilmegine razylyk bermeli".into(),
                "родитель или опекун должен дать согласие на выдачу паспорта ребёнку".into(),
                "the parent or guardian must consent to the passport being issued".into(),
            ],
            ApplicationInputError::NotAChild { on } => {
                let day = on.format("%d.%m.%Y");
                [
                    format!("arza beriji {day} senesinde 16 ýaşdan uly: başga sebäp saýlaň"),
                    format!("на {day} заявителю уже исполнилось 16 лет: выберите другую причину"),
                    format!("the applicant is 16 or older on {day}: choose another reason"),
                ]
            }
            ApplicationInputError::ChildReasonRequired => [
                "arza beriji 16 ýaşa ýetmedik: «16 ýaşa ýetmedik çaga» sebäbini saýlaň".into(),
                "заявителю нет 16 лет: выберите причину «Ребёнок до 16 лет»".into(),
                "the applicant is under 16: choose “Child under 16” as the reason".into(),
            ],
            ApplicationInputError::BranchCode => [
                "sanawdan bölümi saýlaň".into(),
                "выберите отдел из списка".into(),
                "choose a branch from the list".into(),
            ],
        };
        match language {
            Language::Tk => tk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}

impl fmt::Display for ApplicationInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for ApplicationInputError {}

/// Collects field errors, keeping the first error of each path.
struct Report {
    language: Language,
    errors: FieldErrors,
}

impl Report {
    fn fail(&mut self, path: &str, error: &ApplicationInputError) {
        let message = error.message(self.language);
        self.errors.entry(path.to_owned()).or_insert(message);
    }

    fn take<T, E>(
        &mut self,
        path: &str,
        parsed: Result<T, E>,
        message: impl Fn(&E, Language) -> String,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                let text = message(&error, self.language);
                self.errors.entry(path.to_owned()).or_insert(text);
                None
            }
        }
    }

    /// An optional text: absent, empty or blank all mean "not given".
    fn take_optional<T, E>(
        &mut self,
        path: &str,
        raw: Option<&str>,
        parse: impl Fn(&str) -> Result<T, E>,
        message: impl Fn(&E, Language) -> String,
    ) -> Option<Option<T>> {
        match raw.filter(|raw| !raw.trim().is_empty()) {
            None => Some(None),
            Some(raw) => self.take(path, parse(raw), message).map(Some),
        }
    }

    /// The printed spelling: the citizen's when given, else the transliteration of `name` (not
    /// judged when `name` itself is invalid: that error is already reported).
    fn printed(
        &mut self,
        path: &str,
        raw: Option<&str>,
        name: Option<&PersonName>,
    ) -> Option<PrintedName> {
        let parsed = match raw.filter(|raw| !raw.trim().is_empty()) {
            Some(raw) => PrintedName::parse(raw),
            None => PrintedName::from_name(name?),
        };
        self.take(path, parsed, PrintedNameError::message)
    }
}

fn parse_text(raw: &str, min: usize, max: usize) -> Result<String, ApplicationInputError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        Err(ApplicationInputError::Missing)
    } else if text.chars().any(crate::is_control_or_format) {
        Err(ApplicationInputError::ControlCharacter)
    } else if !(min..=max).contains(&text.chars().count()) {
        Err(ApplicationInputError::TextLength { min, max })
    } else {
        Ok(text)
    }
}

fn parse_required<T>(
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    unknown: ApplicationInputError,
) -> Result<T, ApplicationInputError> {
    if raw.trim().is_empty() {
        Err(ApplicationInputError::Missing)
    } else {
        parse(raw).ok_or(unknown)
    }
}

fn parse_date(raw: &str) -> Result<NaiveDate, ApplicationInputError> {
    if raw.trim().is_empty() {
        Err(ApplicationInputError::Missing)
    } else {
        parse_iso_date(raw).ok_or(ApplicationInputError::DateFormat)
    }
}

/// An internal passport or birth certificate number; the `№` sign often typed before the number
/// is not part of it.
fn parse_national_id(raw: &str) -> Result<PassportNumber, PassportNumberError> {
    PassportNumber::parse(&raw.replace('№', ""))
}

fn parse_branch(raw: &str) -> Result<Code, ApplicationInputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        Err(ApplicationInputError::Missing)
    } else {
        Code::parse(&raw.to_ascii_lowercase()).map_err(|_| ApplicationInputError::BranchCode)
    }
}

const PLACE_OF_BIRTH_CHARS: (usize, usize) = (2, 100);
const LOCALITY_CHARS: (usize, usize) = (2, 100);
const STREET_CHARS: (usize, usize) = (2, 200);

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

impl PreviousPassportInput {
    fn is_blank(&self) -> bool {
        blank(&self.number) && blank(&self.issued_on)
    }
}

fn parse_previous_passport(
    report: &mut Report,
    input: &PreviousPassportInput,
    born: Option<DateOfBirth>,
    today: NaiveDate,
) -> Option<PreviousPassport> {
    let number = report.take(
        "previous_passport.number",
        PassportNumber::parse(&input.number),
        PassportNumberError::message,
    );
    let issued_on = report.take(
        "previous_passport.issued_on",
        parse_date(&input.issued_on),
        ApplicationInputError::message,
    );
    if let Some(issued) = issued_on {
        if issued > today {
            report.fail(
                "previous_passport.issued_on",
                &ApplicationInputError::IssuedInFuture,
            );
        } else if born.is_some_and(|born| issued < born.date()) {
            report.fail(
                "previous_passport.issued_on",
                &ApplicationInputError::IssuedBeforeBirth,
            );
        }
    }
    Some(PreviousPassport {
        number: number?,
        issued_on: issued_on?,
    })
}

fn parse_guardian(report: &mut Report, input: &GuardianInput) -> Option<Guardian> {
    let surname = report.take(
        "guardian.surname",
        PersonName::parse(&input.surname),
        PersonNameError::message,
    );
    let given_names = report.take(
        "guardian.given_names",
        PersonName::parse(&input.given_names),
        PersonNameError::message,
    );
    let patronymic = report.take_optional(
        "guardian.patronymic",
        input.patronymic.as_deref(),
        PersonName::parse,
        PersonNameError::message,
    );
    let relation = report.take(
        "guardian.relation",
        parse_required(
            &input.relation,
            GuardianRelation::parse,
            ApplicationInputError::UnknownRelation,
        ),
        ApplicationInputError::message,
    );
    let national_id = report.take(
        "guardian.national_id",
        parse_national_id(&input.national_id),
        PassportNumberError::message,
    );
    if !input.consent {
        report.fail("guardian.consent", &ApplicationInputError::ConsentRequired);
    }
    Some(Guardian {
        surname: surname?,
        given_names: given_names?,
        patronymic: patronymic?,
        relation: relation?,
        national_id: national_id?,
    })
}

/// Parses an application, reporting every invalid field in `language` under its path
/// (`reason`, `applicant.surname`, `applicant.printed_surname`, `address.velayat`, `phone`,
/// `previous_passport.number`, `guardian.consent`, `collection_branch`...; `previous_passport`
/// and `guardian` alone when the whole block is missing). `today` is the local date of the
/// application, on which a child must be under 16.
///
/// Blocks the reason does not use are ignored: a previous passport for a first passport, a
/// guardian for an adult (a draft may still hold them from an earlier choice).
pub fn parse_application(
    input: &ApplicationInput,
    today: NaiveDate,
    language: Language,
) -> Result<Application, FieldErrors> {
    let mut report = Report {
        language,
        errors: FieldErrors::new(),
    };
    let reason = report.take(
        "reason",
        parse_required(
            &input.reason,
            ApplicationReason::parse,
            ApplicationInputError::UnknownReason,
        ),
        ApplicationInputError::message,
    );

    let a = &input.applicant;
    let surname = report.take(
        "applicant.surname",
        PersonName::parse(&a.surname),
        PersonNameError::message,
    );
    let given_names = report.take(
        "applicant.given_names",
        PersonName::parse(&a.given_names),
        PersonNameError::message,
    );
    let patronymic = report.take_optional(
        "applicant.patronymic",
        a.patronymic.as_deref(),
        PersonName::parse,
        PersonNameError::message,
    );
    let printed_surname = report.printed(
        "applicant.printed_surname",
        a.printed_surname.as_deref(),
        surname.as_ref(),
    );
    let printed_given_names = report.printed(
        "applicant.printed_given_names",
        a.printed_given_names.as_deref(),
        given_names.as_ref(),
    );
    let date_of_birth = report.take(
        "applicant.date_of_birth",
        DateOfBirth::parse(&a.date_of_birth, today),
        DateOfBirthError::message,
    );
    let (min, max) = PLACE_OF_BIRTH_CHARS;
    let place_of_birth = report.take(
        "applicant.place_of_birth",
        parse_text(&a.place_of_birth, min, max),
        ApplicationInputError::message,
    );
    let sex = report.take(
        "applicant.sex",
        parse_required(&a.sex, Sex::parse, ApplicationInputError::UnknownSex),
        ApplicationInputError::message,
    );
    let national_id = report.take(
        "applicant.national_id",
        parse_national_id(&a.national_id),
        PassportNumberError::message,
    );

    let velayat = report.take(
        "address.velayat",
        parse_required(
            &input.address.velayat,
            |raw| Region::parse(&raw.to_ascii_lowercase()),
            ApplicationInputError::UnknownVelayat,
        ),
        ApplicationInputError::message,
    );
    let (min, max) = LOCALITY_CHARS;
    let locality = report.take(
        "address.locality",
        parse_text(&input.address.locality, min, max),
        ApplicationInputError::message,
    );
    let (min, max) = STREET_CHARS;
    let street = report.take(
        "address.street",
        parse_text(&input.address.street, min, max),
        ApplicationInputError::message,
    );
    let phone = report.take(
        "phone",
        PhoneNumber::parse(&input.phone),
        PhoneNumberError::message,
    );
    let email = report.take_optional(
        "email",
        input.email.as_deref(),
        Email::parse,
        EmailError::message,
    );
    let collection_branch = report.take(
        "collection_branch",
        parse_branch(&input.collection_branch),
        ApplicationInputError::message,
    );

    // The reason and the age must agree: the child's reason exactly for those under 16.
    let age = date_of_birth.map(|born| born.age_on(today));
    let is_child = age.map(|age| age < CHILD_AGE_LIMIT);
    match (reason, is_child) {
        (Some(ApplicationReason::ChildUnder16), Some(false)) => {
            report.fail("reason", &ApplicationInputError::NotAChild { on: today });
        }
        (Some(reason), Some(true)) if reason != ApplicationReason::ChildUnder16 => {
            report.fail("reason", &ApplicationInputError::ChildReasonRequired);
        }
        _ => {}
    }

    let previous_rule = reason.map(ApplicationReason::previous_passport);
    let given_previous = input.previous_passport.as_ref().filter(|p| !p.is_blank());
    let previous_passport = match (previous_rule, given_previous) {
        (Some(PreviousPassportRule::NotAsked) | None, _) => Some(None),
        (Some(PreviousPassportRule::Optional), None) => Some(None),
        (Some(PreviousPassportRule::Required), None) => {
            report.fail(
                "previous_passport",
                &ApplicationInputError::PreviousPassportRequired,
            );
            None
        }
        (Some(_), Some(given)) => {
            parse_previous_passport(&mut report, given, date_of_birth, today).map(Some)
        }
    };

    let needs_guardian =
        reason.is_some_and(ApplicationReason::needs_guardian) || is_child == Some(true);
    let guardian = match (needs_guardian, &input.guardian) {
        (false, _) => Some(None),
        (true, None) => {
            report.fail("guardian", &ApplicationInputError::GuardianRequired);
            None
        }
        (true, Some(given)) => parse_guardian(&mut report, given).map(Some),
    };

    let application = (|| {
        Some(Application {
            reason: reason?,
            applicant: ApplicantDetails {
                surname: surname?,
                given_names: given_names?,
                patronymic: patronymic?,
                printed_surname: printed_surname?,
                printed_given_names: printed_given_names?,
                date_of_birth: date_of_birth?,
                place_of_birth: place_of_birth?,
                sex: sex?,
                national_id: national_id?,
            },
            address: Address {
                velayat: velayat?,
                locality: locality?,
                street: street?,
            },
            phone: phone?,
            email: email?,
            previous_passport: previous_passport?,
            guardian: guardian?,
            collection_branch: collection_branch?,
        })
    })();
    match application {
        Some(application) if report.errors.is_empty() => Ok(application),
        _ => Err(report.errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 6, 1)
    }

    // --- status

    #[test]
    fn transitions_follow_the_state_machine_exactly() {
        use ApplicationStatus::*;
        let allowed = [
            (Draft, Submitted),
            (Submitted, UnderReview),
            (UnderReview, InProduction),
            (UnderReview, NeedsAction),
            (UnderReview, Rejected),
            (NeedsAction, UnderReview),
            (InProduction, Ready),
            (Ready, Issued),
        ];
        for from in ApplicationStatus::ALL {
            for to in ApplicationStatus::ALL {
                let expected = allowed.contains(&(from, to));
                assert_eq!(from.can_become(to), expected, "{from} -> {to}");
                assert_eq!(
                    from.check_transition(to, "note").is_ok(),
                    expected,
                    "{from} -> {to}"
                );
                assert_eq!(
                    from.staff_can_move_to(to),
                    expected && from != Draft,
                    "{from} -> {to}"
                );
            }
        }
        assert_eq!(
            UnderReview.next_statuses(),
            [NeedsAction, InProduction, Rejected]
        );
        assert_eq!(Ready.next_statuses(), [Issued]);
        assert!(Issued.next_statuses().is_empty());
    }

    #[test]
    fn only_issued_and_rejected_are_terminal() {
        for status in ApplicationStatus::ALL {
            let terminal = matches!(
                status,
                ApplicationStatus::Issued | ApplicationStatus::Rejected
            );
            assert_eq!(status.is_terminal(), terminal, "{status}");
        }
    }

    #[test]
    fn rejection_and_needs_action_need_a_note() {
        use ApplicationStatus::*;
        assert_eq!(
            UnderReview.check_transition(Rejected, "  "),
            Err(TransitionError::NoteRequired { to: Rejected })
        );
        assert_eq!(
            UnderReview.check_transition(NeedsAction, ""),
            Err(TransitionError::NoteRequired { to: NeedsAction })
        );
        assert!(UnderReview
            .check_transition(NeedsAction, "Doglan hakynda şahadatnamany getiriň")
            .is_ok());
        assert!(UnderReview.check_transition(InProduction, "").is_ok());
        let forbidden = Ready.check_transition(UnderReview, "x").unwrap_err();
        assert_eq!(
            forbidden,
            TransitionError::Forbidden {
                from: Ready,
                to: UnderReview
            }
        );
        assert_eq!(
            forbidden.message(Language::Tk),
            "arzany «Taýýar» ýagdaýyndan «Seredilýär» ýagdaýyna geçirip bolmaýar"
        );
        assert_eq!(
            forbidden.to_string(),
            "an application cannot go from “Ready for collection” to “Under review”"
        );
        assert_eq!(
            TransitionError::NoteRequired { to: Rejected }.message(Language::Ru),
            "укажите причину отказа"
        );
    }

    #[test]
    fn statuses_have_codes_and_turkmen_labels() {
        use ApplicationStatus::*;
        let tk = [
            (Draft, "Garalama"),
            (Submitted, "Kabul edildi"),
            (UnderReview, "Seredilýär"),
            (NeedsAction, "Hereket gerek"),
            (InProduction, "Taýýarlanýar"),
            (Ready, "Taýýar"),
            (Issued, "Gowşuryldy"),
            (Rejected, "Ret edildi"),
        ];
        for (status, label) in tk {
            assert_eq!(status.label(Language::Tk), label);
        }
        assert_eq!(Submitted.label(Language::Ru), "Принято");
        assert_eq!(UnderReview.label(Language::En), "Under review");
        for status in ApplicationStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(ApplicationStatus::parse(status.code()), Some(status));
            assert_eq!(
                serde_json::from_str::<ApplicationStatus>(&json).unwrap(),
                status
            );
        }
        assert_eq!(InProduction.code(), "in_production");
        assert_eq!(ApplicationStatus::parse("done"), None);
    }

    #[test]
    fn every_status_tells_the_citizen_what_to_do_next() {
        for language in Language::ALL {
            let steps: Vec<String> = ApplicationStatus::ALL
                .iter()
                .map(|s| s.next_step(language))
                .collect();
            for (i, step) in steps.iter().enumerate() {
                assert!(step.ends_with('.'), "{step}");
                assert!(!steps[..i].contains(step), "{step} repeated");
            }
        }
        let ready = ApplicationStatus::Ready;
        assert!(ready.next_step(Language::En).contains("internal passport"));
        assert!(ready
            .next_step(Language::Ru)
            .contains("внутренним паспортом"));
        assert!(ready.next_step(Language::Tk).contains("içerki pasportyňyz"));
    }

    // --- reasons

    #[test]
    fn reasons_have_codes_labels_and_rules() {
        use ApplicationReason::*;
        for reason in ApplicationReason::ALL {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.code()));
            assert_eq!(ApplicationReason::parse(reason.code()), Some(reason));
            for language in Language::ALL {
                assert!(!reason.label(language).is_empty());
            }
        }
        assert_eq!(ChildUnder16.code(), "child_under_16");
        assert_eq!(Lost.label(Language::Tk), "Pasport ýitirildi");
        assert_eq!(ApplicationReason::parse("renewal"), None);
        let required = [
            RenewalExpiring,
            RenewalExpired,
            Damaged,
            PersonalDataChanged,
        ];
        for reason in ApplicationReason::ALL {
            let rule = reason.previous_passport();
            assert_eq!(
                rule == PreviousPassportRule::Required,
                required.contains(&reason)
            );
            assert_eq!(reason.needs_guardian(), reason == ChildUnder16);
        }
        assert_eq!(
            FirstPassport.previous_passport(),
            PreviousPassportRule::NotAsked
        );
        assert_eq!(Lost.previous_passport(), PreviousPassportRule::Optional);
    }

    #[test]
    fn relations_and_sexes_parse_leniently() {
        assert_eq!(
            GuardianRelation::parse(" Mother "),
            Some(GuardianRelation::Mother)
        );
        assert_eq!(GuardianRelation::parse("aunt"), None);
        assert_eq!(GuardianRelation::Guardian.label(Language::Ru), "Опекун");
        assert_eq!(Sex::parse("m"), Some(Sex::Male));
        assert_eq!(Sex::parse(" F"), Some(Sex::Female));
        assert_eq!(Sex::parse("X"), None);
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"F\"");
        assert_eq!(Sex::Female.label(Language::Tk), "Aýal");
    }

    // --- transliteration

    #[test]
    fn turkmen_letters_follow_icao_table_a() {
        let cases = [
            ("Ç", "C"),
            ("ç", "C"),
            ("Ş", "S"),
            ("ş", "S"),
            ("Ž", "Z"),
            ("ž", "Z"),
            ("Ň", "N"),
            ("ň", "N"),
            ("Ý", "Y"),
            ("ý", "Y"),
            ("Ä", "AE"),
            ("ä", "AE"),
            ("Ö", "OE"),
            ("ö", "OE"),
            ("Ü", "UE"),
            ("ü", "UE"),
            ("Öwezgeldiýewa", "OEWEZGELDIYEWA"),
            ("Çary Änew", "CARY AENEW"),
            ("Şükürow", "SUEKUEROW"),
            ("Ýüzbaşy Žeňiş", "YUEZBASY ZENIS"),
            ("Aýna-Jemal", "AYNA-JEMAL"),
            ("Gökdepe", "GOEKDEPE"),
        ];
        for (name, printed) in cases {
            assert_eq!(icao_transliterate(name), printed, "{name}");
        }
    }

    #[test]
    fn cyrillic_follows_icao_table_b() {
        let cases = [
            ("Щукина Юлия", "SHCHUKINA IULIIA"),
            ("Жуков", "ZHUKOV"),
            ("Хрущёв", "KHRUSHCHEV"),
            ("Цой", "TSOI"),
            ("Чайковский", "CHAIKOVSKII"),
            ("Шамаев", "SHAMAEV"),
            ("Объедков", "OBIEEDKOV"),
            ("Ильин", "ILIN"),
            ("Эльвира", "ELVIRA"),
            ("Рыбаков", "RYBAKOV"),
            ("Яна", "IANA"),
            ("Фёдор", "FEDOR"),
            (
                "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
                "ABVGDEEZHZIIKLMNOPRSTUFKHTSCHSHSHCHIEYEIUIA",
            ),
            // Turkmen Cyrillic, through Turkmen Latin.
            (
                "Әмиров Өвезов Үмит Ңурли Җемал",
                "AEMIROV OEVEZOV UEMIT NURLI JEMAL",
            ),
        ];
        for (name, printed) in cases {
            assert_eq!(icao_transliterate(name), printed, "{name}");
        }
    }

    #[test]
    fn transliteration_keeps_spaces_and_hyphens_and_drops_the_rest() {
        assert_eq!(icao_transliterate("  Anna   Maria "), "ANNA MARIA");
        assert_eq!(icao_transliterate("O'Neil"), "ONEIL");
        assert_eq!(icao_transliterate("D’Artagnan"), "DARTAGNAN");
        assert_eq!(icao_transliterate("Ann\u{2010}Mari"), "ANN-MARI");
        assert_eq!(icao_transliterate("Anna 张 Li"), "ANNA LI");
        assert_eq!(icao_transliterate("Müller Straße"), "MUELLER STRASSE");
        assert_eq!(icao_transliterate("José Ñúñez"), "JOSE NUNEZ");
        assert_eq!(icao_transliterate("R2-D2"), "R-D");
        assert_eq!(icao_transliterate(""), "");
        // Decomposed (NFD) Turkmen letters spell like the composed ones.
        assert_eq!(icao_transliterate("S\u{327}a\u{308}hri\u{307}"), "SAEHRI");
        assert_eq!(icao_transliterate("O\u{308}mu\u{308}r"), "OEMUER");
    }

    #[test]
    fn mrz_name_fills_and_cuts_to_39() {
        assert_eq!(
            mrz_name("Amanow", "Merdan"),
            "AMANOW<<MERDAN<<<<<<<<<<<<<<<<<<<<<<<<<"
        );
        assert_eq!(
            mrz_name("Öwezgeldiýewa", "Aýna-Jemal Merdan"),
            "OEWEZGELDIYEWA<<AYNA<JEMAL<MERDAN<<<<<<"
        );
        assert_eq!(mrz_name("O'Neil", ""), format!("ONEIL{}", "<".repeat(34)));
        let long = mrz_name("Gurbanguly-Berdimuhamedow", "Serdar Gurbangulyýewiç");
        assert_eq!(long, "GURBANGULY<BERDIMUHAMEDOW<<SERDAR<GURBA");
        assert_eq!(long.len(), MRZ_NAME_LENGTH);
    }

    #[test]
    fn printed_names_are_proposed_and_may_be_corrected() {
        let name = PersonName::parse("Öwezgeldiýewa").unwrap();
        assert_eq!(
            PrintedName::from_name(&name).unwrap().as_str(),
            "OEWEZGELDIYEWA"
        );
        assert_eq!(
            PrintedName::parse(" owezgeldiyewa ").unwrap().as_str(),
            "OWEZGELDIYEWA"
        );
        assert_eq!(
            PrintedName::parse("Anna  Maria").unwrap().as_str(),
            "ANNA MARIA"
        );
        assert_eq!(PrintedName::parse(""), Err(PrintedNameError::Empty));
        assert_eq!(
            PrintedName::parse("Öwez"),
            Err(PrintedNameError::InvalidCharacter('Ö'))
        );
        assert_eq!(
            PrintedName::parse("ANNA-"),
            Err(PrintedNameError::NotLetterAtEdge)
        );
        assert_eq!(
            PrintedName::parse(&"A".repeat(81)),
            Err(PrintedNameError::TooLong { max: 80 })
        );
        let chinese = PersonName::parse("张伟").unwrap();
        assert_eq!(
            PrintedName::from_name(&chinese),
            Err(PrintedNameError::NotTransliterable('张'))
        );
        assert!(PrintedNameError::InvalidCharacter('Ö')
            .message(Language::Tk)
            .contains("latyn harplaryndan"));
        let json = serde_json::to_string(&PrintedName::parse("ayna").unwrap()).unwrap();
        assert_eq!(json, "\"AYNA\"");
        assert!(serde_json::from_str::<PrintedName>("\"A1\"").is_err());
    }

    // --- application number

    const SYMBOLS: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    #[test]
    fn numbers_look_like_the_example_and_round_trip() {
        for random in [0u64, 1, 30, 31, 923_520, 923_521, u64::MAX, 0xDEAD_BEEF] {
            let number = ApplicationNumber::from_random(2026, random);
            let text = number.as_str();
            assert_eq!(text.len(), 12, "{text}");
            assert!(text.starts_with("P-26-"), "{text}");
            assert_eq!(&text[9..10], "-");
            assert!(text[5..9].chars().all(|c| SYMBOLS.contains(c)), "{text}");
            assert!(text[10..].chars().all(|c| c.is_ascii_digit()), "{text}");
            assert_eq!(ApplicationNumber::parse(text), Ok(number.clone()));
            assert_eq!(number.year_suffix(), 26);
        }
        assert_eq!(
            ApplicationNumber::from_random(2026, 0).as_str(),
            "P-26-2222-85"
        );
        assert_eq!(
            ApplicationNumber::from_random(2100, 5).as_str()[..5],
            *"P-00-"
        );
    }

    #[test]
    fn parse_is_tolerant_of_case_spaces_and_dashes() {
        let number = ApplicationNumber::from_random(2026, 123_456_789);
        let compact: String = number.as_str().chars().filter(|&c| c != '-').collect();
        for typed in [
            compact.to_lowercase(),
            format!("  {} ", number.as_str().replace('-', " ")),
            compact.clone(),
            number.as_str().to_lowercase(),
        ] {
            assert_eq!(
                ApplicationNumber::parse(&typed),
                Ok(number.clone()),
                "{typed}"
            );
        }
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, format!("\"{number}\""));
        assert_eq!(
            serde_json::from_str::<ApplicationNumber>(&json.to_lowercase()).unwrap(),
            number
        );
    }

    #[test]
    fn every_single_changed_character_fails() {
        let alphabet: Vec<char> = ('0'..='9').chain('A'..='Z').collect();
        let as_digit = |c: char| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        for random in [0u64, 7, 4242, 99_999, 500_000, 923_520] {
            for year in [2000, 2026, 2099] {
                let number = ApplicationNumber::from_random(year, random);
                let compact: Vec<char> = number.as_str().chars().filter(|&c| c != '-').collect();
                for position in 0..compact.len() {
                    for &c in &alphabet {
                        let digit_position = matches!(position, 1 | 2 | 7 | 8);
                        let same = if digit_position {
                            as_digit(c) == compact[position]
                        } else {
                            c == compact[position]
                        };
                        if same {
                            continue;
                        }
                        let mut typo = compact.clone();
                        typo[position] = c;
                        let typo: String = typo.into_iter().collect();
                        assert!(
                            ApplicationNumber::parse(&typo).is_err(),
                            "{typo} accepted for {number}"
                        );
                    }
                }
                // Two neighbouring symbols swapped.
                for position in 3..6 {
                    let mut swapped = compact.clone();
                    if swapped[position] == swapped[position + 1] {
                        continue;
                    }
                    swapped.swap(position, position + 1);
                    let swapped: String = swapped.into_iter().collect();
                    assert_eq!(
                        ApplicationNumber::parse(&swapped),
                        Err(ApplicationNumberError::CheckDigits),
                        "{swapped}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_numbers_say_what_is_wrong() {
        use ApplicationNumberError::*;
        let number = ApplicationNumber::from_random(2026, 4242);
        let body = &number.as_str()[5..9];
        let check = &number.as_str()[10..];
        assert_eq!(ApplicationNumber::parse("  "), Err(Empty));
        assert_eq!(ApplicationNumber::parse("P-26-4K7Q"), Err(Format));
        assert_eq!(
            ApplicationNumber::parse(&format!("Q-26-{body}-{check}")),
            Err(Format)
        );
        assert_eq!(
            ApplicationNumber::parse(&format!("P-26-O{}-{check}", &body[1..])),
            Err(LookAlike('O'))
        );
        assert_eq!(
            ApplicationNumber::parse(&format!("P-26-{}l-{check}", &body[..3])),
            Err(LookAlike('L'))
        );
        assert_eq!(
            ApplicationNumber::parse("P-26-4K7Q-9_"),
            Err(InvalidCharacter('_'))
        );
        // O for 0 and I or L for 1 are forgiven where only digits can be.
        let with_zero = ApplicationNumber::from_random(2030, 4242);
        let misread = with_zero.as_str().replacen("30", "3O", 1);
        assert_eq!(ApplicationNumber::parse(&misread), Ok(with_zero));
        assert_eq!(
            CheckDigits.message(Language::En),
            "this number has a typo: copy it from the receipt again"
        );
        assert!(LookAlike('O').message(Language::Tk).contains("«O»"));
    }

    // --- photo

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = PNG_MAGIC.to_vec();
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(b"IHDR");
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 2, 0, 0, 0]); // depth, colour type, methods
        bytes.extend_from_slice(&[0, 0, 0, 0]); // CRC (not checked)
        bytes
    }

    /// SOI, an APP0 (JFIF) segment, a DQT-like segment, then a frame header with `marker`.
    fn jpeg(marker: u8, width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        bytes.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
        bytes.extend_from_slice(b"JFIF\0");
        bytes.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
        bytes.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
        bytes.extend_from_slice(&[0xFF, marker, 0x00, 0x11, 0x08]);
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn formats_are_sniffed_by_magic_number() {
        assert_eq!(sniff_image(&png(1, 1)), ImageFormat::Png);
        assert_eq!(sniff_image(&jpeg(0xC0, 1, 1)), ImageFormat::Jpeg);
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF]), ImageFormat::Jpeg);
        assert_eq!(sniff_image(&[0xFF, 0xD8]), ImageFormat::Other);
        assert_eq!(sniff_image(&PNG_MAGIC[..7]), ImageFormat::Other);
        assert_eq!(sniff_image(b"GIF89a"), ImageFormat::Other);
        assert_eq!(sniff_image(b"%PDF-1.7"), ImageFormat::Other);
        assert_eq!(sniff_image(&[]), ImageFormat::Other);
        assert_eq!(ImageFormat::Jpeg.mime(), Some("image/jpeg"));
        assert_eq!(ImageFormat::Png.extension(), Some("png"));
        assert_eq!(ImageFormat::Other.mime(), None);
    }

    #[test]
    fn png_size_comes_from_ihdr() {
        assert_eq!(png_dimensions(&png(600, 800)), Some((600, 800)));
        assert_eq!(png_dimensions(&png(70_000, 1)), Some((70_000, 1)));
        assert_eq!(png_dimensions(&png(0, 800)), None);
        assert_eq!(png_dimensions(&png(1 << 31, 800)), None);
        assert_eq!(png_dimensions(&png(600, 800)[..23]), None);
        let mut not_ihdr = png(600, 800);
        not_ihdr[12..16].copy_from_slice(b"IDAT");
        assert_eq!(png_dimensions(&not_ihdr), None);
        let mut wrong_length = png(600, 800);
        wrong_length[11] = 12;
        assert_eq!(png_dimensions(&wrong_length), None);
        assert_eq!(png_dimensions(&jpeg(0xC0, 600, 800)), None);
    }

    #[test]
    fn jpeg_size_comes_from_the_frame_header() {
        assert_eq!(jpeg_dimensions(&jpeg(0xC0, 600, 800)), Some((600, 800)));
        assert_eq!(jpeg_dimensions(&jpeg(0xC2, 1200, 1600)), Some((1200, 1600)));
        assert_eq!(jpeg_dimensions(&jpeg(0xC1, 65_535, 3)), Some((65_535, 3)));
        // DHT and DAC look like frames by number but are not.
        assert_eq!(jpeg_dimensions(&jpeg(0xC4, 600, 800)), None);
        assert_eq!(jpeg_dimensions(&jpeg(0xCC, 600, 800)), None);
        // A height of 0 (defined later by DNL) is not accepted.
        assert_eq!(jpeg_dimensions(&jpeg(0xC0, 600, 0)), None);
        // Fill bytes before a marker are skipped.
        let mut filled = jpeg(0xC0, 640, 853);
        filled.splice(2..2, [0xFF, 0xFF]);
        assert_eq!(jpeg_dimensions(&filled), Some((640, 853)));
        // Cut anywhere before the end of the frame header: no size, no panic.
        let whole = jpeg(0xC0, 600, 800);
        let frame_end = whole.len() - 8 - 10;
        for cut in 0..frame_end - 3 {
            assert_eq!(jpeg_dimensions(&whole[..cut]), None, "cut at {cut}");
        }
        // A scan before any frame header.
        let scan_first = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xC0];
        assert_eq!(jpeg_dimensions(&scan_first), None);
        // Garbage where a marker should be, or a length below 2.
        assert_eq!(jpeg_dimensions(&[0xFF, 0xD8, 0x12, 0x34]), None);
        assert_eq!(jpeg_dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]), None);
        assert_eq!(jpeg_dimensions(&png(600, 800)), None);
    }

    #[test]
    fn photo_rules_at_their_edges() {
        use ImageFormat::*;
        use PhotoProblem::*;
        assert_eq!(check_photo(Jpeg, MAX_PHOTO_BYTES, 600, 800), Ok(()));
        assert_eq!(check_photo(Png, 1, 1500, 2000), Ok(()));
        assert_eq!(
            check_photo(Jpeg, MAX_PHOTO_BYTES + 1, 600, 800),
            Err(vec![TooLarge {
                bytes: MAX_PHOTO_BYTES + 1,
                max: MAX_PHOTO_BYTES
            }])
        );
        assert_eq!(
            check_photo(Jpeg, 1000, 599, 800),
            Err(vec![TooSmall {
                width: 599,
                height: 800
            }])
        );
        // 3:4 within ±2 %: at a height of 800, widths 588 to 612.
        assert_eq!(check_photo(Jpeg, 1000, 612, 800), Ok(()));
        assert_eq!(
            check_photo(Jpeg, 1000, 613, 800),
            Err(vec![WrongAspect {
                width: 613,
                height: 800
            }])
        );
        assert_eq!(
            check_photo(Jpeg, 1000, 588, 800),
            Err(vec![TooSmall {
                width: 588,
                height: 800
            }])
        );
        assert_eq!(
            check_photo(Jpeg, 1000, 600, 785),
            Err(vec![TooSmall {
                width: 600,
                height: 785
            }])
        );
        // At 1500 wide, heights 1961 to 2040 (exactly ±2 % at 1960.78 and 2040.8).
        assert_eq!(check_photo(Png, 1000, 1500, 2040), Ok(()));
        assert!(check_photo(Png, 1000, 1500, 2041).is_err());
        assert_eq!(check_photo(Png, 1000, 1500, 1961), Ok(()));
        assert!(check_photo(Png, 1000, 1500, 1960).is_err());
        // Landscape, too small and too large at once: every problem is reported.
        assert_eq!(
            check_photo(Jpeg, 6 * 1024 * 1024, 800, 600),
            Err(vec![
                TooLarge {
                    bytes: 6 * 1024 * 1024,
                    max: MAX_PHOTO_BYTES
                },
                TooSmall {
                    width: 800,
                    height: 600
                },
                WrongAspect {
                    width: 800,
                    height: 600
                },
            ])
        );
        assert_eq!(check_photo(Other, 10, 600, 800), Err(vec![NotJpegOrPng]));
        assert_eq!(
            check_photo(Png, 10, 0, 0),
            Err(vec![TooSmall {
                width: 0,
                height: 0
            }])
        );
    }

    #[test]
    fn photo_messages_speak_three_languages() {
        let large = PhotoProblem::TooLarge {
            bytes: 6_500_000,
            max: MAX_PHOTO_BYTES,
        };
        assert_eq!(
            large.message(Language::En),
            "the file is too large (6.2 MB): the limit is 5.0 MB"
        );
        assert_eq!(
            large.message(Language::Ru),
            "файл слишком большой (6,2 МБ): допускается не более 5,0 МБ"
        );
        assert!(large
            .message(Language::Tk)
            .starts_with("faýl gaty uly (6,2 MB)"));
        let aspect = PhotoProblem::WrongAspect {
            width: 1000,
            height: 1000,
        };
        assert_eq!(
            aspect.message(Language::En),
            "the photo must be 3 wide by 4 high (not 1000×1000): crop it to 750×1000"
        );
        assert_eq!(
            PhotoProblem::TooSmall {
                width: 300,
                height: 400
            }
            .message(Language::Tk),
            "surat gaty kiçi (300×400 piksel): azyndan 600×800 piksel bolmaly"
        );
        assert_eq!(PhotoProblem::NotJpegOrPng.code(), "not_jpeg_or_png");
        for problem in [
            PhotoProblem::NotJpegOrPng,
            PhotoProblem::Unreadable,
            large,
            aspect,
        ] {
            let texts: Vec<String> = Language::ALL.iter().map(|&l| problem.message(l)).collect();
            assert!(texts[0] != texts[1] && texts[1] != texts[2], "{texts:?}");
        }
    }

    #[test]
    fn crop_keeps_the_largest_three_by_four_box() {
        assert_eq!(three_by_four_crop(1000, 1000), (750, 1000));
        assert_eq!(three_by_four_crop(600, 1000), (600, 800));
        assert_eq!(three_by_four_crop(600, 800), (600, 800));
        assert_eq!(three_by_four_crop(4000, 3000), (2250, 3000));
    }

    #[test]
    fn inspect_reads_checks_and_reports() {
        assert_eq!(
            inspect_photo(&jpeg(0xC2, 900, 1200)),
            Ok(PhotoInfo {
                format: ImageFormat::Jpeg,
                width: 900,
                height: 1200
            })
        );
        assert_eq!(
            inspect_photo(&png(640, 480)),
            Err(vec![
                PhotoProblem::TooSmall {
                    width: 640,
                    height: 480
                },
                PhotoProblem::WrongAspect {
                    width: 640,
                    height: 480
                }
            ])
        );
        assert_eq!(
            inspect_photo(b"GIF89a...."),
            Err(vec![PhotoProblem::NotJpegOrPng])
        );
        assert_eq!(
            inspect_photo(&[0xFF, 0xD8, 0xFF, 0xD9]),
            Err(vec![PhotoProblem::Unreadable])
        );
    }

    // --- fee

    #[test]
    fn children_pay_nothing_and_the_schedule_may_differ_per_reason() {
        use ApplicationReason::*;
        let base = Money::tmt(6000);
        assert_eq!(application_fee(FirstPassport, 30, base), base);
        assert_eq!(application_fee(Lost, 16, base), base);
        assert_eq!(application_fee(ChildUnder16, 15, base), Money::ZERO);
        assert_eq!(application_fee(FirstPassport, 0, base), Money::ZERO);

        let schedule = FeeSchedule::default();
        assert_eq!(schedule.base, Money::tmt(6000));
        assert_eq!(schedule.per_reason.len(), ApplicationReason::ALL.len());
        for reason in ApplicationReason::ALL {
            let expected = if reason == ChildUnder16 {
                Money::ZERO
            } else {
                Money::tmt(6000)
            };
            assert_eq!(schedule.fee(reason, 40), expected, "{reason}");
            assert_eq!(schedule.fee(reason, 15), Money::ZERO, "{reason}");
        }

        let dearer_if_lost = FeeSchedule {
            base: Money::tmt(6000),
            per_reason: vec![(Lost, Money::tmt(12000))],
        };
        assert_eq!(dearer_if_lost.fee(Lost, 40), Money::tmt(12000));
        assert_eq!(dearer_if_lost.fee(Lost, 10), Money::ZERO);
        assert_eq!(dearer_if_lost.fee(Damaged, 40), Money::tmt(6000));

        let json = serde_json::to_value(&dearer_if_lost).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "base": {"amount_minor": 6000, "currency": "TMT"},
                "per_reason": [["lost", {"amount_minor": 12000, "currency": "TMT"}]]
            })
        );
        assert_eq!(
            serde_json::from_value::<FeeSchedule>(json).unwrap(),
            dearer_if_lost
        );
    }

    // --- application input

    fn ayna() -> ApplicationInput {
        ApplicationInput {
            reason: "renewal_expiring".into(),
            applicant: ApplicantDetailsInput {
                surname: "Öwezgeldiýewa".into(),
                given_names: "Aýna".into(),
                patronymic: Some("Merdanowna".into()),
                printed_surname: None,
                printed_given_names: None,
                date_of_birth: "1990-04-12".into(),
                place_of_birth: "  Aşgabat ".into(),
                sex: "f".into(),
                national_id: "I-AŞ № 123456".into(),
            },
            address: AddressInput {
                velayat: "Ashgabat".into(),
                locality: "Aşgabat".into(),
                street: "Magtymguly şaýoly 12,  5".into(),
            },
            phone: "8 65 12-34-56".into(),
            email: Some("ayna@example.com".into()),
            previous_passport: Some(PreviousPassportInput {
                number: "a 1234567".into(),
                issued_on: "2016-07-01".into(),
            }),
            guardian: None,
            collection_branch: "ashgabat-1".into(),
        }
    }

    fn child() -> ApplicationInput {
        let mut input = ayna();
        input.reason = "child_under_16".into();
        input.applicant.given_names = "Jemal".into();
        input.applicant.date_of_birth = "2015-03-01".into();
        input.applicant.national_id = "I-AŞ 654321".into();
        input.previous_passport = None;
        input.guardian = Some(GuardianInput {
            surname: "Öwezgeldiýew".into(),
            given_names: "Merdan".into(),
            patronymic: None,
            relation: "father".into(),
            national_id: "I-AŞ 111222".into(),
            consent: true,
        });
        input
    }

    fn errors_of(input: &ApplicationInput) -> FieldErrors {
        parse_application(input, today(), Language::En).unwrap_err()
    }

    #[test]
    fn a_valid_renewal_is_parsed_with_proposed_printed_names() {
        let application = parse_application(&ayna(), today(), Language::Tk).unwrap();
        let a = &application.applicant;
        assert_eq!(application.reason, ApplicationReason::RenewalExpiring);
        assert_eq!(application.full_name(), "Öwezgeldiýewa Aýna Merdanowna");
        assert_eq!(a.printed_surname.as_str(), "OEWEZGELDIYEWA");
        assert_eq!(a.printed_given_names.as_str(), "AYNA");
        assert_eq!(a.place_of_birth, "Aşgabat");
        assert_eq!(a.sex, Sex::Female);
        assert_eq!(a.national_id.as_str(), "IAŞ123456");
        assert_eq!(application.address.velayat, Region::Ashgabat);
        assert_eq!(application.address.street, "Magtymguly şaýoly 12, 5");
        assert_eq!(application.phone.as_str(), "+99365123456");
        let previous = application.previous_passport.as_ref().unwrap();
        assert_eq!(previous.number.as_str(), "A1234567");
        assert_eq!(previous.issued_on, date(2016, 7, 1));
        assert_eq!(application.guardian, None);
        assert_eq!(application.collection_branch.as_str(), "ashgabat-1");
        assert_eq!(application.age_on(today()), 36);
        assert_eq!(
            application.mrz_name(),
            "OEWEZGELDIYEWA<<AYNA<<<<<<<<<<<<<<<<<<<"
        );
        assert_eq!(
            application.fee(&FeeSchedule::default(), today()),
            Money::tmt(6000)
        );
        let json = serde_json::to_value(&application).unwrap();
        assert_eq!(json["applicant"]["sex"], "F");
        assert_eq!(json["applicant"]["date_of_birth"], "1990-04-12");
        assert_eq!(json["previous_passport"]["issued_on"], "2016-07-01");
        assert_eq!(json["address"]["velayat"], "ashgabat");
    }

    #[test]
    fn the_citizen_may_correct_the_printed_names() {
        let mut input = ayna();
        input.applicant.printed_surname = Some("Owezgeldiyewa".into());
        input.applicant.printed_given_names = Some("  ".into());
        let application = parse_application(&input, today(), Language::En).unwrap();
        assert_eq!(
            application.applicant.printed_surname.as_str(),
            "OWEZGELDIYEWA"
        );
        assert_eq!(application.applicant.printed_given_names.as_str(), "AYNA");

        input.applicant.printed_surname = Some("Öwez".into());
        let errors = errors_of(&input);
        assert_eq!(
            errors["applicant.printed_surname"],
            "may contain only Latin letters A–Z, spaces and hyphens (found 'Ö')"
        );

        let mut chinese = ayna();
        chinese.applicant.given_names = "伟".into();
        let errors = errors_of(&chinese);
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["applicant.printed_given_names"]
        );
        chinese.applicant.printed_given_names = Some("Wei".into());
        assert!(parse_application(&chinese, today(), Language::En).is_ok());
    }

    #[test]
    fn every_invalid_field_is_reported_under_its_path() {
        let input = ApplicationInput {
            reason: "holiday".into(),
            applicant: ApplicantDetailsInput {
                surname: "Amanow1".into(),
                given_names: String::new(),
                patronymic: Some("<b>".into()),
                printed_surname: Some("A1".into()),
                printed_given_names: None,
                date_of_birth: "12.04.1990".into(),
                place_of_birth: "X".into(),
                sex: "x".into(),
                national_id: "123".into(),
            },
            address: AddressInput {
                velayat: "moscow".into(),
                locality: String::new(),
                street: "1".into(),
            },
            phone: "+7 916 1234567".into(),
            email: Some("ayna".into()),
            previous_passport: None,
            guardian: None,
            collection_branch: "Ashgabat 1!".into(),
        };
        let errors = errors_of(&input);
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "address.locality",
                "address.street",
                "address.velayat",
                "applicant.date_of_birth",
                "applicant.given_names",
                "applicant.national_id",
                "applicant.patronymic",
                "applicant.place_of_birth",
                "applicant.printed_surname",
                "applicant.sex",
                "applicant.surname",
                "collection_branch",
                "email",
                "phone",
                "reason",
            ]
        );
        assert_eq!(errors["reason"], "choose a reason from the list");
        assert_eq!(
            errors["address.velayat"],
            "choose a velayat or city from the list"
        );
        assert_eq!(errors["address.locality"], "must not be empty");
        assert_eq!(errors["address.street"], "must be 2 to 200 characters long");
        assert_eq!(errors["applicant.sex"], "choose M (male) or F (female)");
        assert_eq!(errors["collection_branch"], "choose a branch from the list");
    }

    #[test]
    fn messages_follow_the_language() {
        let mut input = ayna();
        input.address.velayat = "moscow".into();
        input.previous_passport = None;
        let tk = parse_application(&input, today(), Language::Tk).unwrap_err();
        let ru = parse_application(&input, today(), Language::Ru).unwrap_err();
        let en = parse_application(&input, today(), Language::En).unwrap_err();
        assert_eq!(
            tk["address.velayat"],
            "sanawdan welaýaty ýa-da şäheri saýlaň"
        );
        assert_eq!(ru["address.velayat"], "выберите велаят или город из списка");
        assert_eq!(
            en["address.velayat"],
            "choose a velayat or city from the list"
        );
        assert_eq!(
            tk["previous_passport"],
            "öňki daşary ýurt pasportyňyzyň belgisini we berlen senesini giriziň"
        );
        assert_eq!(
            ru["previous_passport"],
            "укажите номер и дату выдачи прежнего заграничного паспорта"
        );
    }

    #[test]
    fn renewals_need_the_previous_passport_and_a_first_passport_ignores_it() {
        for reason in [
            "renewal_expiring",
            "renewal_expired",
            "damaged",
            "personal_data_changed",
        ] {
            let mut input = ayna();
            input.reason = reason.into();
            input.previous_passport = None;
            assert_eq!(
                errors_of(&input).keys().collect::<Vec<_>>(),
                ["previous_passport"],
                "{reason}"
            );
            // A block of empty strings, as a wizard sends it, is no passport either.
            input.previous_passport = Some(PreviousPassportInput::default());
            assert!(
                errors_of(&input).contains_key("previous_passport"),
                "{reason}"
            );
        }
        let mut lost = ayna();
        lost.reason = "lost".into();
        lost.previous_passport = None;
        assert!(parse_application(&lost, today(), Language::En).is_ok());
        lost.previous_passport = Some(PreviousPassportInput {
            number: "A12".into(),
            issued_on: String::new(),
        });
        let errors = errors_of(&lost);
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["previous_passport.issued_on", "previous_passport.number"]
        );

        let mut first = ayna();
        first.reason = "first_passport".into();
        first.previous_passport = Some(PreviousPassportInput {
            number: "junk".into(),
            issued_on: "junk".into(),
        });
        let application = parse_application(&first, today(), Language::En).unwrap();
        assert_eq!(application.previous_passport, None);
    }

    #[test]
    fn previous_passport_dates_are_checked() {
        let with_issue = |issued: &str| {
            let mut input = ayna();
            input.previous_passport = Some(PreviousPassportInput {
                number: "A1234567".into(),
                issued_on: issued.into(),
            });
            parse_application(&input, today(), Language::En)
        };
        assert!(with_issue("2026-06-01").is_ok());
        assert_eq!(
            with_issue("2026-06-02").unwrap_err()["previous_passport.issued_on"],
            "the date of issue must not be in the future"
        );
        assert_eq!(
            with_issue("1990-04-11").unwrap_err()["previous_passport.issued_on"],
            "the date of issue must not be before the date of birth"
        );
        assert_eq!(
            with_issue("2016/07/01").unwrap_err()["previous_passport.issued_on"],
            "must be a date in the form YYYY-MM-DD, such as 2016-06-15"
        );
    }

    #[test]
    fn a_child_under_16_needs_a_consenting_guardian_and_pays_nothing() {
        let application = parse_application(&child(), today(), Language::En).unwrap();
        let guardian = application.guardian.as_ref().unwrap();
        assert_eq!(guardian.relation, GuardianRelation::Father);
        assert_eq!(guardian.national_id.as_str(), "IAŞ111222");
        assert_eq!(application.age_on(today()), 11);
        assert_eq!(
            application.fee(&FeeSchedule::default(), today()),
            Money::ZERO
        );

        let mut no_guardian = child();
        no_guardian.guardian = None;
        assert_eq!(
            errors_of(&no_guardian)["guardian"],
            "for a child under 16, give a parent's or guardian's details"
        );

        let mut no_consent = child();
        if let Some(guardian) = no_consent.guardian.as_mut() {
            guardian.consent = false;
            guardian.relation = "uncle".into();
            guardian.national_id = String::new();
        }
        let errors = errors_of(&no_consent);
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            [
                "guardian.consent",
                "guardian.national_id",
                "guardian.relation"
            ]
        );
        assert_eq!(
            errors["guardian.consent"],
            "the parent or guardian must consent to the passport being issued"
        );
        let ru = parse_application(&no_consent, today(), Language::Ru).unwrap_err();
        assert_eq!(
            ru["guardian.consent"],
            "родитель или опекун должен дать согласие на выдачу паспорта ребёнку"
        );
    }

    #[test]
    fn the_reason_and_the_age_must_agree_on_the_application_date() {
        // 16 on the application date itself: no longer a child.
        let mut sixteen = child();
        sixteen.applicant.date_of_birth = "2010-06-01".into();
        assert_eq!(
            errors_of(&sixteen)["reason"],
            "the applicant is 16 or older on 01.06.2026: choose another reason"
        );
        // One day short of 16: still a child.
        let mut fifteen = child();
        fifteen.applicant.date_of_birth = "2010-06-02".into();
        assert!(parse_application(&fifteen, today(), Language::En).is_ok());

        // A child with an adult's reason: the reason is wrong, and the guardian is still asked.
        let mut wrong_reason = child();
        wrong_reason.reason = "first_passport".into();
        assert!(parse_application(&wrong_reason, today(), Language::En)
            .unwrap_err()
            .contains_key("reason"));
        wrong_reason.guardian = None;
        let errors = errors_of(&wrong_reason);
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["guardian", "reason"]);
        assert_eq!(
            errors["reason"],
            "the applicant is under 16: choose “Child under 16” as the reason"
        );

        // An adult's stale guardian block is ignored.
        let mut adult = ayna();
        adult.guardian = Some(GuardianInput::default());
        assert_eq!(
            parse_application(&adult, today(), Language::En)
                .unwrap()
                .guardian,
            None
        );
    }

    #[test]
    fn a_partial_draft_reads_from_json_and_round_trips() {
        let draft = serde_json::json!({
            "reason": "lost",
            "applicant": {"surname": "Amanow"}
        });
        let input: ApplicationInput = serde_json::from_value(draft).unwrap();
        assert_eq!(input.applicant.surname, "Amanow");
        assert_eq!(input.applicant.given_names, "");
        assert_eq!(input.guardian, None);
        let errors = parse_application(&input, today(), Language::En).unwrap_err();
        assert!(errors.contains_key("applicant.given_names"));
        assert!(errors.contains_key("collection_branch"));
        assert!(!errors.contains_key("applicant.surname"));

        let full = child();
        let json = serde_json::to_value(&full).unwrap();
        assert_eq!(json["guardian"]["consent"], true);
        assert_eq!(
            serde_json::from_value::<ApplicationInput>(json).unwrap(),
            full
        );
    }

    proptest! {
        #[test]
        fn transliteration_is_plain_latin_and_idempotent(name in "\\PC{0,40}") {
            let printed = icao_transliterate(&name);
            prop_assert!(printed.chars().all(|c| c.is_ascii_uppercase() || c == ' ' || c == '-'));
            prop_assert!(!printed.starts_with(' ') && !printed.ends_with(' '));
            prop_assert!(!printed.contains("  "));
            prop_assert_eq!(icao_transliterate(&printed), printed.clone());
        }

        #[test]
        fn mrz_name_is_always_39_filler_or_capitals(surname in "\\PC{0,50}", given in "\\PC{0,50}") {
            let mrz = mrz_name(&surname, &given);
            prop_assert_eq!(mrz.len(), MRZ_NAME_LENGTH);
            prop_assert!(mrz.chars().all(|c| c.is_ascii_uppercase() || c == '<'));
        }

        #[test]
        fn numbers_round_trip_and_catch_any_single_typo(
            year in 2000i32..2100,
            random in any::<u64>(),
            position in 0usize..9,
            replacement in 0usize..36,
        ) {
            let number = ApplicationNumber::from_random(year, random);
            prop_assert_eq!(ApplicationNumber::parse(number.as_str()), Ok(number.clone()));
            let mut compact: Vec<char> = number.as_str().chars().filter(|&c| c != '-').collect();
            let c = ('0'..='9').chain('A'..='Z').nth(replacement).unwrap_or('0');
            let unchanged = compact[position] == c
                || (matches!(position, 1 | 2 | 7 | 8)
                    && matches!((compact[position], c), ('0', 'O') | ('1', 'I' | 'L')));
            compact[position] = c;
            let typo: String = compact.into_iter().collect();
            prop_assert_eq!(ApplicationNumber::parse(&typo).is_ok(), unchanged);
        }

        #[test]
        fn byte_parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = png_dimensions(&bytes);
            let _ = jpeg_dimensions(&bytes);
            let mut jpeg = vec![0xFF, 0xD8];
            jpeg.extend_from_slice(&bytes);
            let _ = jpeg_dimensions(&jpeg);
            let _ = inspect_photo(&jpeg);
        }

        #[test]
        fn photo_check_matches_the_rules(
            width in 0u32..3000,
            height in 0u32..4000,
            len in 0u64..(2 * MAX_PHOTO_BYTES),
        ) {
            let ok = check_photo(ImageFormat::Jpeg, len, width, height).is_ok();
            let ratio = f64::from(width) / f64::from(height.max(1)) / 0.75;
            let expected = len <= MAX_PHOTO_BYTES
                && width >= MIN_PHOTO_WIDTH
                && height >= MIN_PHOTO_HEIGHT
                && (ratio - 1.0).abs() <= 0.02 + 1e-12;
            prop_assert_eq!(ok, expected);
        }

        #[test]
        fn parse_application_never_panics_and_fails_with_errors(
            fields in prop::collection::vec(".{0,12}", 16),
            consent in any::<bool>(),
            language in 0usize..3,
        ) {
            let input = ApplicationInput {
                reason: fields[0].clone(),
                applicant: ApplicantDetailsInput {
                    surname: fields[1].clone(),
                    given_names: fields[2].clone(),
                    patronymic: Some(fields[3].clone()),
                    printed_surname: Some(fields[4].clone()),
                    printed_given_names: None,
                    date_of_birth: fields[5].clone(),
                    place_of_birth: fields[6].clone(),
                    sex: fields[7].clone(),
                    national_id: fields[8].clone(),
                },
                address: AddressInput {
                    velayat: fields[9].clone(),
                    locality: fields[10].clone(),
                    street: fields[11].clone(),
                },
                phone: fields[12].clone(),
                email: Some(fields[13].clone()),
                previous_passport: Some(PreviousPassportInput {
                    number: fields[14].clone(),
                    issued_on: fields[15].clone(),
                }),
                guardian: Some(GuardianInput { consent, ..GuardianInput::default() }),
                collection_branch: fields[0].clone(),
            };
            let parsed = parse_application(&input, today(), Language::ALL[language]);
            if let Err(errors) = parsed {
                prop_assert!(!errors.is_empty());
            }
        }
    }
}
