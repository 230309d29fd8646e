//! Demo content of the Multimedia section (DESIGN.md §2, "Multimedia"), all of it made by the
//! project itself, nothing downloaded:
//!
//! - five instructions in Turkmen, Russian and English (Markdown) that explain Nobat's own rules:
//!   booking online, arriving and the queue, the documents for an international passport, paying
//!   by card, and applying for a passport online and tracking it;
//! - two photo albums whose pictures are drawn here with the `image` crate (illustrations, not
//!   photographs: sky, buildings, the hall's display board, the counters, a ticket, a passport);
//! - a five-second video made by ffmpeg from its own generated sources (see [`INTRO_VIDEO`]),
//!   with a drawn poster.
//!
//! Files go through [`import_file`], exactly as an upload would. Loaded idempotently: an item
//! whose slug exists is left alone, whatever an editor has done to it since.

use crate::db::schema::media_items;
use crate::error::ApiError;
use crate::routes::media::import_file;
use chrono::{DateTime, Duration, DurationRound, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use image::{Rgb, RgbImage};
use std::path::Path;

/// The intro video: 5 s, 640×360, 24 fps, H.264 (Main, yuv420p, `+faststart`), no audio, about
/// 25 KB. Made from ffmpeg's own generated sources (`gradients`, `color`, `geq`, `drawbox`,
/// `overlay`) with Debian 12's ffmpeg 5.1 and libx264; the script that made it is kept beside it
/// as `assets/nobat-intro.sh` (`cd crates/api/src/seed/assets && sh nobat-intro.sh` makes the same
/// bytes again). The exact command:
///
/// ```text
/// ffmpeg -y -hide_banner -loglevel error \
///  -f lavfi -i "gradients=s=640x360:r=24:d=5:c0=0x2f7fc1:c1=0xbfe3f5:x0=320:y0=0:x1=320:y1=300:nb_colors=2:speed=0.0001" \
///  -f lavfi -i "color=c=white:s=220x90:r=24:d=5,format=rgba,geq=r=255:g=255:b=255:a='255*clip(6*max(max(1-hypot((X-70)/48\,(Y-58)/22)\,1-hypot((X-118)/52\,(Y-44)/32))\,1-hypot((X-165)/38\,(Y-60)/18))\,0\,1)'" \
///  -f lavfi -i "color=c=0xffd54f:s=96x96:r=24:d=5,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='255*clip(40.5-hypot(X-48,Y-48),0,1)'" \
///  -f lavfi -i "color=c=black:s=24x60:r=24:d=5,format=rgba,geq=r='if(lt(Y\,19)\,224\,29)':g='if(lt(Y\,19)\,172\,53)':b='if(lt(Y\,19)\,105\,87)':a='255*if(lt(Y\,19)\,clip(8.5-hypot(X-12\,Y-10)\,0\,1)\,clip(10.5-hypot(X-12\,max(30-Y\,0))\,0\,1))'" \
///  -f lavfi -i "color=c=0xf2c14e:s=640x10:r=24:d=5" \
///  -filter_complex "\
/// [0:v][2:v]overlay=x=36:y='64-t*8':eval=frame,\
/// drawbox=x=0:y=296:w=640:h=64:color=0x3f9b4b:t=fill,\
/// drawbox=x=0:y=296:w=640:h=6:color=0x2e7d32:t=fill,\
/// drawbox=x=150:y=104:w=340:h=16:color=0x0e6b45:t=fill,\
/// drawbox=x=160:y=120:w=320:h=176:color=0xf4f1ea:t=fill,\
/// drawbox=x=286:y=60:w=68:h=40:color=0x102a43:t=fill,\
/// drawbox=x=300:y=100:w=4:h=4:color=0x102a43:t=fill,\
/// drawbox=x=336:y=100:w=4:h=4:color=0x102a43:t=fill,\
/// drawbox=x=292:y=66:w=56:h=8:color=0x2ecc71:t=fill:enable='gte(t,1)',\
/// drawbox=x=292:y=78:w=44:h=8:color=0xf2c14e:t=fill:enable='gte(t,2)',\
/// drawbox=x=292:y=90:w=50:h=6:color=0xffffff:t=fill:enable='gte(t,3)',\
/// drawbox=x=290:y=226:w=60:h=70:color=0x7a4b2a:t=fill,\
/// drawbox=x=318:y=226:w=4:h=70:color=0x5a3720:t=fill,\
/// drawbox=x=180:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=240:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=300:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=360:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=420:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=180:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=240:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=300:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=360:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=420:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
/// drawbox=x=180:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,0.6)',\
/// drawbox=x=300:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,1.2)',\
/// drawbox=x=420:y=186:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,1.8)',\
/// drawbox=x=240:y=186:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,2.4)',\
/// drawbox=x=360:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,3.0)',\
/// drawbox=x=40:y=250:w=16:h=46:color=0x6d4c41:t=fill,\
/// drawbox=x=20:y=200:w=56:h=56:color=0x2e8b57:t=fill,\
/// drawbox=x=584:y=250:w=16:h=46:color=0x6d4c41:t=fill,\
/// drawbox=x=564:y=200:w=56:h=56:color=0x2e8b57:t=fill[scene];\
/// [scene][1:v]overlay=x='360+t*50':y=4:eval=frame[c1];\
/// [c1][3:v]overlay=x='-20+min(t,3.4)*92':y=238:eval=frame[c2];\
/// [c2][4:v]overlay=x='-640+640*t/5':y=350:eval=frame,\
/// fade=t=in:st=0:d=0.5,fade=t=out:st=4.4:d=0.6,format=yuv420p[out]" \
///  -map "[out]" -t 5 -an -c:v libx264 -preset veryslow -tune animation -crf 26 -profile:v main -level 3.1 -pix_fmt yuv420p -threads 1 -movflags +faststart -fflags +bitexact -flags:v +bitexact -map_metadata -1 nobat-intro.mp4
/// ```
pub const INTRO_VIDEO: &[u8] = include_bytes!("assets/nobat-intro.mp4");

// ---------------------------------------------------------------------------------------------
// What is seeded

/// Where a file's bytes come from.
#[derive(Clone, Copy)]
enum Source {
    /// A picture drawn here, encoded as JPEG when seeded.
    Drawn(fn() -> RgbImage),
    /// Bytes kept in the repository.
    Embedded(&'static [u8]),
}

struct DemoFile {
    source: Source,
    /// The "original" file name the editor would see.
    name: &'static str,
    /// In Turkmen (the section's captions are not translated).
    caption: &'static str,
}

struct DemoItem {
    slug: &'static str,
    kind: &'static str,
    /// Turkmen, Russian, English.
    title: [&'static str; 3],
    summary: [&'static str; 3],
    /// Markdown.
    body: [&'static str; 3],
    tags: &'static [&'static str],
    /// Published this many hours before the seeding run: the section lists the newest first.
    age_hours: i64,
    files: &'static [DemoFile],
}

/// JPEG quality of the drawn pictures.
const JPEG_QUALITY: u8 = 85;

/// Loads the demo photo albums, video and instructions; how many items it inserted.
pub fn media(conn: &mut PgConnection, dir: &Path) -> Result<usize, ApiError> {
    // Whole minutes, so that the instants look like an editor's, and stay distinct.
    let now = Utc::now()
        .duration_trunc(Duration::minutes(1))
        .unwrap_or_else(|_| Utc::now());
    let mut inserted = 0;
    for (position, item) in ITEMS.iter().enumerate() {
        let exists: bool = diesel::select(diesel::dsl::exists(
            media_items::table.filter(media_items::slug.eq(item.slug)),
        ))
        .get_result(conn)?;
        if exists {
            continue;
        }
        let published_at: DateTime<Utc> = now - Duration::hours(item.age_hours);
        let id: i32 = diesel::insert_into(media_items::table)
            .values((
                media_items::slug.eq(item.slug),
                media_items::kind.eq(item.kind),
                media_items::status.eq("published"),
                media_items::title_tk.eq(item.title[0]),
                media_items::title_ru.eq(Some(item.title[1])),
                media_items::title_en.eq(Some(item.title[2])),
                media_items::summary_tk.eq(item.summary[0]),
                media_items::summary_ru.eq(Some(item.summary[1])),
                media_items::summary_en.eq(Some(item.summary[2])),
                media_items::body_tk.eq(item.body[0]),
                media_items::body_ru.eq(Some(item.body[1])),
                media_items::body_en.eq(Some(item.body[2])),
                media_items::tags.eq(item
                    .tags
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect::<Vec<_>>()),
                media_items::published_at.eq(Some(published_at)),
                media_items::sort_order.eq(i32::try_from(position).unwrap_or(0)),
            ))
            .returning(media_items::id)
            .get_result(conn)?;
        for file in item.files {
            let bytes = file_bytes(file.source)?;
            import_file(conn, dir, id, &bytes, file.name, file.caption)?;
        }
        inserted += 1;
    }
    Ok(inserted)
}

fn file_bytes(source: Source) -> Result<Vec<u8>, ApiError> {
    match source {
        Source::Embedded(bytes) => Ok(bytes.to_vec()),
        Source::Drawn(draw) => jpeg(&draw()),
    }
}

/// Encodes a picture as JPEG in memory.
fn jpeg(image: &RgbImage) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(ApiError::internal)?;
    Ok(out)
}

const ITEMS: [DemoItem; 8] = [
    DemoItem {
        slug: "nobat-bilen-tanyslyk",
        kind: "video",
        title: [
            "Nobat bilen tanyşlyk",
            "Знакомство с Nobat",
            "Meet Nobat",
        ],
        summary: [
            "Bäş sekuntlyk gysga wideo: öýden çykmazdan nobata ýazylyň, bellenen wagtyňyzda geliň.",
            "Пятисекундное видео: запишитесь, не выходя из дома, и приходите в назначенное время.",
            "A five-second clip: book from home and come at your time.",
        ],
        body: [
            INTRO_BODY_TK,
            INTRO_BODY_RU,
            INTRO_BODY_EN,
        ],
        tags: &["nobat", "wideo"],
        age_hours: 3,
        files: &[
            DemoFile {
                source: Source::Embedded(INTRO_VIDEO),
                name: "nobat-intro.mp4",
                caption: "Nobat: öýden ýazylyň, wagtynda geliň",
            },
            DemoFile {
                source: Source::Drawn(intro_poster),
                name: "nobat-intro-poster.jpg",
                caption: "Wideonyň örtügi",
            },
        ],
    },
    DemoItem {
        slug: "nobata-nadip-yazylmaly",
        kind: "instruction",
        title: [
            "Nobata onlaýn nädip ýazylmaly",
            "Как записаться на приём онлайн",
            "How to book a visit online",
        ],
        summary: [
            "Bölümi we hyzmaty saýlaň, boş wagty tapyň, ýygymy kart bilen töläň we QR kodly talonyňyzy alyň. Nobaty bellenen wagtdan 2 sagat öňe çenli ýatyryp ýa-da başga wagta geçirip bilersiňiz.",
            "Выберите отдел и услугу, найдите свободное время, оплатите пошлину картой и получите талон с QR-кодом. Отменить или перенести запись можно не позднее чем за 2 часа до назначенного времени.",
            "Choose the branch and the service, find a free time, pay the fee by card and get your ticket with its QR code. You can cancel or move the booking up to 2 hours before your time.",
        ],
        body: [BOOK_TK, BOOK_RU, BOOK_EN],
        tags: &["nobat", "gollanma", "onlaýn"],
        age_hours: 27,
        files: &[],
    },
    DemoItem {
        slug: "bolume-wagtynda-gelmek",
        kind: "instruction",
        title: [
            "Bölüme wagtynda geliň: bellige alyş we nobat",
            "Приходите вовремя: регистрация и очередь",
            "Come on time: check-in and the queue",
        ],
        summary: [
            "Bellenen wagtdan 10 minut öň geliň. Bellige alyş 60 minut öň açylýar we siziň wagtyňyzda ýapylýar: gijä galsaňyz, nobat ýitýär we täzeden ýazylmaly bolarsyňyz.",
            "Приходите за 10 минут до назначенного времени. Регистрация открывается за 60 минут и закрывается в ваше время: при опоздании запись аннулируется, и нужно записаться заново.",
            "Arrive 10 minutes before your time. Check-in opens 60 minutes before and closes at your time: if you are late, the booking is lost and you must book again.",
        ],
        body: [ARRIVE_TK, ARRIVE_RU, ARRIVE_EN],
        tags: &["nobat", "gollanma", "gelmek"],
        age_hours: 51,
        files: &[],
    },
    DemoItem {
        slug: "pasport-ucin-resminamalar",
        kind: "instruction",
        title: [
            "Daşary ýurt pasporty üçin resminamalar",
            "Документы для заграничного паспорта",
            "Documents for an international passport",
        ],
        summary: [
            "Biometrik daşary ýurt pasportyny almak üçin näme getirmeli: içerki pasport, çalşylýan pasport, çagalar üçin resminamalar, harby hasap, ýitirilen pasport barada güwänama. Döwlet pajy 60,00 TMT, 16 ýaşa çenli çagalar tölemeýär.",
            "Что принести для оформления биометрического заграничного паспорта: внутренний паспорт, прежний паспорт, документы для детей, воинский учёт, справка об утере. Госпошлина 60,00 TMT, дети до 16 лет не платят.",
            "What to bring for a biometric international passport: your internal passport, the previous passport, papers for children, military registration, a police certificate if it was lost. State fee 60,00 TMT; children under 16 pay nothing.",
        ],
        body: [DOCS_TK, DOCS_RU, DOCS_EN],
        tags: &["pasport", "resminamalar", "gollanma"],
        age_hours: 75,
        files: &[],
    },
    DemoItem {
        slug: "kart-bilen-tolemek",
        kind: "instruction",
        title: [
            "Ýygymy bank kartyňyz bilen nädip tölemeli",
            "Как оплатить пошлину банковской картой",
            "How to pay by bank card",
        ],
        summary: [
            "Altyn Asyr, Visa ýa-da Mastercard kartyňyz bilen bankyň goragly sahypasynda SMS kody arkaly töläň. Nobaty wagtynda ýatyrsaňyz, pul kartyňyza gaýtarylýar. Kartyň kodyny hiç kime aýtmaň.",
            "Оплатите картой Altyn Asyr, Visa или Mastercard на защищённой странице банка с кодом из SMS. При своевременной отмене деньги вернутся на карту. Никому не сообщайте код карты.",
            "Pay with your Altyn Asyr, Visa or Mastercard card on the bank's secure page, confirming with an SMS code. Cancel in time and the money goes back to your card. Never tell anyone your card's code.",
        ],
        body: [PAY_TK, PAY_RU, PAY_EN],
        tags: &["töleg", "kart", "gollanma"],
        age_hours: 99,
        files: &[],
    },
    DemoItem {
        slug: "pasport-arzasy-we-yzarlamak",
        kind: "instruction",
        title: [
            "Pasport üçin onlaýn arza we onuň ýagdaýyny yzarlamak",
            "Онлайн-заявление на паспорт и его статус",
            "Apply for a passport online and track it",
        ],
        summary: [
            "Arzany öýden dolduryň, döwlet pajyny töläň we P-26-4K7Q-93 ýaly belgi alyň. Ýagdaýyny belgi we doglan senäňiz bilen yzarlaň; pasport taýýar bolanda almak üçin wagt belläň.",
            "Заполните заявление из дома, оплатите госпошлину и получите номер вида P-26-4K7Q-93. Следите за статусом по номеру и дате рождения; когда паспорт будет готов, запишитесь на получение.",
            "Fill in the application from home, pay the state fee and get a number such as P-26-4K7Q-93. Track it with that number and your date of birth; when the passport is ready, book a time to collect it.",
        ],
        body: [APPLY_TK, APPLY_RU, APPLY_EN],
        tags: &["pasport", "arza", "gollanma"],
        age_hours: 123,
        files: &[],
    },
    DemoItem {
        slug: "hyzmatda-bir-gun",
        kind: "photo",
        title: [
            "Hyzmatda bir gün",
            "Один день в службе",
            "A day at the service",
        ],
        summary: [
            "Talondan penjirä çenli: bölüme gelen raýatyň ýoly suratlarda.",
            "От талона до окна: путь посетителя отдела в картинках.",
            "From the ticket to the counter: a visit to a branch in pictures.",
        ],
        body: [
            "Suratlar şekillendirme häsiýetlidir: olar Nobat ulgamynyň özi tarapyndan çekildi.",
            "Иллюстрации нарисованы самой системой Nobat.",
            "The pictures are illustrations drawn by Nobat itself.",
        ],
        tags: &["suratlar", "nobat"],
        age_hours: 147,
        files: &[
            DemoFile {
                source: Source::Drawn(ticket_scene),
                name: "talon.jpg",
                caption: "Talonyňyz telefonda: nobatyň belgisi, QR kody, sene we wagt",
            },
            DemoFile {
                source: Source::Drawn(hall_scene),
                name: "zal-tablo.jpg",
                caption: "Garaşylýan zal: tabloda A-017 belgili raýat 3-nji penjirä çagyrylýar",
            },
            DemoFile {
                source: Source::Drawn(counters_scene),
                name: "penjireler.jpg",
                caption: "Kabul ediş penjireleri: her penjiräniň üstünde häzirki belgi görkezilýär",
            },
            DemoFile {
                source: Source::Drawn(passport_scene),
                name: "pasport-tayyar.jpg",
                caption: "Pasport taýýar: ony almak üçin wagt belläň",
            },
        ],
    },
    DemoItem {
        slug: "bizin-bolumlerimiz",
        kind: "photo",
        title: ["Biziň bölümlerimiz", "Наши отделы", "Our branches"],
        summary: [
            "Migrasiýa gullugynyň bölümleri gündiz, agşam we gijesine.",
            "Отделы миграционной службы днём, вечером и ночью.",
            "The migration service's branches by day, at dusk and at night.",
        ],
        body: [
            "Suratlar şekillendirme häsiýetlidir: olar Nobat ulgamynyň özi tarapyndan çekildi. Bölümleriň salgylary we iş wagty «Nobata ýazyl» bölüminde görkezilýär.",
            "Иллюстрации нарисованы самой системой Nobat. Адреса отделов и часы работы указаны в разделе «Записаться».",
            "The pictures are illustrations drawn by Nobat itself. The branches' addresses and opening hours are in \"Book a visit\".",
        ],
        tags: &["suratlar", "bölümler"],
        age_hours: 171,
        files: &[
            DemoFile {
                source: Source::Drawn(central_office_scene),
                name: "merkezi-edara.jpg",
                caption: "Merkezi edara, Aşgabat, Azady köçesi 63 (şekillendirme)",
            },
            DemoFile {
                source: Source::Drawn(park_scene),
                name: "seyilgah.jpg",
                caption: "Bölümiň öňündäki seýilgäh: nobatyňyza garaşýarkaňyz dynç alyň",
            },
            DemoFile {
                source: Source::Drawn(evening_scene),
                name: "mary-agsam.jpg",
                caption: "Mary welaýat bölümi, Ýaşlyk köçesi 5, agşamara (şekillendirme)",
            },
            DemoFile {
                source: Source::Drawn(night_scene),
                name: "gije.jpg",
                caption: "Gije: nobata onlaýn islän wagtyňyz ýazylyp bilersiňiz",
            },
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// Texts

const INTRO_BODY_TK: &str = "\
## Wideoda näme bar

Gün dogýar, bölümiň penjireleri birin-birin ýagtylýar, tablo täze belgileri görkezýär, raýat bolsa \
**bellenen wagtynda** gapa golaýlaýar. Nobat şeýle işleýär:

1. **Öýden ýazylyň**: bölümi, hyzmaty we wagty saýlaň.
2. **Wagtynda geliň**: bellenen wagtdan 10 minut öň.
3. **Tablo boýunça** penjirä geçiň.

Jikme-jiklikler «Gollanmalar» bölüminde.
";

const INTRO_BODY_RU: &str = "\
## Что в видео

Восходит солнце, окна отдела загораются одно за другим, табло показывает новые номера, а \
посетитель подходит к двери **точно в назначенное время**. Так работает Nobat:

1. **Запишитесь из дома**: выберите отдел, услугу и время.
2. **Приходите вовремя**: за 10 минут до назначенного времени.
3. **Следите за табло** и проходите к окну.

Подробности — в разделе «Инструкции».
";

const INTRO_BODY_EN: &str = "\
## What the clip shows

The sun rises, the office's windows light up one by one, the board shows new numbers, and a \
citizen walks to the door **right on time**. That is how Nobat works:

1. **Book from home**: choose the branch, the service and the time.
2. **Come on time**: 10 minutes before your time.
3. **Watch the board** and go to the counter.

The details are in \"Instructions\".
";

const BOOK_TK: &str = "\
## Nobata ýazylmak

1. Saýtyň ýokarsyndaky **«Nobata ýazyl»** bölümini açyň.
2. Welaýaty, soňra **migrasiýa bölümini** saýlaň.
3. **Hyzmaty** saýlaň, meselem, «Daşary ýurt pasporty» ýa-da «Ýolbaşçylaryň kabul edişligi».
4. Senenamada güni, soňra **boş wagty** saýlaň. Diňe boş orny bolan wagtlar görkezilýär; \
täze günler her gün bellenen wagtda açylýar.
5. **Näçe adamyň** geljekdigini görkeziň: bir nobata 1–5 adam (meselem, maşgala) ýazylyp bilýär. \
Her adam üçin familiýasyny, adyny, atasynyň adyny, doglan senesini we **pasport belgisini** giriziň.
6. Ykjam telefon belgiňizi giriziň (meselem, **+993 65 123456**): tassyklama we öňki gün \
ýatlatma SMS bilen geler.
7. Maglumatlary barlaň. Hyzmat tölegli bolsa, **ýygymy bank kartyňyz bilen töläň**: orun size \
töleg üçin **10 minut** saklanýar.
8. **Talonyňyzy** alyň. Onda nobatyň belgisi (meselem, **AG7-K3Q-9XF**) we onuň **QR kody**, \
bölüm, sene, wagt, hyzmat we adyňyz bar. Talony telefonyňyzda saklaň ýa-da çap ediň.

> Bir pasport belgisi bilen bir hyzmata ähli bölümlerde diňe **bir işjeň nobat** alyp bolýar.

## Nobaty ýatyrmak ýa-da wagtyny üýtgetmek

Nobatyňyzy **«Meniň nobatym»** sahypasynda, talondaky salgy arkaly açyň.

| Näme etmeli | Haçana çenli | Netijesi |
|---|---|---|
| **Nobaty ýatyr** | bellenen wagtdan **2 sagat** öňe çenli | Orun boşadylýar, tölenen ýygym kartyňyza gaýtarylýar |
| **Wagtyny üýtget** | bellenen wagtdan **2 sagat** öňe çenli | Şol bölümde täze wagt saýlanýar, töleg täze wagta geçýär |

Bellenen wagta 2 sagatdan az galanda nobaty ýatyryp ýa-da üýtgedip bolmaýar.

## Nobatyňyzyň salgysyny ýitiren bolsaňyz

**«Meniň nobatym»** sahypasynda **«Nobatyňyzy tapyň»** bölümine şulary giriziň:

1. nobatyň belgisini (**AG7-K3Q-9XF** ýaly);
2. nobata ýazylan adamlaryň biriniň **pasport belgisini**;
3. şol adamyň **doglan senesini**.

Maglumatlar gabat gelse, size täze salgy berilýär, köne salgy bolsa mundan beýläk işlemeýär.
";

const BOOK_RU: &str = "\
## Запись на приём

1. Откройте раздел **«Записаться»** в верхней части сайта.
2. Выберите велаят, затем **отдел миграции**.
3. Выберите **услугу**, например «Заграничный паспорт» или «Приём у руководства».
4. Выберите день в календаре, затем **свободное время**. Показывается только время, где есть \
свободные места; новые дни открываются каждый день в установленное время.
5. Укажите, **сколько человек** придёт: в одну запись можно включить от 1 до 5 человек \
(например, семью). Для каждого введите фамилию, имя, отчество, дату рождения и **номер паспорта**.
6. Введите номер мобильного телефона (например, **+993 65 123456**): подтверждение и \
напоминание накануне придут по SMS.
7. Проверьте данные. Если услуга платная, **оплатите пошлину банковской картой**: место \
удерживается для оплаты **10 минут**.
8. Получите **талон**. В нём номер записи (например, **AG7-K3Q-9XF**) и его **QR-код**, отдел, \
дата, время, услуга и ваше имя. Сохраните талон в телефоне или распечатайте.

> По одному номеру паспорта можно иметь только **одну активную запись** на услугу во всех отделах.

## Отмена и перенос записи

Откройте запись на странице **«Моя запись»** по ссылке из талона.

| Действие | До какого времени | Результат |
|---|---|---|
| **Отменить запись** | не позднее чем за **2 часа** до приёма | Место освобождается, оплаченная пошлина возвращается на карту |
| **Перенести** | не позднее чем за **2 часа** до приёма | Новое время в том же отделе, оплата переходит на него |

Когда до приёма остаётся меньше 2 часов, отменить или перенести запись уже нельзя.

## Если вы потеряли ссылку на запись

На странице **«Моя запись»** в форме **«Найти запись»** введите:

1. номер записи (вида **AG7-K3Q-9XF**);
2. **номер паспорта** одного из записанных;
3. **дату рождения** этого человека.

Если данные совпадут, вы получите новую ссылку, а старая перестанет работать.
";

const BOOK_EN: &str = "\
## Booking a visit

1. Open **\"Book a visit\"** at the top of the site.
2. Choose the velayat, then the **migration branch**.
3. Choose the **service**, for example \"International passport\" or \"Audience with the heads of \
the office\".
4. Pick a day in the calendar, then a **free time**. Only times with a free seat are shown; new \
days open every day at a set time.
5. Say **how many people** are coming: one booking takes 1 to 5 people (a family, say). For each, \
enter the surname, given name, patronymic, date of birth and **passport number**.
6. Enter your mobile number (for example **+993 65 123456**): the confirmation and a reminder the \
day before come by SMS.
7. Check the details. If the service has a fee, **pay it by bank card**: your seat is held for \
**10 minutes** while you pay.
8. Get your **ticket**. It shows the booking reference (such as **AG7-K3Q-9XF**) and its **QR \
code**, the branch, date, time, service and your name. Keep it on your phone or print it.

> One passport number can have only **one active booking** per service, across all branches.

## Cancelling or changing the time

Open your booking on **\"My booking\"** with the link from your ticket.

| What | Until when | What happens |
|---|---|---|
| **Cancel the booking** | up to **2 hours** before your time | The seat is freed and a paid fee goes back to your card |
| **Change the time** | up to **2 hours** before your time | A new time at the same branch; the payment moves with it |

With less than 2 hours to go, the booking can no longer be cancelled or changed.

## If you lost the link to your booking

On **\"My booking\"**, in **\"Find your booking\"**, enter:

1. the booking reference (like **AG7-K3Q-9XF**);
2. the **passport number** of one of the people booked;
3. that person's **date of birth**.

If they match, you get a new link and the old one stops working.
";

const ARRIVE_TK: &str = "\
## Haçan gelmeli

**Bellenen wagtdan 10 minut öň geliň.** Ýanyňyz bilen talonyňyzy (telefonda ýa-da kagyzda) we \
pasportyňyzy alyň.

| Wagt | Näme bolýar |
|---|---|
| Bellenen wagtdan **60 minut** öň | Bellige alyş açylýar |
| Bellenen wagtdan **10 minut** öň | Geliň: şu wagt maslahat berilýär |
| **Bellenen wagtyň özi** | Bellige alyş ýapylýar |
| Bellenen wagtdan soň | Nobat ýitýär («gijä galdyňyz»): **täzeden ýazylmaly** |

## Bölümde

1. Girelgedäki **kabul ediş stolunda** talonyňyzyň **QR koduny** görkeziň ýa-da nobatyňyzyň \
belgisini aýdyň: işgär sizi bellige alýar.
2. Size nobatdaky **belgi** berilýär, meselem, **A-017**. Harp hyzmaty aňladýar (**A** — daşary \
ýurt pasporty, **R** — ýolbaşçylaryň kabul edişligi, **G** — taýýar pasporty almak), san bolsa \
şol günüň tertip belgisidir.
3. Zaldaky **tabloa** serediň: belgiňiz çagyrylanda, tablo ony we **penjiräniň belgisini** \
görkezýär, ses signaly hem eşidilýär.
4. Görkezilen penjirä geçiň. Gelmeseňiz, belgiňiz ýene çagyrylýar; **üç gezek** çagyrylandan \
soň hem gelmeseňiz, nobat «gelmedi» diýlip ýapylýar.

Bellige alnandan soň **«Meniň nobatym»** sahypasynda belgiňiz, öňüňizde näçe adamyň bardygy we \
takmynan garaşmaly wagt görkezilýär.

## Gijä galsaňyz

Bellige alyş **bellenen wagtda ýapylýar**. Şondan soň gelseňiz, nobatyňyz **ýitýär** («gijä \
galdyňyz, nobat ýitdi») we size **täzeden ýazylmaly** bolar. Ýolda gijä galjakdygyňyzy \
bilseňiz, nobaty 2 sagat öňünden başga wagta geçiriň.
";

const ARRIVE_RU: &str = "\
## Когда приходить

**Приходите за 10 минут до назначенного времени.** Возьмите с собой талон (в телефоне или на \
бумаге) и паспорт.

| Время | Что происходит |
|---|---|
| За **60 минут** до приёма | Открывается регистрация |
| За **10 минут** до приёма | Приходите: рекомендуемое время |
| **Время приёма** | Регистрация закрывается |
| После времени приёма | Запись аннулируется («опоздание»): **нужно записаться заново** |

## В отделе

1. На **стойке регистрации** у входа покажите **QR-код** талона или назовите номер записи: \
сотрудник зарегистрирует вас.
2. Вы получите **номер в очереди**, например **A-017**. Буква обозначает услугу (**A** — \
заграничный паспорт, **R** — приём у руководства, **G** — получение готового паспорта), число — \
порядковый номер за день.
3. Следите за **табло** в зале: когда вас вызовут, на нём появятся ваш номер и **номер окна**, \
прозвучит сигнал.
4. Пройдите к указанному окну. Если вы не подошли, номер вызовут ещё раз; после **трёх** вызовов \
без ответа запись закрывается как «не явился».

После регистрации на странице **«Моя запись»** видно ваш номер, сколько человек перед вами и \
примерное время ожидания.

## Если вы опоздали

Регистрация **закрывается в назначенное время**. Если вы пришли позже, запись **аннулируется** \
(«опоздание, запись аннулирована»), и нужно **записаться заново**. Если понимаете, что не \
успеваете, перенесите запись не позднее чем за 2 часа.
";

const ARRIVE_EN: &str = "\
## When to come

**Arrive 10 minutes before your time.** Bring your ticket (on your phone or on paper) and your \
passport.

| When | What happens |
|---|---|
| **60 minutes** before your time | Check-in opens |
| **10 minutes** before your time | Be there: the recommended time |
| **Your time itself** | Check-in closes |
| After your time | The booking is lost (\"missed\"): **you must book again** |

## At the branch

1. At the **arrival desk** by the entrance, show your ticket's **QR code** or say your booking \
reference: the clerk checks you in.
2. You get a **queue number** such as **A-017**. The letter is the service (**A** — international \
passport, **R** — audience with the heads of the office, **G** — collecting a ready passport); \
the number counts the day's visitors.
3. Watch the **display board** in the hall: when you are called, it shows your number and the \
**counter number**, with a chime.
4. Go to that counter. If you do not come, your number is called again; after **three** calls \
with no answer the booking is closed as \"no-show\".

Once you are checked in, **\"My booking\"** shows your number, how many people are ahead of you \
and roughly how long you will wait.

## If you are late

Check-in **closes at your time**. If you come later, the booking is **lost** (\"missed\") and you \
**must book again**. If you know you will be late, move the booking at least 2 hours before.
";

const DOCS_TK: &str = "\
## Hemmeler üçin

- **Türkmenistanyň raýatynyň pasporty** (içerki pasport), asyl nusgasy.
- Nobat talonyňyz (telefonda ýa-da kagyzda).

## Ýagdaýa görä goşmaça

| Ýagdaý | Näme getirmeli |
|---|---|
| Pasporty çalyşmak (möhleti gutarýar ýa-da gutardy) | **Öňki daşary ýurt pasporty** (täze pasport berlende tabşyrylýar) |
| 16 ýaşa çenli çaga | Çaganyň **doglandygy hakyndaky şahadatnamasy**, ata-enesiniň ýa-da hossarynyň **içerki pasporty** we olaryň **ýazmaça razylygy** (bölümde gol çekilýär) |
| 18–27 ýaşly erkekler | **Harby bilet** ýa-da **harby hasaba alnandygy** barada şahadatnama |
| Pasport ýitirilen bolsa | **Polisiýadan** pasportyň ýitirilendigi barada **güwänama** |
| Pasport zaýalanan bolsa | **Zaýalanan pasport** |

## Döwlet pajy

| Kim | Möçberi |
|---|---|
| 16 ýaş we ondan uly | **60,00 TMT** |
| 16 ýaşa çenli çagalar | **tölenmeýär** |

Döwlet pajy nobata ýazylanyňyzda bank kartyňyz bilen **onlaýn tölenýär**. Maşgala bilen \
ýazylsaňyz, ol her adam üçin aýratyn hasaplanýar; çaganyň ýaşy kabul ediş güni boýunça alynýar.

## Maslahatlar

1. Resminamalaryň **asyl nusgalaryny** getiriň.
2. Familiýaňyz ýa-da adyňyz üýtgän bolsa, muny tassyklaýan şahadatnamany (nika, adyň \
üýtgedilmegi) hem alyň.
3. Surata bölümde düşürilýär: açyk reňkli egin-eşik geýmek maslahat berilýär.
";

const DOCS_RU: &str = "\
## Всем

- **Паспорт гражданина Туркменистана** (внутренний), оригинал.
- Талон записи (в телефоне или на бумаге).

## Дополнительно, в зависимости от случая

| Случай | Что принести |
|---|---|
| Замена паспорта (срок истекает или истёк) | **Прежний заграничный паспорт** (сдаётся при получении нового) |
| Ребёнок до 16 лет | **Свидетельство о рождении** ребёнка, **внутренний паспорт** родителя или опекуна и их **письменное согласие** (подписывается в отделе) |
| Мужчины 18–27 лет | **Военный билет** или удостоверение о постановке на **воинский учёт** |
| Паспорт утерян | **Справка из полиции** об утере паспорта |
| Паспорт повреждён | **Повреждённый паспорт** |

## Государственная пошлина

| Кто | Сумма |
|---|---|
| С 16 лет | **60,00 TMT** |
| Дети до 16 лет | **не платят** |

Пошлина **оплачивается онлайн** банковской картой при записи. Если вы записываетесь семьёй, она \
считается за каждого человека отдельно; возраст ребёнка берётся на день приёма.

## Советы

1. Приносите **оригиналы** документов.
2. Если у вас менялась фамилия или имя, возьмите подтверждающее свидетельство (о браке, о перемене \
имени).
3. Фотографируют в отделе: лучше прийти в однотонной неярко-белой одежде.
";

const DOCS_EN: &str = "\
## Everyone

- Your **Turkmen citizen's (internal) passport**, the original.
- Your booking ticket (on your phone or on paper).

## Also, depending on your case

| Case | What to bring |
|---|---|
| Renewal (the passport is expiring or has expired) | Your **previous international passport** (handed in when you receive the new one) |
| A child under 16 | The child's **birth certificate**, the **internal passport** of a parent or guardian and their **written consent** (signed at the branch) |
| Men aged 18 to 27 | A **military ID** or a certificate of **military registration** |
| Lost passport | A **police certificate** that the passport was lost |
| Damaged passport | The **damaged passport** |

## State fee

| Who | Amount |
|---|---|
| Aged 16 and over | **60,00 TMT** |
| Children under 16 | **nothing** |

The fee is **paid online** by bank card when you book. Booking for a family, it is counted per \
person; a child's age is taken on the day of the visit.

## Tips

1. Bring the **originals** of your documents.
2. If your surname or name has changed, bring the certificate that shows it (marriage, change of \
name).
3. Your photo is taken at the branch: plain clothes that are not white work best.
";

const PAY_TK: &str = "\
## Haýsy kartlar kabul edilýär

| Kart | Bellik |
|---|---|
| **Altyn Asyr** | Türkmenistanyň milli töleg kartlary |
| **Visa** | SMS tassyklamasy açyk bolmaly |
| **Mastercard** | SMS tassyklamasy açyk bolmaly |

## Nädip tölemeli

1. Nobatyň maglumatlaryny barlap, **«Töle»** düwmesine basyň.
2. Siz **bankyň goragly töleg sahypasyna** geçersiňiz: salgy setirinde bankyň salgysy we gulp \
belgisi bolmaly.
3. Kartyň belgisini, möhletini, eýesiniň adyny we kartyň arkasyndaky üç sanly **kody** giriziň.
4. Telefonyňyza gelen **SMS kody** giriziň we tölegi tassyklaň.
5. Siz Nobata gaýdyp gelersiňiz we **talonyňyzy** görersiňiz.

Töleg üçin orun **10 minut** saklanýar. Şu wagtda tölemeseňiz, orun boşadylýar we täzeden \
ýazylmaly bolarsyňyz.

## Pul yzyna

- Nobaty bellenen wagtdan **2 sagat** öň ýatyrsaňyz, tölenen ýygym şol **karta gaýtarylýar**.
- Tölegiňiz orun saklanýan wagt gutarandan soň geçse, orun boş bolsa size berilýär, bolmasa pul \
gaýtarylýar: iki gezek tölemek ýa-da pul ýitirmek bolmaýar.
- Gijä galan ýa-da gelmedik nobat üçin ýygym awtomatik gaýtarylmaýar.

## Howpsuzlyk

- Kartyňyzyň maglumatlary **diňe bankyň sahypasynda** girizilýär: Nobat olary görmeýär we \
saklamaýar.
- **Kartyň kodyny we SMS kody hiç kime aýtmaň**, şol sanda özüni işgär diýip tanadýan adama hem. \
Işgärlerimiz olary hiç haçan soramaýarlar.
";

const PAY_RU: &str = "\
## Какие карты принимаются

| Карта | Примечание |
|---|---|
| **Altyn Asyr** | Национальные платёжные карты Туркменистана |
| **Visa** | Должно быть включено SMS-подтверждение |
| **Mastercard** | Должно быть включено SMS-подтверждение |

## Как оплатить

1. Проверьте данные записи и нажмите **«Оплатить»**.
2. Откроется **защищённая платёжная страница банка**: в адресной строке должен быть адрес банка \
и значок замка.
3. Введите номер карты, срок действия, имя владельца и трёхзначный **код** с обратной стороны \
карты.
4. Введите **код из SMS**, пришедший на телефон, и подтвердите платёж.
5. Вы вернётесь в Nobat и увидите свой **талон**.

Место удерживается для оплаты **10 минут**. Если не оплатить за это время, место освободится и \
нужно будет записаться заново.

## Возврат денег

- Если отменить запись не позднее чем за **2 часа** до приёма, пошлина **вернётся на ту же карту**.
- Если оплата прошла уже после окончания удержания, место закрепляется за вами, если оно ещё \
свободно, иначе деньги возвращаются: двойной оплаты или потери денег не бывает.
- За запись с опозданием или неявкой пошлина автоматически не возвращается.

## Безопасность

- Данные карты вводятся **только на странице банка**: Nobat их не видит и не хранит.
- **Никому не сообщайте код карты и код из SMS**, даже тому, кто представляется сотрудником. Наши \
сотрудники никогда их не спрашивают.
";

const PAY_EN: &str = "\
## Which cards are accepted

| Card | Note |
|---|---|
| **Altyn Asyr** | Turkmenistan's national payment cards |
| **Visa** | SMS confirmation must be switched on |
| **Mastercard** | SMS confirmation must be switched on |

## How to pay

1. Check the booking details and press **\"Pay\"**.
2. You are taken to the **bank's secure payment page**: the address bar shows the bank's address \
and a padlock.
3. Enter the card number, expiry date, the cardholder's name and the three-digit **code** on the \
back of the card.
4. Enter the **SMS code** sent to your phone and confirm.
5. You come back to Nobat and see your **ticket**.

Your seat is held for **10 minutes** while you pay. If you do not pay in that time, the seat is \
freed and you will have to book again.

## Refunds

- Cancel at least **2 hours** before your time and the fee goes **back to the same card**.
- If a payment goes through after the hold has run out, you keep the seat if it is still free, and \
otherwise the money is refunded: you never pay twice or lose money.
- A booking that was missed (late) or not attended is not refunded automatically.

## Safety

- Card details are entered **only on the bank's page**: Nobat never sees or keeps them.
- **Never tell anyone your card's code or the SMS code**, not even someone who says they are staff. \
Our staff never ask for them.
";

const APPLY_TK: &str = "\
## Arzany bermek

1. **«Pasport arzasy»** bölümini açyň.
2. Arzanyň **sebäbini** saýlaň: ilkinji gezek pasport almak, möhleti gutarýan ýa-da gutaran \
pasporty çalyşmak, ýitirilen ýa-da zaýalanan pasport, şahsy maglumatlaryň üýtgemegi, 16 ýaşa \
ýetmedik çaga.
3. **Şahsy maglumatlaryňyzy**, salgyňyzy, ykjam telefonyňyzy we pasporty aljak **bölümiňizi** \
giriziň. Gerek bolsa, öňki pasportyň ýa-da ata-enäniň (hossaryň) maglumatlaryny goşuň.
4. **Suratyňyzy** ýükläň (JPEG ýa-da PNG, açyk bir reňkli fonda).
5. Getirmeli **resminamalaryň** sanawyny barlaň.
6. Arzany barlaň, **«Arzany iber»** düwmesine basyň we **döwlet pajyny** kart bilen töläň: töleg \
geçenden soň arza iberilen hasaplanýar.
7. Arzanyň **belgisini** ýazyp alyň, meselem, **P-26-4K7Q-93**.

Arza dolduryşyňyz ýaly saklanýar: şol enjamda oňa soňra gaýdyp gelip bilersiňiz.

## Ýagdaýyny yzarlamak

**«Arzany yzarla»** sahypasynda arzanyň **belgisini** we **doglan senäňizi** giriziň. Ýagdaý \
üýtgände size SMS hem iberilýär.

| Ýagdaý | Manysy | Näme etmeli |
|---|---|---|
| **Kabul edildi** | Arza geldi | Garaşyň |
| **Seredilýär** | Maglumatlar barlanýar | Garaşyň |
| **Hereket gerek** | Bir zat ýetmeýär | Belligi okaň we gerek zady bölüme getiriň |
| **Taýýarlanýar** | Pasport taýýarlanýar | Garaşyň |
| **Taýýar** | Pasport bölümde | Almak üçin **wagt belläň** |
| **Gowşuryldy** | Pasport size berildi | Hiç zat |

Arza **ret edilse**, sebäbi görkezilýär: ony aradan aýryp, täze arza berip bilersiňiz.

## Pasporty almak

Ýagdaý **«Taýýar»** bolanda, şol sahypada **«Taýýar pasporty almak»** hyzmatyna (tölegsiz) wagt \
saýlaň. Içerki pasportyňyzy we öňki daşary ýurt pasportyňyzy (bar bolsa) getiriň.
";

const APPLY_RU: &str = "\
## Подача заявления

1. Откройте раздел **«Заявление на паспорт»**.
2. Выберите **причину**: первичное получение, замена паспорта с истекающим или истёкшим сроком, \
утеря или повреждение, изменение личных данных, ребёнок до 16 лет.
3. Введите **личные данные**, адрес, мобильный телефон и **отдел**, где будете получать паспорт. \
Если нужно, добавьте данные прежнего паспорта или родителя (опекуна).
4. Загрузите **фотографию** (JPEG или PNG, на светлом однотонном фоне).
5. Проверьте список **документов**, которые нужно принести.
6. Проверьте заявление, нажмите **«Отправить заявление»** и оплатите **госпошлину** картой: \
заявление считается поданным после оплаты.
7. Запишите **номер заявления**, например **P-26-4K7Q-93**.

Заявление сохраняется по мере заполнения: на этом устройстве к нему можно вернуться позже.

## Отслеживание статуса

На странице **«Статус заявления»** введите **номер** заявления и **дату рождения**. О смене \
статуса вы также получите SMS.

| Статус | Что значит | Что делать |
|---|---|---|
| **Принято** | Заявление поступило | Ждать |
| **На рассмотрении** | Данные проверяются | Ждать |
| **Требуются действия** | Чего-то не хватает | Прочитать примечание и принести нужное в отдел |
| **Изготавливается** | Паспорт изготавливается | Ждать |
| **Готов к выдаче** | Паспорт в отделе | **Записаться** на получение |
| **Выдан** | Паспорт у вас | Ничего |

Если в заявлении **отказано**, указывается причина: устранив её, можно подать новое заявление.

## Получение паспорта

Когда статус станет **«Готов к выдаче»**, на той же странице выберите время услуги **«Получение \
готового паспорта»** (бесплатно). Возьмите внутренний паспорт и прежний заграничный паспорт \
(если есть).
";

const APPLY_EN: &str = "\
## Applying

1. Open **\"Passport application\"**.
2. Choose the **reason**: a first passport, renewal of a passport that is expiring or has expired, \
a lost or damaged passport, a change of personal data, a child under 16.
3. Enter your **personal details**, address, mobile phone and the **branch** where you will \
collect the passport. Where asked, add the previous passport or a parent's (guardian's) details.
4. Upload your **photo** (JPEG or PNG, on a plain light background).
5. Check the list of **documents** to bring.
6. Review the application, press **\"Submit\"** and pay the **state fee** by card: the \
application counts as submitted once it is paid.
7. Write down the **application number**, such as **P-26-4K7Q-93**.

The application is saved as you fill it in: you can come back to it later on the same device.

## Tracking it

On **\"Track application\"**, enter the application **number** and your **date of birth**. You \
also get an SMS whenever the status changes.

| Status | Meaning | What to do |
|---|---|---|
| **Submitted** (Kabul edildi) | The application has arrived | Wait |
| **Under review** (Seredilýär) | The details are being checked | Wait |
| **Action needed** (Hereket gerek) | Something is missing | Read the note and bring what is needed to the branch |
| **In production** (Taýýarlanýar) | The passport is being made | Wait |
| **Ready** (Taýýar) | The passport is at the branch | **Book a time** to collect it |
| **Issued** (Gowşuryldy) | You have the passport | Nothing |

If the application is **rejected**, the reason is shown: once it is dealt with, you can apply again.

## Collecting the passport

When the status is **Ready**, pick a time on the same page for **\"Collect your passport\"** (free \
of charge). Bring your internal passport and your previous international passport, if you have \
one.
";

// ---------------------------------------------------------------------------------------------
// Drawing

type Color = [u8; 3];

const fn hex(rgb: u32) -> Color {
    [(rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8]
}

const WHITE: Color = hex(0xffffff);
const GREEN: Color = hex(0x0e6b45);
const GOLD: Color = hex(0xf2c14e);
const NAVY: Color = hex(0x102a43);
const SKIN: Color = hex(0xe0ac69);
const GLASS: Color = hex(0x9cc9e6);
const MARBLE: Color = hex(0xf4f1ea);
const LEAF: Color = hex(0x2e8b57);
const LEAF_LIGHT: Color = hex(0x4caf50);
const TRUNK: Color = hex(0x6d4c41);

/// Width and height of the album pictures.
const PHOTO: (u32, u32) = (1600, 1000);
/// The video poster, 16:9 like the video.
const POSTER: (u32, u32) = (1280, 720);

fn mix(a: Color, b: Color, t: f32) -> Color {
    let t = t.clamp(0.0, 1.0);
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// A small deterministic generator (xorshift64*), for stars, lit windows and the QR pattern.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Canvas {
    img: RgbImage,
}

impl Canvas {
    fn new((w, h): (u32, u32), fill: Color) -> Self {
        Canvas {
            img: RgbImage::from_pixel(w, h, Rgb(fill)),
        }
    }

    fn w(&self) -> i64 {
        i64::from(self.img.width())
    }

    fn h(&self) -> i64 {
        i64::from(self.img.height())
    }

    /// Blends `c` over the pixel at (x, y) with opacity `a`; outside the picture, nothing.
    fn blend(&mut self, x: i64, y: i64, c: Color, a: f32) {
        if a <= 0.0 || x < 0 || y < 0 || x >= self.w() || y >= self.h() {
            return;
        }
        let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
            return;
        };
        let p = self.img.get_pixel_mut(x, y);
        p.0 = mix(p.0, c, a);
    }

    /// The rows and columns of a rectangle that lie in the picture.
    fn clip(&self, x: i64, y: i64, w: i64, h: i64) -> (i64, i64, i64, i64) {
        (
            x.max(0),
            y.max(0),
            (x + w).min(self.w()),
            (y + h).min(self.h()),
        )
    }

    fn rect_alpha(&mut self, x: i64, y: i64, w: i64, h: i64, c: Color, a: f32) {
        let (x0, y0, x1, y1) = self.clip(x, y, w, h);
        for yy in y0..y1 {
            for xx in x0..x1 {
                self.blend(xx, yy, c, a);
            }
        }
    }

    fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Color) {
        self.rect_alpha(x, y, w, h, c, 1.0);
    }

    /// A vertical gradient from `top` to `bottom`.
    fn vgradient(&mut self, x: i64, y: i64, w: i64, h: i64, top: Color, bottom: Color) {
        let (x0, y0, x1, y1) = self.clip(x, y, w, h);
        for yy in y0..y1 {
            let c = mix(top, bottom, (yy - y) as f32 / h.max(1) as f32);
            for xx in x0..x1 {
                self.blend(xx, yy, c, 1.0);
            }
        }
    }

    /// A disc with a smooth edge.
    fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Color, a: f32) {
        let (x0, y0) = ((cx - r - 1.0).floor() as i64, (cy - r - 1.0).floor() as i64);
        let (x1, y1) = ((cx + r + 1.0).ceil() as i64, (cy + r + 1.0).ceil() as i64);
        for y in y0.max(0)..y1.min(self.h()) {
            for x in x0.max(0)..x1.min(self.w()) {
                let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
                self.blend(x, y, c, a * (r - d + 0.5).clamp(0.0, 1.0));
            }
        }
    }

    /// A rectangle with rounded corners of radius `r` and smooth edges.
    #[allow(clippy::too_many_arguments)]
    fn rounded(&mut self, x: i64, y: i64, w: i64, h: i64, r: f32, c: Color, a: f32) {
        let (fx, fy, fw, fh) = (x as f32, y as f32, w as f32, h as f32);
        let (x0, y0, x1, y1) = self.clip(x - 1, y - 1, w + 2, h + 2);
        for yy in y0..y1 {
            for xx in x0..x1 {
                let (px, py) = (xx as f32 + 0.5, yy as f32 + 0.5);
                // Distance outside the rectangle shrunk by r, less r: negative inside.
                let dx = (fx + r - px).max(px - (fx + fw - r)).max(0.0);
                let dy = (fy + r - py).max(py - (fy + fh - r)).max(0.0);
                let outside = (dx * dx + dy * dy).sqrt() - r;
                let inside_x = (px - fx).min(fx + fw - px);
                let inside_y = (py - fy).min(fy + fh - py);
                let cover = (0.5 - outside)
                    .min(inside_x + 0.5)
                    .min(inside_y + 0.5)
                    .clamp(0.0, 1.0);
                self.blend(xx, yy, c, a * cover);
            }
        }
    }

    /// A filled triangle (any winding) with smooth edges.
    fn triangle(&mut self, p: [(f32, f32); 3], c: Color, a: f32) {
        let xs = p.map(|q| q.0);
        let ys = p.map(|q| q.1);
        let min = |v: [f32; 3]| v[0].min(v[1]).min(v[2]);
        let max = |v: [f32; 3]| v[0].max(v[1]).max(v[2]);
        let (x0, x1) = (min(xs).floor() as i64 - 1, max(xs).ceil() as i64 + 1);
        let (y0, y1) = (min(ys).floor() as i64 - 1, max(ys).ceil() as i64 + 1);
        let area = (p[1].0 - p[0].0) * (p[2].1 - p[0].1) - (p[1].1 - p[0].1) * (p[2].0 - p[0].0);
        if area.abs() < f32::EPSILON {
            return;
        }
        let sign = area.signum();
        for y in y0.max(0)..y1.min(self.h()) {
            for x in x0.max(0)..x1.min(self.w()) {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let mut cover = f32::MAX;
                for i in 0..3 {
                    let (ax, ay) = p[i];
                    let (bx, by) = p[(i + 1) % 3];
                    let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt().max(1e-3);
                    let d = sign * ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / len;
                    cover = cover.min(d + 0.5);
                }
                self.blend(x, y, c, a * cover.clamp(0.0, 1.0));
            }
        }
    }

    /// Text in blocky 5×7 pixel letters, each dot `dot` pixels wide, from the top-left corner.
    fn text(&mut self, x: i64, y: i64, dot: i64, text: &str, c: Color) {
        let mut pen = x;
        for ch in text.chars() {
            let rows = glyph(ch);
            debug_assert!(rows.is_some(), "no glyph for {ch:?}");
            if accented(ch) {
                // An acute accent above the letter, as on Ý.
                self.rect(pen + 3 * dot, y - 3 * dot, dot, dot, c);
                self.rect(pen + 2 * dot, y - 2 * dot, dot, dot, c);
            }
            for (row, bits) in rows.unwrap_or([0; 7]).iter().enumerate() {
                for col in 0..5 {
                    if bits & (0b10000 >> col) != 0 {
                        self.rect(pen + col * dot, y + row as i64 * dot, dot, dot, c);
                    }
                }
            }
            pen += 6 * dot;
        }
    }

    fn into_image(self) -> RgbImage {
        self.img
    }
}

/// How wide `text` is when drawn with dots of `dot` pixels.
fn text_width(text: &str, dot: i64) -> i64 {
    let n = text.chars().count() as i64;
    (n * 6 - 1).max(0) * dot
}

/// Whether the letter is drawn as its base letter with an acute accent above.
fn accented(ch: char) -> bool {
    matches!(ch, 'Ý' | 'ý')
}

/// Rows of a 5×7 letter, the leftmost dot in bit 4 (Ý is Y with an accent: see [`accented`]).
fn glyph(ch: char) -> Option<[u8; 7]> {
    let ch = if accented(ch) { 'Y' } else { ch };
    Some(match ch.to_ascii_uppercase() {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        '>' => [0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08],
        ' ' => [0; 7],
        _ => return None,
    })
}

// Scene parts ---------------------------------------------------------------------------------

fn sun(c: &mut Canvas, x: f32, y: f32, r: f32) {
    for (grow, a) in [(2.2, 0.10), (1.7, 0.16), (1.3, 0.25)] {
        c.circle(x, y, r * grow, hex(0xfff3c4), a);
    }
    c.circle(x, y, r, hex(0xffd54f), 1.0);
}

/// A lamp's light: soft rings of warm light around a bright bulb.
fn lamp_glow(c: &mut Canvas, x: f32, y: f32, r: f32) {
    for (grow, a) in [(1.0, 0.06), (0.75, 0.08), (0.5, 0.12), (0.3, 0.18)] {
        c.circle(x, y, r * grow, hex(0xffe082), a);
    }
    c.circle(x, y, r * 0.2, hex(0xfff8e1), 1.0);
}

fn cloud(c: &mut Canvas, x: f32, y: f32, s: f32) {
    for (dx, dy, r) in [
        (0.0, 0.0, 1.0),
        (1.1, -0.35, 1.25),
        (2.2, 0.0, 0.95),
        (1.1, 0.35, 0.9),
    ] {
        c.circle(x + dx * s, y + dy * s, r * s, WHITE, 0.92);
    }
}

fn tree(c: &mut Canvas, x: f32, ground: f32, s: f32) {
    let trunk_w = (s * 0.22) as i64;
    c.rect(
        x as i64 - trunk_w / 2,
        (ground - s * 1.2) as i64,
        trunk_w,
        (s * 1.2) as i64,
        TRUNK,
    );
    c.circle(x, ground - s * 1.55, s * 0.75, LEAF, 1.0);
    c.circle(x - s * 0.45, ground - s * 1.2, s * 0.55, LEAF, 1.0);
    c.circle(x + s * 0.45, ground - s * 1.2, s * 0.55, LEAF, 1.0);
    c.circle(x - s * 0.15, ground - s * 1.75, s * 0.35, LEAF_LIGHT, 0.55);
}

/// A person seen from the front or the back, feet on `ground`, `h` pixels tall.
fn person(c: &mut Canvas, x: f32, ground: f32, h: f32, shirt: Color, back: bool) {
    let head = h * 0.13;
    let body_w = h * 0.34;
    let hair = hex(0x3e2723);
    c.rounded(
        (x - body_w / 2.0) as i64,
        (ground - h * 0.72) as i64,
        body_w as i64,
        (h * 0.72) as i64,
        body_w * 0.35,
        shirt,
        1.0,
    );
    let head_y = ground - h * 0.72 - head * 1.05;
    if back {
        c.circle(x, head_y, head, hair, 1.0);
    } else {
        c.circle(x, head_y, head, SKIN, 1.0);
        c.circle(x, head_y - head * 0.55, head * 0.8, hair, 1.0);
        c.circle(x, head_y + head * 0.15, head * 0.85, SKIN, 1.0);
    }
}

/// A grid of windows in `frame`d sashes, `off` or lit `on`; `lit` chooses, from `rng`, how many
/// in 100 glow.
#[allow(clippy::too_many_arguments)]
fn windows(
    c: &mut Canvas,
    (x, y): (i64, i64),
    (cols, rows): (i64, i64),
    (w, h): (i64, i64),
    (gap_x, gap_y): (i64, i64),
    (off, on, frame): (Color, Color, Color),
    lit: (u64, &mut Rng),
) {
    let (share, rng) = lit;
    for row in 0..rows {
        for col in 0..cols {
            let glow = rng.below(100) < share;
            let (wx, wy) = (x + col * (w + gap_x), y + row * (h + gap_y));
            c.rect(wx - 4, wy - 4, w + 8, h + 8, frame);
            c.vgradient(
                wx,
                wy,
                w,
                h,
                if glow { on } else { off },
                mix(if glow { on } else { off }, WHITE, 0.25),
            );
            c.rect(wx + w / 2 - 2, wy, 4, h, frame);
        }
    }
}

/// A dark display with rows of `number > counter`, the first row highlighted.
fn board(c: &mut Canvas, x: i64, y: i64, dot: i64, rows: &[(&str, &str)]) {
    let line = 10 * dot;
    let width = text_width("BELGI   PENJIRE", dot) + 8 * dot;
    let height = line * (rows.len() as i64 + 1) + 6 * dot;
    c.rounded(
        x - 2 * dot,
        y - 2 * dot,
        width + 4 * dot,
        height + 4 * dot,
        3.0 * dot as f32,
        hex(0x37474f),
        1.0,
    );
    c.rect(x, y, width, height, NAVY);
    c.text(x + 4 * dot, y + 3 * dot, dot, "BELGI", hex(0x90a4ae));
    c.text(
        x + width - 4 * dot - text_width("PENJIRE", dot),
        y + 3 * dot,
        dot,
        "PENJIRE",
        hex(0x90a4ae),
    );
    for (i, (number, counter)) in rows.iter().enumerate() {
        let ly = y + 3 * dot + line * (i as i64 + 1);
        let colour = if i == 0 { hex(0x2ecc71) } else { GOLD };
        if i == 0 {
            c.rect_alpha(
                x + dot,
                ly - 2 * dot,
                width - 2 * dot,
                11 * dot,
                colour,
                0.18,
            );
        }
        c.text(x + 4 * dot, ly, dot, number, colour);
        c.text(
            x + width - 4 * dot - text_width(counter, dot),
            ly,
            dot,
            counter,
            colour,
        );
    }
}

/// A QR-like pattern of `n`×`n` modules (not a readable code), with the three finder squares.
fn qr(c: &mut Canvas, x: i64, y: i64, module: i64, n: i64, seed: u64) {
    let mut rng = Rng(seed);
    c.rect(
        x - 2 * module,
        y - 2 * module,
        (n + 4) * module,
        (n + 4) * module,
        WHITE,
    );
    for row in 0..n {
        for col in 0..n {
            if rng.below(100) < 48 {
                c.rect(x + col * module, y + row * module, module, module, NAVY);
            }
        }
    }
    for (fx, fy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
        let (px, py) = (x + fx * module, y + fy * module);
        c.rect(px - module, py - module, 9 * module, 9 * module, WHITE);
        c.rect(px, py, 7 * module, 7 * module, NAVY);
        c.rect(px + module, py + module, 5 * module, 5 * module, WHITE);
        c.rect(
            px + 2 * module,
            py + 2 * module,
            3 * module,
            3 * module,
            NAVY,
        );
    }
}

// Scenes ----------------------------------------------------------------------------------------

/// The central office by day: white marble, a golden dome, columns, lawns and trees.
fn central_office_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    let horizon = 760;
    c.vgradient(0, 0, 1600, horizon, hex(0x2f7fc1), hex(0xcfeaf8));
    sun(&mut c, 1380.0, 170.0, 70.0);
    cloud(&mut c, 180.0, 170.0, 48.0);
    cloud(&mut c, 980.0, 110.0, 36.0);
    // Distant hills of the Köpetdag.
    c.circle(300.0, 980.0, 420.0, hex(0x9fb7c9), 0.6);
    c.circle(1350.0, 1020.0, 480.0, hex(0x9fb7c9), 0.6);
    // Lawn and square.
    c.vgradient(0, horizon, 1600, 240, hex(0x4caf50), hex(0x2e7d32));
    c.triangle(
        [(700.0, 760.0), (900.0, 760.0), (1100.0, 1000.0)],
        hex(0xe8e0cf),
        1.0,
    );
    c.triangle(
        [(700.0, 760.0), (1100.0, 1000.0), (500.0, 1000.0)],
        hex(0xe8e0cf),
        1.0,
    );
    // Dome.
    c.circle(800.0, 300.0, 120.0, hex(0xe0a526), 1.0);
    c.circle(770.0, 270.0, 60.0, hex(0xffd86b), 0.45);
    c.rect(796, 150, 8, 40, hex(0xe0a526));
    c.circle(800.0, 146.0, 12.0, hex(0xe0a526), 1.0);
    // Body of the building.
    c.rect(380, 300, 840, 460, MARBLE);
    c.rect(360, 290, 880, 26, GREEN);
    c.rect(380, 316, 840, 10, hex(0xd9d2c3));
    // Portico with columns and a pediment.
    c.triangle(
        [(620.0, 360.0), (980.0, 360.0), (800.0, 250.0)],
        hex(0xfbfaf6),
        1.0,
    );
    c.triangle(
        [(660.0, 350.0), (940.0, 350.0), (800.0, 280.0)],
        hex(0xe9e3d6),
        1.0,
    );
    c.rect(620, 360, 360, 24, hex(0xfbfaf6));
    for i in 0..6 {
        let x = 640 + i * 64;
        c.rect(x, 384, 28, 300, WHITE);
        c.rect(x + 20, 384, 8, 300, hex(0xe3ddd0));
        c.rect(x - 6, 676, 40, 12, hex(0xe3ddd0));
    }
    // Entrance and the sign above it.
    c.rect(760, 560, 80, 124, hex(0x7a4b2a));
    c.rect(798, 560, 4, 124, hex(0x5a3720));
    c.rounded(718, 496, 164, 48, 8.0, NAVY, 1.0);
    c.text(
        800 - text_width("NOBAT", 5) / 2,
        503,
        5,
        "NOBAT",
        hex(0x2ecc71),
    );
    let mut rng = Rng(0x6f66_6963_6531);
    windows(
        &mut c,
        (420, 380),
        (3, 3),
        (44, 70),
        (20, 36),
        (GLASS, hex(0xfbe3a1), hex(0xd9d2c3)),
        (20, &mut rng),
    );
    windows(
        &mut c,
        (1048, 380),
        (3, 3),
        (44, 70),
        (20, 36),
        (GLASS, hex(0xfbe3a1), hex(0xd9d2c3)),
        (20, &mut rng),
    );
    // Steps.
    for i in 0..4 {
        c.rect(
            600 - i * 16,
            688 + i * 18,
            400 + i * 32,
            18,
            mix(MARBLE, hex(0xbdb5a5), i as f32 / 6.0),
        );
    }
    // Trees and people.
    for x in [120.0, 250.0, 1350.0, 1480.0] {
        tree(&mut c, x, 820.0, 80.0);
    }
    person(&mut c, 560.0, 880.0, 150.0, hex(0x1565c0), false);
    person(&mut c, 610.0, 890.0, 120.0, hex(0xc62828), false);
    person(&mut c, 1040.0, 900.0, 160.0, hex(0x00695c), true);
    c.into_image()
}

/// The Mary branch at dusk: a warm sky, a long facade with lit windows, a road.
fn evening_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 420, hex(0x2c3e73), hex(0xe07a5f));
    c.vgradient(0, 420, 1600, 320, hex(0xe07a5f), hex(0xf6c177));
    sun(&mut c, 300.0, 640.0, 90.0);
    cloud(&mut c, 1080.0, 120.0, 40.0);
    c.rect(0, 740, 1600, 260, hex(0x5d4037));
    // The building, brick-beige.
    c.rect(520, 260, 900, 480, hex(0xd7b98e));
    c.rect(500, 240, 940, 30, GREEN);
    let mut rng = Rng(0x6d61_7279);
    windows(
        &mut c,
        (570, 310),
        (9, 4),
        (52, 64),
        (42, 30),
        (hex(0x5c6f91), hex(0xffd27a), hex(0xc4a57a)),
        (55, &mut rng),
    );
    c.rect(900, 620, 140, 120, hex(0x4e342e));
    c.rect(968, 620, 4, 120, hex(0x3e2723));
    c.rounded(880, 570, 180, 40, 6.0, NAVY, 1.0);
    c.text(
        970 - text_width("NOBAT", 4) / 2,
        576,
        4,
        "NOBAT",
        hex(0x2ecc71),
    );
    // Pavement, road and its markings.
    c.rect(0, 740, 1600, 40, hex(0xbcaaa4));
    c.rect(0, 780, 1600, 220, hex(0x424242));
    for i in 0..10 {
        c.rect(i * 180 + 20, 880, 100, 12, hex(0xfafafa));
    }
    // Street lamps with their glow.
    for x in [160, 700, 1240] {
        c.rect(x, 560, 10, 190, hex(0x263238));
        lamp_glow(&mut c, x as f32 + 5.0, 556.0, 80.0);
    }
    for x in [80.0, 1500.0] {
        tree(&mut c, x, 750.0, 90.0);
    }
    c.into_image()
}

/// A park in front of a branch: lawns, a fountain, benches and rows of trees.
fn park_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 520, hex(0x4a9fe0), hex(0xdff3ff));
    sun(&mut c, 220.0, 140.0, 60.0);
    cloud(&mut c, 700.0, 120.0, 40.0);
    cloud(&mut c, 1250.0, 190.0, 30.0);
    // The branch in the distance.
    c.rect(980, 300, 460, 220, MARBLE);
    c.rect(968, 290, 484, 16, GREEN);
    let mut rng = Rng(0x7061_726b);
    windows(
        &mut c,
        (1010, 330),
        (6, 2),
        (40, 50),
        (30, 30),
        (GLASS, hex(0xfbe3a1), hex(0xd9d2c3)),
        (15, &mut rng),
    );
    // Lawns and a path to the fountain.
    c.vgradient(0, 520, 1600, 480, hex(0x66bb6a), hex(0x2e7d32));
    c.triangle(
        [(760.0, 520.0), (840.0, 520.0), (1200.0, 1000.0)],
        hex(0xefe6d2),
        1.0,
    );
    c.triangle(
        [(760.0, 520.0), (1200.0, 1000.0), (400.0, 1000.0)],
        hex(0xefe6d2),
        1.0,
    );
    // Fountain.
    c.rounded(560, 700, 480, 90, 45.0, hex(0xb0bec5), 1.0);
    c.rounded(580, 712, 440, 62, 31.0, hex(0x4fc3f7), 1.0);
    c.rect(790, 610, 20, 110, hex(0xb0bec5));
    for i in 0..14 {
        let t = i as f32 / 13.0;
        let x = 800.0 + (t - 0.5) * 260.0;
        let y = 640.0 - (1.0 - (2.0 * t - 1.0).powi(2)) * 90.0;
        c.circle(x, y, 12.0, hex(0xb3e5fc), 0.8);
    }
    c.circle(800.0, 560.0, 22.0, hex(0xe1f5fe), 0.9);
    // Rows of trees.
    for i in 0..6 {
        tree(
            &mut c,
            80.0 + i as f32 * 110.0,
            600.0 + i as f32 * 4.0,
            60.0,
        );
    }
    for x in [250.0, 1350.0, 1500.0] {
        tree(&mut c, x, 900.0, 110.0);
    }
    // Benches.
    for x in [300, 1120] {
        c.rect(x, 820, 180, 14, hex(0x8d6e63));
        c.rect(x, 790, 180, 12, hex(0x8d6e63));
        c.rect(x + 10, 834, 10, 40, hex(0x4e342e));
        c.rect(x + 160, 834, 10, 40, hex(0x4e342e));
    }
    person(&mut c, 360.0, 880.0, 140.0, hex(0x7b1fa2), false);
    person(&mut c, 1200.0, 900.0, 150.0, hex(0x1565c0), false);
    person(&mut c, 1250.0, 905.0, 90.0, hex(0xf9a825), false);
    c.into_image()
}

