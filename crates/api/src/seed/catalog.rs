//! Demo branches, services and the national holidays of 2026 and 2027.
//!
//! Addresses other than the central office (Azady köçesi 63) and the Mary department
//! (Ýaşlyk köçesi 5), the phone numbers and the coordinates are illustrative demo values.

use crate::db::schema::{
    branches, counter_services, counters, holidays, opening_breaks, opening_hours, opening_plans,
    services,
};
use chrono::{NaiveDate, NaiveTime};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::calendar::transfer_name;
use nobat_domain::Localized;

type Result<T> = std::result::Result<T, diesel::result::Error>;

struct DemoService {
    code: &'static str,
    name: [&'static str; 3],
    description: [&'static str; 3],
    documents: [&'static [&'static str]; 3],
    duration_minutes: i16,
    fee_minor: i64,
    exemptions: &'static [&'static str],
    queue_prefix: &'static str,
}

const SERVICES: [DemoService; 3] = [
    DemoService {
        code: "passport-international",
        name: ["Daşary ýurt pasporty", "Заграничный паспорт", "International passport"],
        description: [
            "Biometrik daşary ýurt pasportyny resmileşdirmek üçin resminamalary tabşyrmak we surata düşmek.",
            "Подача документов и фотографирование для оформления биометрического заграничного паспорта.",
            "Hand in your documents and have your photo taken for a biometric international passport.",
        ],
        documents: [
            &[
                "Türkmenistanyň raýatynyň pasporty (asyl nusgasy)",
                "Doglan hakynda şahadatnama (16 ýaşa çenli çagalar üçin)",
                "Öňki daşary ýurt pasporty (bar bolsa)",
                "Harby hasaba alnandygy barada resminama (harby borçlular üçin)",
                "Döwlet pajynyň tölenendigi barada talon (onlaýn tölenende)",
            ],
            &[
                "Паспорт гражданина Туркменистана (оригинал)",
                "Свидетельство о рождении (для детей до 16 лет)",
                "Прежний заграничный паспорт (при наличии)",
                "Документ воинского учёта (для военнообязанных)",
                "Талон об оплате госпошлины (при оплате онлайн)",
            ],
            &[
                "Passport of a citizen of Turkmenistan (original)",
                "Birth certificate (children under 16)",
                "Previous international passport (if any)",
                "Military registration document (if liable for service)",
                "The ticket showing the state fee paid online",
            ],
        ],
        duration_minutes: 30,
        fee_minor: 6000,
        exemptions: &["child_under_16"],
        queue_prefix: "A",
    },
    DemoService {
        code: "reception",
        name: [
            "Ýolbaşçylaryň kabul edişligi",
            "Приём у руководства",
            "Audience with the heads of the office",
        ],
        description: [
            "Migrasiýa edarasynyň ýolbaşçylary tarapyndan raýatlary şahsy meseleler boýunça kabul etmek.",
            "Личный приём граждан руководством миграционной службы.",
            "A personal audience with the heads of the migration office about your matter.",
        ],
        documents: [
            &[
                "Şahsyýetiňizi tassyklaýan resminama",
                "Meseläňize degişli resminamalar (bar bolsa)",
            ],
            &[
                "Документ, удостоверяющий личность",
                "Документы по вашему вопросу (при наличии)",
            ],
            &[
                "An identity document",
                "Documents about your matter (if any)",
            ],
        ],
        duration_minutes: 15,
        fee_minor: 0,
        exemptions: &[],
        queue_prefix: "R",
    },
    DemoService {
        code: "passport-pickup",
        name: [
            "Taýýar pasporty almak",
            "Получение готового паспорта",
            "Collect your passport",
        ],
        description: [
            "Onlaýn arza boýunça taýýar bolan daşary ýurt pasportyny almak.",
            "Получение заграничного паспорта, готового по онлайн-заявлению.",
            "Collect the international passport made for your online application.",
        ],
        documents: [
            &[
                "Türkmenistanyň raýatynyň pasporty",
                "Arzanyň belgisi (P-26-…)",
                "Öňki daşary ýurt pasporty (bar bolsa)",
            ],
            &[
                "Паспорт гражданина Туркменистана",
                "Номер заявления (P-26-…)",
                "Прежний заграничный паспорт (при наличии)",
            ],
            &[
                "Passport of a citizen of Turkmenistan",
                "The application number (P-26-…)",
                "Previous international passport (if any)",
            ],
        ],
        duration_minutes: 10,
        fee_minor: 0,
        exemptions: &[],
        queue_prefix: "G",
    },
];