/// Night: stars, a crescent moon, lit windows and street lamps.
fn night_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 780, hex(0x0b1026), hex(0x2b3a67));
    let mut rng = Rng(0x006e_6967_6874);
    for _ in 0..160 {
        let x = rng.below(1600) as f32;
        let y = rng.below(600) as f32;
        let r = 1.0 + rng.below(3) as f32 * 0.6;
        c.circle(x, y, r, WHITE, 0.5 + rng.below(50) as f32 / 100.0);
    }
    c.circle(1300.0, 170.0, 60.0, hex(0xfff8e1), 1.0);
    c.circle(1328.0, 150.0, 54.0, hex(0x111833), 1.0);
    // Building.
    c.rect(340, 300, 920, 480, hex(0x3a4a6b));
    c.rect(320, 286, 960, 24, hex(0x1b5e20));
    windows(
        &mut c,
        (390, 350),
        (10, 4),
        (48, 60),
        (38, 34),
        (hex(0x24304d), hex(0xffd27a), hex(0x2e3b59)),
        (45, &mut rng),
    );
    c.rect(740, 660, 120, 120, hex(0xffe0a3));
    c.rect(798, 660, 4, 120, hex(0x8d6e63));
    c.circle(800.0, 720.0, 140.0, hex(0xffe0a3), 0.12);
    c.rounded(700, 604, 200, 44, 6.0, NAVY, 1.0);
    c.text(
        800 - text_width("NOBAT", 5) / 2,
        607,
        5,
        "NOBAT",
        hex(0x2ecc71),
    );
    c.vgradient(0, 780, 1600, 220, hex(0x1b2a1f), hex(0x0d150f));
    for x in [180, 620, 980, 1420] {
        c.rect(x, 600, 10, 190, hex(0x90a4ae));
        lamp_glow(&mut c, x as f32 + 5.0, 596.0, 90.0);
    }
    c.into_image()
}

/// The waiting hall: the display board calls A-017 to counter 3; rows of seats.
fn hall_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 640, hex(0xf3efe6), hex(0xe6dfcf));
    c.rect(0, 600, 1600, 40, hex(0xcfc6b3));
    // Floor tiles.
    c.vgradient(0, 640, 1600, 360, hex(0xd7ccc8), hex(0xbcaaa4));
    for i in 0..17 {
        c.rect(i * 100, 640, 3, 360, hex(0xa1887f));
    }
    for j in 0..5 {
        c.rect(0, 640 + j * 80, 1600, 3, hex(0xa1887f));
    }
    // Windows on the back wall.
    for x in [90, 1290] {
        c.rect(x, 140, 220, 300, hex(0xd9d2c3));
        c.vgradient(x + 12, 152, 196, 276, hex(0x90caf9), hex(0xe3f2fd));
        c.rect(x + 106, 152, 8, 276, hex(0xd9d2c3));
    }
    // The display board.
    let dot = 8;
    board(
        &mut c,
        800 - (text_width("BELGI   PENJIRE", dot) + 8 * dot) / 2,
        80,
        dot,
        &[
            ("A-017", "3"),
            ("G-004", "5"),
            ("A-016", "1"),
            ("R-002", "2"),
        ],
    );
    // Plants.
    for x in [330.0, 1270.0] {
        c.rounded(x as i64 - 40, 540, 80, 90, 12.0, hex(0x8d6e63), 1.0);
        c.circle(x, 500.0, 70.0, LEAF, 1.0);
        c.circle(x - 30.0, 470.0, 40.0, LEAF_LIGHT, 0.7);
    }
    // Seats, and people waiting, seen from behind.
    let shirts = [
        hex(0x1565c0),
        hex(0xc62828),
        hex(0x6a1b9a),
        hex(0x00897b),
        hex(0xef6c00),
    ];
    for row in 0..2 {
        let y = 800 + row * 150;
        for i in 0..8 {
            let x = 230 + i * 150;
            let sitting = (row * 8 + i) % 3 != 1;
            if sitting {
                person(
                    &mut c,
                    x as f32 + 55.0,
                    y as f32 - 20.0,
                    230.0,
                    shirts[((row * 8 + i) % 5) as usize],
                    true,
                );
            }
            c.rounded(x, y - 40, 110, 70, 10.0, hex(0x455a64), 1.0);
            c.rect(x + 10, y + 30, 10, 50, hex(0x263238));
            c.rect(x + 90, y + 30, 10, 50, hex(0x263238));
        }
    }
    c.into_image()
}