struct DemoBranch {
    code: &'static str,
    region: &'static str,
    name: [&'static str; 3],
    address: [&'static str; 3],
    phone: &'static str,
    location: Option<(f64, f64)>,
    /// Counters serving passports, counters serving receptions.
    counters: (i16, i16),
    hall_capacity: Option<i32>,
    saturday: bool,
}

const fn branch(
    code: &'static str,
    region: &'static str,
    name: [&'static str; 3],
    address: [&'static str; 3],
    phone: &'static str,
    location: Option<(f64, f64)>,
    counters: (i16, i16),
) -> DemoBranch {
    DemoBranch {
        code,
        region,
        name,
        address,
        phone,
        location,
        counters,
        hall_capacity: None,
        saturday: false,
    }
}

fn demo_branches() -> Vec<DemoBranch> {
    let mut list = vec![
        branch(
            "central",
            "ashgabat",
            [
                "Döwlet migrasiýa gullugy — merkezi edara",
                "Государственная миграционная служба — центральный аппарат",
                "State Migration Service — central office",
            ],
            [
                "Aşgabat ş., Azady köçesi, 63",
                "г. Ашхабад, ул. Азади, 63",
                "63 Azady street, Aşgabat",
            ],
            "+993 12 39 00 01",
            Some((37.9380, 58.3795)),
            (4, 2),
        ),
        branch(
            "ashgabat-city",
            "ashgabat",
            [
                "Aşgabat şäher migrasiýa bölümi",
                "Ашхабадский городской отдел миграции",
                "Aşgabat city migration department",
            ],
            [
                "Aşgabat ş., Görogly köçesi, 28",
                "г. Ашхабад, ул. Гёроглы, 28",
                "28 Görogly street, Aşgabat",
            ],
            "+993 12 39 00 02",
            Some((37.9330, 58.3600)),
            (6, 1),
        ),
        branch(
            "arkadag-city",
            "arkadag",
            [
                "Arkadag şäher migrasiýa bölümi",
                "Аркадагский городской отдел миграции",
                "Arkadag city migration department",
            ],
            [
                "Arkadag ş., Bagtyýarlyk şaýoly, 5",
                "г. Аркадаг, проспект Багтыярлык, 5",
                "5 Bagtyýarlyk avenue, Arkadag",
            ],
            "+993 131 2 00 03",
            Some((37.8750, 58.2470)),
            (2, 1),
        ),
        branch(
            "ahal",
            "ahal",
            [
                "Ahal welaýat migrasiýa bölümi",
                "Ахалский велаятский отдел миграции",
                "Ahal velayat migration department",
            ],
            [
                "Arkadag ş., Ahal welaýat häkimligi, 1",
                "г. Аркадаг, хякимлик Ахалского велаята, 1",
                "1 Ahal velayat hakimlik, Arkadag",
            ],
            "+993 131 2 00 04",
            Some((37.8790, 58.2530)),
            (3, 1),
        ),
        branch(
            "balkan",
            "balkan",
            [
                "Balkan welaýat migrasiýa bölümi",
                "Балканский велаятский отдел миграции",
                "Balkan velayat migration department",
            ],
            [
                "Balkanabat ş., Magtymguly şaýoly, 12",
                "г. Балканабат, проспект Махтумкули, 12",
                "12 Magtymguly avenue, Balkanabat",
            ],
            "+993 222 2 00 05",
            Some((39.5108, 54.3671)),
            (3, 1),
        ),
        branch(
            "dashoguz",
            "dashoguz",
            [
                "Daşoguz welaýat migrasiýa bölümi",
                "Дашогузский велаятский отдел миграции",
                "Daşoguz velayat migration department",
            ],
            [
                "Daşoguz ş., Gurbansoltan eje şaýoly, 9",
                "г. Дашогуз, проспект Гурбансолтан эдже, 9",
                "9 Gurbansoltan eje avenue, Daşoguz",
            ],
            "+993 322 2 00 06",
            Some((41.8363, 59.9666)),
            (3, 1),
        ),
        branch(
            "lebap",
            "lebap",
            [
                "Lebap welaýat migrasiýa bölümi",
                "Лебапский велаятский отдел миграции",
                "Lebap velayat migration department",
            ],
            [
                "Türkmenabat ş., Şabende köçesi, 14",
                "г. Туркменабат, ул. Шабенде, 14",
                "14 Şabende street, Türkmenabat",
            ],
            "+993 422 2 00 07",
            Some((39.0733, 63.5786)),
            (3, 1),
        ),
        branch(
            "mary",
            "mary",
            [
                "Mary welaýat migrasiýa bölümi",
                "Марыйский велаятский отдел миграции",
                "Mary velayat migration department",
            ],
            [
                "Mary ş., Ýaşlyk köçesi, 5",
                "г. Мары, ул. Яшлык, 5",
                "5 Ýaşlyk street, Mary",
            ],
            "+993 522 2 00 08",
            Some((37.5936, 61.8303)),
            (3, 1),
        ),
        branch(
            "darganata",
            "lebap",
            [
                "Darganata etrap migrasiýa bölümi",
                "Дарганатинский этрапский отдел миграции",
                "Darganata district migration office",
            ],
            [
                "Darganata etraby, Birata ş., Garaşsyzlyk köçesi, 3",
                "Дарганатинский этрап, г. Бирата, ул. Гарашсызлык, 3",
                "3 Garaşsyzlyk street, Birata, Darganata district",
            ],
            "+993 440 2 00 09",
            None,
            (1, 0),
        ),
        branch(
            "gyzylarbat",
            "balkan",
            [
                "Gyzylarbat etrap migrasiýa bölümi",
                "Гызыларбатский этрапский отдел миграции",
                "Gyzylarbat district migration office",
            ],
            [
                "Gyzylarbat ş., Magtymguly köçesi, 21",
                "г. Гызыларбат, ул. Махтумкули, 21",
                "21 Magtymguly street, Gyzylarbat",
            ],
            "+993 246 2 00 10",
            None,
            (2, 0),
        ),
        branch(
            "tagtabazar",
            "mary",
            [
                "Tagtabazar etrap migrasiýa bölümi",
                "Тагтабазарский этрапский отдел миграции",
                "Tagtabazar district migration office",
            ],
            [
                "Tagtabazar etraby, Tagtabazar ş., Bitarap Türkmenistan köçesi, 7",
                "Тагтабазарский этрап, ул. Битарап Туркменистан, 7",
                "7 Bitarap Türkmenistan street, Tagtabazar",
            ],
            "+993 565 2 00 11",
            None,
            (1, 0),
        ),
        branch(
            "sarahs",
            "ahal",
            [
                "Sarahs etrap migrasiýa bölümi",
                "Сарахсский этрапский отдел миграции",
                "Sarahs district migration office",
            ],
            [
                "Sarahs etraby, Sarahs ş., Türkmenbaşy köçesi, 2",
                "Сарахсский этрап, г. Сарахс, ул. Туркменбаши, 2",
                "2 Türkmenbaşy street, Sarahs",
            ],
            "+993 134 2 00 12",
            None,
            (1, 0),
        ),
    ];
    // The central office caps its hall below its counters; the city department opens Saturdays.
    list[0].hall_capacity = Some(3);
    list[1].saturday = true;
    list
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub fn services(conn: &mut PgConnection) -> Result<usize> {
    let mut inserted = 0;
    for (order, s) in SERVICES.iter().enumerate() {
        let docs = |i: usize| {
            s.documents[i]
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        inserted += diesel::insert_into(services::table)
            .values((
                services::code.eq(s.code),
                services::name_tk.eq(s.name[0]),
                services::name_ru.eq(s.name[1]),
                services::name_en.eq(s.name[2]),
                services::description_tk.eq(s.description[0]),
                services::description_ru.eq(s.description[1]),
                services::description_en.eq(s.description[2]),
                services::documents_tk.eq(docs(0)),
                services::documents_ru.eq(docs(1)),
                services::documents_en.eq(docs(2)),
                services::duration_minutes.eq(s.duration_minutes),
                services::fee_minor.eq(s.fee_minor),
                services::exemptions.eq(s
                    .exemptions
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()),
                services::queue_prefix.eq(s.queue_prefix),
                services::sort_order.eq(order as i32),
            ))
            .on_conflict(services::code)
            .do_nothing()
            .execute(conn)?;
    }
    Ok(inserted)
}

pub fn branches(conn: &mut PgConnection) -> Result<usize> {
    let service_id = |conn: &mut PgConnection, code: &str| -> Result<i32> {
        services::table
            .filter(services::code.eq(code))
            .select(services::id)
            .first(conn)
    };
    let passport = service_id(conn, "passport-international")?;
    let reception = service_id(conn, "reception")?;
    let pickup = service_id(conn, "passport-pickup")?;
    let mut inserted = 0;
    for (order, b) in demo_branches().iter().enumerate() {
        let id: Option<i32> = diesel::insert_into(branches::table)
            .values((
                branches::code.eq(b.code),
                branches::region.eq(b.region),
                branches::name_tk.eq(b.name[0]),
                branches::name_ru.eq(b.name[1]),
                branches::name_en.eq(b.name[2]),
                branches::address_tk.eq(b.address[0]),
                branches::address_ru.eq(b.address[1]),
                branches::address_en.eq(b.address[2]),
                branches::phone.eq(b.phone),
                branches::latitude.eq(b.location.map(|l| l.0)),
                branches::longitude.eq(b.location.map(|l| l.1)),
                branches::hall_capacity.eq(b.hall_capacity),
                branches::sort_order.eq(order as i32),
            ))
            .on_conflict(branches::code)
            .do_nothing()
            .returning(branches::id)
            .get_result(conn)
            .optional()?;
        // Only a branch created just now gets demo counters and hours.
        let Some(branch_id) = id else { continue };
        inserted += 1;
        let mut number = 0i16;
        // One more counter hands over passports made for online applications.
        for (service, count) in [
            (passport, b.counters.0),
            (reception, b.counters.1),
            (pickup, 1),
        ] {
            for _ in 0..count {
                number += 1;
                let counter: i32 = diesel::insert_into(counters::table)
                    .values((
                        counters::branch_id.eq(branch_id),
                        counters::number.eq(number),
                        counters::label.eq(format!("{number}")),
                    ))
                    .returning(counters::id)
                    .get_result(conn)?;
                diesel::insert_into(counter_services::table)
                    .values((
                        counter_services::counter_id.eq(counter),
                        counter_services::service_id.eq(service),
                    ))
                    .execute(conn)?;
            }
        }
        let plan: i32 = diesel::insert_into(opening_plans::table)
            .values((
                opening_plans::branch_id.eq(branch_id),
                opening_plans::effective_from.eq(date(2020, 1, 1)),
            ))
            .returning(opening_plans::id)
            .get_result(conn)?;
        for weekday in 1..=5i16 {
            diesel::insert_into(opening_hours::table)
                .values((
                    opening_hours::plan_id.eq(plan),
                    opening_hours::weekday.eq(weekday),
                    opening_hours::opens.eq(time(9, 0)),
                    opening_hours::closes.eq(time(18, 0)),
                ))
                .execute(conn)?;
            diesel::insert_into(opening_breaks::table)
                .values((
                    opening_breaks::plan_id.eq(plan),
                    opening_breaks::weekday.eq(weekday),
                    opening_breaks::starts.eq(time(13, 0)),
                    opening_breaks::ends.eq(time(14, 0)),
                ))
                .execute(conn)?;
        }
        if b.saturday {
            diesel::insert_into(opening_hours::table)
                .values((
                    opening_hours::plan_id.eq(plan),
                    opening_hours::weekday.eq(6i16),
                    opening_hours::opens.eq(time(9, 0)),
                    opening_hours::closes.eq(time(13, 0)),
                ))
                .execute(conn)?;
        }
    }
    Ok(inserted)
}

const NEW_YEAR: [&str; 3] = ["Täze ýyl baýramy", "Новый год", "New Year's Day"];
const WOMEN: [&str; 3] = [
    "Halkara zenanlar güni",
    "Международный женский день",
    "International Women's Day",
];
const NOWRUZ: [&str; 3] = [
    "Milli bahar baýramy",
    "Национальный весенний праздник",
    "National Spring Festival (Nowruz)",
];
const CONSTITUTION: [&str; 3] = [
    "Türkmenistanyň Konstitusiýasynyň we Döwlet baýdagynyň güni",
    "День Конституции и Государственного флага Туркменистана",
    "Constitution and National Flag Day",
];
const INDEPENDENCE: [&str; 3] = [
    "Türkmenistanyň Garaşsyzlyk güni",
    "День независимости Туркменистана",
    "Independence Day",
];
const REMEMBRANCE: [&str; 3] = ["Hatyra güni", "День памяти", "Day of Remembrance"];
const NEUTRALITY: [&str; 3] = [
    "Halkara Bitaraplyk güni",
    "Международный день нейтралитета",
    "International Day of Neutrality",
];
const ORAZA: [&str; 3] = [
    "Oraza baýramy",
    "Ораза байрамы",
    "Oraza Bayram (Eid al-Fitr)",
];
const GURBAN: [&str; 3] = [
    "Gurban baýramy",
    "Курбан байрамы",
    "Gurban Bayram (Eid al-Adha)",
];

struct DemoHoliday {
    date: NaiveDate,
    kind: &'static str,
    name: Localized,
    provisional: bool,
    transferred_from: Option<NaiveDate>,
}

fn named(date: NaiveDate, kind: &'static str, name: [&str; 3], provisional: bool) -> DemoHoliday {
    DemoHoliday {
        date,
        kind,
        name: Localized::new(name[0], name[1], name[2]),
        provisional,
        transferred_from: None,
    }
}

fn fixed_holidays(year: i32) -> Vec<DemoHoliday> {
    [
        ((1, 1), NEW_YEAR),
        ((3, 8), WOMEN),
        ((3, 21), NOWRUZ),
        ((3, 22), NOWRUZ),
        ((5, 18), CONSTITUTION),
        ((9, 27), INDEPENDENCE),
        ((10, 6), REMEMBRANCE),
        ((12, 12), NEUTRALITY),
    ]
    .into_iter()
    .map(|((m, d), name)| named(date(year, m, d), "fixed", name, false))
    .collect()
}

fn demo_holidays() -> Vec<DemoHoliday> {
    let mut list = fixed_holidays(2026);
    // Decreed for 2026: Oraza, Gurban, and the days off replacing the Sunday holidays.
    list.push(named(date(2026, 3, 20), "movable", ORAZA, false));
    for day in 27..=29 {
        list.push(named(date(2026, 5, day), "movable", GURBAN, false));
    }
    for (day, from, name) in [
        (date(2026, 3, 23), date(2026, 3, 22), NOWRUZ),
        (date(2026, 9, 28), date(2026, 9, 27), INDEPENDENCE),
    ] {
        let original = Localized::new(name[0], name[1], name[2]);
        list.push(DemoHoliday {
            date: day,
            kind: "transfer",
            name: transfer_name(&original),
            provisional: false,
            transferred_from: Some(from),
        });
    }
    // 2027: fixed dates; the religious holidays are estimates until the decree.
    list.extend(fixed_holidays(2027));
    list.push(named(date(2027, 3, 10), "movable", ORAZA, true));
    for day in 16..=18 {
        list.push(named(date(2027, 5, day), "movable", GURBAN, true));
    }
    list
}

pub fn holidays(conn: &mut PgConnection) -> Result<usize> {
    let mut inserted = 0;
    for h in demo_holidays() {
        inserted += diesel::insert_into(holidays::table)
            .values((
                holidays::date.eq(h.date),
                holidays::kind.eq(h.kind),
                holidays::name_tk.eq(&h.name.tk),
                holidays::name_ru.eq(&h.name.ru),
                holidays::name_en.eq(&h.name.en),
                holidays::provisional.eq(h.provisional),
                holidays::transferred_from.eq(h.transferred_from),
            ))
            .on_conflict((holidays::date, holidays::name_en))
            .do_nothing()
            .execute(conn)?;
    }
    Ok(inserted)
}