/// Three counters with glass windows, the number being served above each.
fn counters_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 1000, hex(0xe8f1ee), hex(0xd3e2dc));
    c.rect(0, 0, 1600, 70, GREEN);
    let serving = [("1", "A-015"), ("2", "A-017"), ("3", "G-003")];
    for (i, (counter, number)) in serving.iter().enumerate() {
        let x = 80 + i as i64 * 500;
        // Number plate and the small display above the window.
        c.rounded(x + 150, 110, 140, 120, 14.0, GREEN, 1.0);
        c.text(
            x + 220 - text_width(counter, 14) / 2,
            121,
            14,
            counter,
            WHITE,
        );
        c.rect(x + 60, 250, 320, 90, NAVY);
        let colour = if i == 1 { hex(0x2ecc71) } else { GOLD };
        c.text(x + 220 - text_width(number, 9) / 2, 264, 9, number, colour);
        // Glass with the clerk behind it.
        c.rect(x, 360, 440, 380, hex(0xb0bec5));
        c.vgradient(x + 16, 376, 408, 348, hex(0xcfe8f6), hex(0xeaf6fc));
        person(&mut c, x as f32 + 220.0, 760.0, 330.0, hex(0x37474f), false);
        c.rect_alpha(x + 16, 376, 408, 348, WHITE, 0.25);
        c.triangle(
            [
                ((x + 60) as f32, 376.0),
                ((x + 140) as f32, 376.0),
                ((x + 40) as f32, 600.0),
            ],
            WHITE,
            0.25,
        );
        // Desk.
        c.rect(x - 20, 700, 480, 50, hex(0x8d6e63));
        c.rect(x - 20, 750, 480, 250, hex(0x6d4c41));
        c.rect(x + 160, 690, 120, 14, hex(0xfafafa));
    }
    // A citizen at counter 2, and one walking to counter 1.
    person(&mut c, 800.0, 1010.0, 420.0, hex(0xc62828), true);
    person(&mut c, 330.0, 1040.0, 460.0, hex(0x1565c0), true);
    c.into_image()
}

/// The ticket on a phone: the reference, the QR code, date and time; a paper copy beside it.
fn ticket_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 1000, hex(0x0e6b45), hex(0x16a066));
    for i in 0..8 {
        c.circle(
            100.0 + i as f32 * 220.0,
            900.0 - (i % 3) as f32 * 300.0,
            120.0,
            WHITE,
            0.05,
        );
    }
    // The printed copy, beside the phone: a header, lines of text, its QR code.
    c.rounded(1000, 230, 460, 640, 12.0, hex(0x0b4f33), 0.45);
    c.rounded(980, 210, 460, 640, 12.0, hex(0xfdfbf5), 1.0);
    c.rect(980, 210, 460, 70, GREEN);
    c.text(1210 - text_width("NOBAT", 6) / 2, 226, 6, "NOBAT", WHITE);
    c.text(1020, 310, 4, "AG7-K3Q-9XF", NAVY);
    for (i, len) in [300, 220, 260, 180].into_iter().enumerate() {
        c.rounded(1020, 370 + i as i64 * 44, len, 16, 8.0, hex(0xcfd8dc), 1.0);
    }
    qr(&mut c, 1130, 560, 6, 27, 0x4147_374b_3351);
    // A dashed line to tear along.
    for i in 0..23 {
        c.rect(990 + i * 20, 800, 10, 4, hex(0xb0bec5));
    }
    // The phone.
    c.rounded(360, 80, 500, 860, 60.0, hex(0x212121), 1.0);
    c.rounded(384, 110, 452, 800, 36.0, WHITE, 1.0);
    c.rounded(560, 126, 100, 18, 9.0, hex(0x212121), 1.0);
    c.rect(384, 160, 452, 90, GREEN);
    c.text(610 - text_width("NOBAT", 8) / 2, 177, 8, "NOBAT", WHITE);
    c.text(
        610 - text_width("AG7-K3Q-9XF", 5) / 2,
        285,
        5,
        "AG7-K3Q-9XF",
        NAVY,
    );
    qr(&mut c, 475, 350, 10, 27, 0x4147_374b_3351);
    c.text(
        610 - text_width("03.12.2026", 5) / 2,
        690,
        5,
        "03.12.2026",
        hex(0x455a64),
    );
    c.text(610 - text_width("09:30", 9) / 2, 740, 9, "09:30", NAVY);
    c.rounded(430, 830, 360, 50, 25.0, GOLD, 1.0);
    c.text(610 - text_width("A-017", 4) / 2, 841, 4, "A-017", NAVY);
    c.into_image()
}

/// A ready passport on a desk, with a pen and a plant.
fn passport_scene() -> RgbImage {
    let mut c = Canvas::new(PHOTO, WHITE);
    c.vgradient(0, 0, 1600, 300, hex(0xf5efe3), hex(0xe9dfcc));
    c.vgradient(0, 300, 1600, 700, hex(0xa1887f), hex(0x6d4c41));
    for i in 0..6 {
        c.rect(0, 340 + i * 110, 1600, 3, hex(0x8d6e63));
    }
    // Shadow and cover.
    c.rounded(600, 250, 460, 640, 26.0, hex(0x3e2723), 0.35);
    c.rounded(570, 220, 460, 640, 26.0, hex(0x1b5e20), 1.0);
    c.rect(570, 220, 30, 640, hex(0x134a17));
    c.text(
        800 - text_width("PASPORT", 9) / 2 + 15,
        300,
        9,
        "PASPORT",
        GOLD,
    );
    c.circle(815.0, 540.0, 110.0, GOLD, 1.0);
    c.circle(815.0, 540.0, 96.0, hex(0x1b5e20), 1.0);
    c.circle(815.0, 540.0, 60.0, GOLD, 0.9);
    c.circle(815.0, 540.0, 48.0, hex(0x1b5e20), 1.0);
    for i in 0..5 {
        let a = i as f32 * std::f32::consts::TAU / 5.0;
        c.circle(
            815.0 + 78.0 * a.cos(),
            540.0 + 78.0 * a.sin(),
            7.0,
            GOLD,
            1.0,
        );
    }
    c.rect(700, 760, 230, 18, GOLD);
    // Pen.
    c.triangle(
        [(1150.0, 820.0), (1420.0, 420.0), (1440.0, 434.0)],
        hex(0x263238),
        1.0,
    );
    c.triangle(
        [(1150.0, 820.0), (1440.0, 434.0), (1170.0, 834.0)],
        hex(0x263238),
        1.0,
    );
    c.triangle(
        [(1150.0, 820.0), (1170.0, 834.0), (1140.0, 860.0)],
        GOLD,
        1.0,
    );
    // Plant.
    c.rounded(160, 560, 200, 220, 20.0, hex(0xeceff1), 1.0);
    for (dx, dy, r) in [
        (0.0, 0.0, 90.0),
        (-70.0, 60.0, 70.0),
        (70.0, 50.0, 75.0),
        (0.0, -80.0, 60.0),
    ] {
        c.circle(260.0 + dx, 470.0 + dy, r, LEAF, 1.0);
    }
    c.circle(230.0, 440.0, 50.0, LEAF_LIGHT, 0.5);
    // A note "ready" on the desk.
    c.rounded(1120, 300, 300, 110, 10.0, hex(0xfff59d), 1.0);
    c.text(1270 - text_width("TAÝÝAR", 7) / 2, 330, 7, "TAÝÝAR", NAVY);
    c.into_image()
}

/// The video's poster: the scene of the video with the title and a play button.
fn intro_poster() -> RgbImage {
    let mut c = Canvas::new(POSTER, WHITE);
    // The video is 640×360; the poster twice that.
    c.vgradient(0, 0, 1280, 600, hex(0x2f7fc1), hex(0xbfe3f5));
    sun(&mut c, 168.0, 200.0, 80.0);
    cloud(&mut c, 820.0, 90.0, 40.0);
    c.rect(0, 592, 1280, 128, hex(0x3f9b4b));
    c.rect(0, 592, 1280, 12, hex(0x2e7d32));
    c.rect(300, 208, 680, 32, GREEN);
    c.rect(320, 240, 640, 352, MARBLE);
    c.rect(572, 120, 136, 80, NAVY);
    c.rect(600, 200, 8, 8, NAVY);
    c.rect(672, 200, 8, 8, NAVY);
    c.rect(584, 132, 112, 16, hex(0x2ecc71));
    c.rect(584, 156, 88, 16, GOLD);
    c.rect(584, 180, 100, 12, WHITE);
    for row in 0..2 {
        for col in 0..5 {
            let lit = matches!((row, col), (0, 0) | (0, 2) | (0, 3) | (1, 1) | (1, 4));
            c.rect(
                360 + col * 120,
                280 + row * 92,
                80,
                68,
                if lit { GOLD } else { GLASS },
            );
        }
    }
    c.rect(580, 452, 120, 140, hex(0x7a4b2a));
    c.rect(636, 452, 8, 140, hex(0x5a3720));
    for x in [96.0, 1184.0] {
        tree(&mut c, x, 596.0, 70.0);
    }
    person(&mut c, 610.0, 596.0, 120.0, hex(0x1d3557), false);
    // Title on the lawn, and a play button on the facade.
    c.rect_alpha(0, 616, 1280, 104, NAVY, 0.55);
    c.text(640 - text_width("NOBAT", 10) / 2, 633, 10, "NOBAT", WHITE);
    c.circle(640.0, 334.0, 80.0, NAVY, 0.25);
    c.circle(640.0, 330.0, 76.0, WHITE, 0.92);
    c.triangle([(612.0, 286.0), (612.0, 374.0), (690.0, 330.0)], GREEN, 1.0);
    c.into_image()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::media::render_markdown;
    use nobat_domain::media::{max_bytes, sniff, FileClass, FileType, MediaKind, Slug};

    const TURKMEN_LETTERS: &str = "çäžňöşüýÇÄŽŇÖŞÜÝ";

    /// A drawn picture: its file name, how it is drawn, and the size it should have.
    type Drawn = (&'static str, fn() -> RgbImage, (u32, u32));

    fn drawn() -> Vec<Drawn> {
        ITEMS
            .iter()
            .flat_map(|item| item.files.iter().map(move |f| (item, f)))
            .filter_map(|(item, f)| match f.source {
                Source::Drawn(draw) => Some((
                    f.name,
                    draw,
                    if item.kind == "video" { POSTER } else { PHOTO },
                )),
                Source::Embedded(_) => None,
            })
            .collect()
    }

    #[test]
    fn drawn_pictures_are_jpegs_of_the_intended_size() {
        let pictures = drawn();
        assert_eq!(pictures.len(), 9);
        for (name, draw, (w, h)) in pictures {
            let image = draw();
            assert_eq!((image.width(), image.height()), (w, h), "{name}");
            let bytes = jpeg(&image).unwrap();
            assert_eq!(sniff(&bytes), FileType::Jpeg, "{name}");
            assert!(bytes.len() as u64 <= max_bytes(FileClass::Image), "{name}");
            assert!(
                bytes.len() > 20_000,
                "{name}: {} bytes, too plain?",
                bytes.len()
            );
            let decoded = image::load_from_memory(&bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (w, h), "{name}");
            // Not one flat colour: the scene has been drawn.
            let rgb = decoded.to_rgb8();
            let mut colours: Vec<[u8; 3]> = rgb.pixels().step_by(997).map(|p| p.0).collect();
            colours.sort_unstable();
            colours.dedup();
            assert!(colours.len() > 50, "{name}: {} colours", colours.len());
        }
    }

    /// `NOBAT_SEED_PICTURES=/tmp/pictures cargo test -p nobat-api --lib seed::media -- --ignored`
    /// writes the drawn pictures there, to look at them.
    #[test]
    #[ignore]
    fn write_pictures_for_review() {
        let dir = std::path::PathBuf::from(std::env::var("NOBAT_SEED_PICTURES").unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        for (name, draw, _) in drawn() {
            std::fs::write(dir.join(name), jpeg(&draw()).unwrap()).unwrap();
        }
    }

    /// Against a scratch database: `NOBAT_SEED_TEST_DATABASE_URL=postgres://… cargo test -p
    /// nobat-api --lib seed::media -- --ignored`. Runs the migrations, seeds twice inside a
    /// transaction that is rolled back, and checks what was stored.
    #[test]
    #[ignore]
    fn seeds_once_against_a_database() {
        use crate::db::schema::media_files;
        let url = std::env::var("NOBAT_SEED_TEST_DATABASE_URL").unwrap();
        let mut conn = PgConnection::establish(&url).unwrap();
        crate::db::run_migrations(&mut conn).unwrap();
        let dir = std::env::temp_dir().join(format!("nobat-seed-media-{}", std::process::id()));
        conn.test_transaction::<_, ApiError, _>(|conn| {
            assert_eq!(media(conn, &dir)?, ITEMS.len());
            assert_eq!(media(conn, &dir)?, 0);
            let files: Vec<(String, String, Option<i32>, serde_json::Value)> = media_files::table
                .order((media_files::item_id, media_files::position))
                .select((
                    media_files::file_type,
                    media_files::class,
                    media_files::width,
                    media_files::thumbnails,
                ))
                .load(conn)?;
            assert_eq!(files.len(), 10);
            assert_eq!(files.iter().filter(|f| f.0 == "mp4").count(), 1);
            for (file_type, _, width, thumbs) in files.iter().filter(|f| f.1 == "image") {
                assert_eq!(file_type, "jpeg");
                assert!(width.is_some());
                assert!(thumbs.as_array().is_some_and(|t| !t.is_empty()));
            }
            let order: Vec<String> = media_items::table
                .order(media_items::published_at.desc())
                .select(media_items::slug)
                .load(conn)?;
            assert_eq!(order, ITEMS.map(|i| i.slug.to_owned()));
            Ok(())
        });
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn drawing_is_deterministic() {
        assert_eq!(jpeg(&hall_scene()).unwrap(), jpeg(&hall_scene()).unwrap());
        assert_eq!(night_scene(), night_scene());
    }

    #[test]
    fn every_drawn_letter_has_a_glyph() {
        for text in [
            "NOBAT",
            "BELGI",
            "PENJIRE",
            "PASPORT",
            "TAÝÝAR",
            "AG7-K3Q-9XF",
            "03.12.2026",
            "09:30",
            "A-017",
            "G-004",
            "R-002",
            "0123456789",
        ] {
            for ch in text.chars() {
                assert!(glyph(ch).is_some(), "{ch:?} in {text}");
            }
        }
        assert_eq!(text_width("A-017", 2), (5 * 6 - 1) * 2);
    }

    #[test]
    fn the_video_is_a_small_mp4_of_a_video_item() {
        assert_eq!(sniff(INTRO_VIDEO), FileType::Mp4);
        assert_eq!(FileType::Mp4.class(), Some(FileClass::Video));
        assert!(
            INTRO_VIDEO.len() <= 300 * 1024,
            "{} bytes",
            INTRO_VIDEO.len()
        );
        // `ftyp` first and `moov` before `mdat` (+faststart): playable before it is all loaded.
        let at = |tag: &[u8]| INTRO_VIDEO.windows(4).position(|w| w == tag);
        assert_eq!(at(b"ftyp"), Some(4));
        assert!(at(b"moov").unwrap() < at(b"mdat").unwrap());
    }

    #[test]
    fn every_file_suits_its_item() {
        for item in &ITEMS {
            let kind = MediaKind::parse(item.kind).unwrap();
            for file in item.files {
                let class = match file.source {
                    Source::Embedded(bytes) => sniff(bytes).class(),
                    // Drawn pictures are encoded as JPEG.
                    Source::Drawn(_) => FileType::Jpeg.class(),
                }
                .unwrap();
                assert!(kind.accepts(class), "{} {}", item.slug, file.name);
                assert!(!file.caption.trim().is_empty(), "{}", file.name);
                assert!(!file.name.is_empty());
            }
            match kind {
                MediaKind::Photo => assert!((3..=4).contains(&item.files.len()), "{}", item.slug),
                MediaKind::Video => assert_eq!(item.files.len(), 2),
                MediaKind::Instruction => {}
            }
        }
    }

    #[test]
    fn slugs_tags_and_dates_are_valid_and_distinct() {
        let mut slugs: Vec<&str> = ITEMS.iter().map(|i| i.slug).collect();
        for slug in &slugs {
            assert_eq!(Slug::parse(slug).unwrap().as_str(), *slug);
        }
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), ITEMS.len());
        let mut ages: Vec<i64> = ITEMS.iter().map(|i| i.age_hours).collect();
        assert!(ages.windows(2).all(|w| w[0] < w[1]), "listed newest first");
        ages.dedup();
        assert_eq!(ages.len(), ITEMS.len());
        for item in &ITEMS {
            assert!(!item.tags.is_empty());
            for tag in item.tags {
                assert_eq!(*tag, tag.to_lowercase());
                assert!(tag.chars().count() <= 40 && !tag.contains(','), "{tag}");
            }
        }
        let kinds = |k: &str| ITEMS.iter().filter(|i| i.kind == k).count();
        assert_eq!(
            (kinds("instruction"), kinds("photo"), kinds("video")),
            (5, 2, 1)
        );
    }

    #[test]
    fn every_text_is_in_three_languages_and_turkmen_uses_its_letters() {
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        for item in &ITEMS {
            for texts in [item.title, item.summary, item.body] {
                for text in texts {
                    assert!(!text.trim().is_empty(), "{}", item.slug);
                }
                let [tk, ru, en] = texts;
                assert!(
                    tk.chars().any(|c| TURKMEN_LETTERS.contains(c)),
                    "{}: {tk}",
                    item.slug
                );
                assert!(cyrillic(ru), "{}: {ru}", item.slug);
                assert!(!cyrillic(en), "{}: {en}", item.slug);
                assert!(!cyrillic(tk), "{}: {tk}", item.slug);
                assert_ne!(tk, en);
            }
            assert!(item.title.iter().all(|t| t.chars().count() <= 200));
            assert!(item.summary.iter().all(|t| t.chars().count() <= 1000));
        }
    }

    #[test]
    fn instructions_are_structured_alike_in_every_language() {
        let count = |html: &str, tag: &str| html.matches(tag).count();
        for item in ITEMS.iter().filter(|i| i.kind == "instruction") {
            let html = item.body.map(render_markdown);
            for (body, rendered) in item.body.iter().zip(&html) {
                assert!(body.contains("## "), "{}", item.slug);
                assert!(body.contains("**"), "{}", item.slug);
                assert!(
                    rendered.contains("<ol>"),
                    "{}: no numbered steps",
                    item.slug
                );
                assert!(rendered.contains("<strong>"), "{}", item.slug);
            }
            for tag in ["<h2>", "<table>", "<tr>", "<ol>", "<li>", "<blockquote>"] {
                let counts = html.each_ref().map(|h| count(h, tag));
                assert!(
                    counts.iter().all(|&n| n == counts[0]),
                    "{}: {tag} {counts:?}",
                    item.slug
                );
            }
            assert!(html.iter().all(|h| h.contains("<table>")), "{}", item.slug);
        }
    }

    #[test]
    fn instructions_state_nobats_rules() {
        let body = |slug: &str| {
            ITEMS
                .iter()
                .find(|i| i.slug == slug)
                .map(|i| i.body)
                .unwrap()
        };
        for text in body("nobata-nadip-yazylmaly") {
            for fact in ["2 ", "10 ", "AG7-K3Q-9XF", "QR"] {
                assert!(text.contains(fact), "{fact}: {text}");
            }
        }
        for text in body("bolume-wagtynda-gelmek") {
            for fact in ["10 ", "60 ", "A-017"] {
                assert!(text.contains(fact), "{fact}");
            }
        }
        for text in body("pasport-ucin-resminamalar") {
            for fact in ["60,00 TMT", "16", "18–27"] {
                assert!(text.contains(fact) || text.contains("18 to 27"), "{fact}");
            }
        }
        for text in body("kart-bilen-tolemek") {
            for fact in ["Altyn Asyr", "Visa", "Mastercard", "SMS", "2 "] {
                assert!(text.contains(fact), "{fact}");
            }
        }
        let [tk, _, en] = body("pasport-arzasy-we-yzarlamak");
        for status in [
            "Kabul edildi",
            "Seredilýär",
            "Taýýarlanýar",
            "Taýýar",
            "Gowşuryldy",
            "Hereket gerek",
        ] {
            assert!(tk.contains(status) && en.contains(status), "{status}");
        }
        assert!(tk.contains("P-26-4K7Q-93"));
    }
}
