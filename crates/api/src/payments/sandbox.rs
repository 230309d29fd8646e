//! The sandbox acquirer: the banks' REST protocol (`register.do`, `getOrderStatusExtended.do`,
//! `refund.do`, signed callbacks) and a hosted card page with a one-time-code step, served by
//! Nobat itself under [`PREFIX`] for development and tests. Off in production configuration
//! (`NOBAT_SANDBOX_ACQUIRER=off`, the default once `NOBAT_ACQUIRER_URL` names a real bank).
//!
//! Test cards (any future expiry, any 3-digit CVC): `4111 1111 1111 1111` pays after the code
//! `000000`; `4000 0000 0000 0002` is declined; `4000 0000 0000 9995` has insufficient funds.
//! Three wrong codes fail the payment. Orders live in PostgreSQL, so every instance serves them.

use crate::db::schema::sandbox_orders as so;
use crate::db::PgPool;
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use nobat_domain::payment::{self, sandbox as rules};
use nobat_domain::{Language, Localized};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Where the sandbox lives on Nobat's own address.
pub const PREFIX: &str = "/sandbox-acquirer";

/// How the sandbox behaves; built from the payment settings.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The merchant credentials it accepts.
    pub user: String,
    pub password: String,
    /// The key it signs callbacks with.
    pub callback_key: String,
    /// Where it sends callbacks (none: it does not send them).
    pub callback_url: Option<String>,
    /// Where browsers reach it.
    pub public_url: String,
    pub timeout: Duration,
}

/// Registers the sandbox's routes (when enabled).
pub fn configure(cfg: &mut web::ServiceConfig, config: SandboxConfig) {
    cfg.service(
        web::scope(PREFIX)
            .app_data(web::Data::new(config))
            .route("/payment/rest/register.do", web::post().to(register))
            .route(
                "/payment/rest/getOrderStatusExtended.do",
                web::post().to(order_status),
            )
            .route("/payment/rest/refund.do", web::post().to(refund))
            .route("/pay/{order_id}", web::get().to(card_page))
            .route("/pay/{order_id}", web::post().to(submit_card))
            .route("/pay/{order_id}/code", web::post().to(submit_code))
            .route("/pay/{order_id}/cancel", web::post().to(cancel)),
    );
}

type Form = web::Form<HashMap<String, String>>;

fn answer(value: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(value)
}

fn protocol_error(code: u8, message: &str) -> HttpResponse {
    answer(json!({"errorCode": code.to_string(), "errorMessage": message}))
}

fn authorised(config: &SandboxConfig, form: &HashMap<String, String>) -> bool {
    form.get("userName") == Some(&config.user) && form.get("password") == Some(&config.password)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = so, check_for_backend(diesel::pg::Pg))]
struct Order {
    order_id: String,
    order_number: String,
    amount_minor: i64,
    currency: i32,
    return_url: String,
    fail_url: Option<String>,
    language: String,
    description: String,
    order_status: i16,
    action_code: i32,
    action_description: String,
    masked_pan: Option<String>,
    cardholder: Option<String>,
    awaiting_code: bool,
    code_tries: i16,
    refunded_minor: i64,
    created_at: DateTime<Utc>,
}

/// Loads an order, first timing it out when its card page session has lapsed unpaid.
fn load(conn: &mut PgConnection, order_id: &str) -> QueryResult<Option<Order>> {
    diesel::update(
        so::table
            .filter(so::order_id.eq(order_id))
            .filter(so::order_status.eq(0))
            .filter(so::expires_at.le(diesel::dsl::now)),
    )
    .set((
        so::order_status.eq(6),
        so::awaiting_code.eq(false),
        so::action_code.eq(-2007),
        so::action_description.eq("The payment session expired"),
    ))
    .execute(conn)?;
    so::table
        .filter(so::order_id.eq(order_id))
        .select(Order::as_select())
        .first(conn)
        .optional()
}

fn random_order_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

async fn register(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if !authorised(&config, &form) {
        return Ok(protocol_error(5, "Access denied"));
    }
    let field = move |name: &str| form.get(name).map(|v| v.trim().to_owned());
    let Some(order_number) = field("orderNumber").filter(|v| !v.is_empty() && v.len() <= 32) else {
        return Ok(protocol_error(
            4,
            "orderNumber is empty or longer than 32 characters",
        ));
    };
    let Some(amount) = field("amount")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|a| *a > 0)
    else {
        return Ok(protocol_error(
            4,
            "amount must be a positive whole number of minor units",
        ));
    };
    let Some(return_url) = field("returnUrl").filter(|v| v.starts_with("http")) else {
        return Ok(protocol_error(4, "returnUrl is missing"));
    };
    let currency = field("currency")
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(i32::from(payment::CURRENCY_TMT_NUMERIC));
    let timeout = field("sessionTimeoutSecs")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(1200)
        .clamp(60, 86_400);
    let language = field("language")
        .and_then(|l| Language::parse(&l).ok())
        .unwrap_or_default();
    let order_id = random_order_id()?;
    let merchant = config.user.clone();
    let form_url = format!("{}{PREFIX}/pay/{order_id}", config.public_url);
    let inserted = web::block(move || {
        let mut conn = pool.get()?;
        diesel::insert_into(so::table)
            .values((
                so::order_id.eq(&order_id),
                so::merchant.eq(merchant),
                so::order_number.eq(order_number),
                so::amount_minor.eq(amount),
                so::currency.eq(currency),
                so::return_url.eq(return_url),
                so::fail_url.eq(field("failUrl")),
                so::language.eq(language.code()),
                so::description.eq(field("description").unwrap_or_default()),
                so::expires_at.eq(Utc::now() + chrono::Duration::seconds(timeout)),
            ))
            .on_conflict_do_nothing()
            .execute(&mut conn)
            .map_err(ApiError::from)
            .map(|n| (n, order_id))
    })
    .await??;
    Ok(match inserted {
        (0, _) => protocol_error(1, "Order number already registered"),
        (_, order_id) => answer(json!({"orderId": order_id, "formUrl": form_url})),
    })
}

async fn order_status(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if !authorised(&config, &form) {
        return Ok(protocol_error(5, "Access denied"));
    }
    let order_id = form.get("orderId").cloned().unwrap_or_default();
    let order = web::block(move || {
        let mut conn = pool.get()?;
        load(&mut conn, &order_id).map_err(ApiError::from)
    })
    .await??;
    let Some(o) = order else {
        return Ok(protocol_error(6, "Order not found"));
    };
    let state = match o.order_status {
        2 => "DEPOSITED",
        4 => "REFUNDED",
        6 => "DECLINED",
        _ => "CREATED",
    };
    let deposited = if matches!(o.order_status, 2 | 4) {
        o.amount_minor
    } else {
        0
    };
    Ok(answer(json!({
        "errorCode": "0",
        "errorMessage": "Success",
        "orderNumber": o.order_number,
        "orderStatus": o.order_status,
        "actionCode": o.action_code,
        "actionCodeDescription": o.action_description,
        "amount": o.amount_minor,
        "currency": o.currency.to_string(),
        "date": o.created_at.timestamp_millis(),
        "orderDescription": o.description,
        "cardAuthInfo": {"maskedPan": o.masked_pan, "cardholderName": o.cardholder},
        "paymentAmountInfo": {
            "paymentState": state,
            "approvedAmount": deposited,
            "depositedAmount": deposited,
            "refundedAmount": o.refunded_minor,
        },
    })))
}

async fn refund(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if !authorised(&config, &form) {
        return Ok(protocol_error(5, "Access denied"));
    }
    let order_id = form.get("orderId").cloned().unwrap_or_default();
    let Some(amount) = form
        .get("amount")
        .and_then(|a| a.trim().parse::<i64>().ok())
        .filter(|a| *a > 0)
    else {
        return Ok(protocol_error(4, "amount must be a positive whole number"));
    };
    let refunded = web::block(move || {
        let mut conn = pool.get()?;
        // One statement: the refund fits into what was deposited and not yet refunded.
        diesel::update(
            so::table
                .filter(so::order_id.eq(&order_id))
                .filter(so::order_status.eq(2))
                .filter((so::refunded_minor + amount).le(so::amount_minor)),
        )
        .set((
            so::refunded_minor.eq(so::refunded_minor + amount),
            so::order_status.eq(diesel::dsl::sql::<diesel::sql_types::SmallInt>(
                "CASE WHEN refunded_minor + ",
            )
            .bind::<diesel::sql_types::BigInt, _>(amount)
            .sql(" >= amount_minor THEN 4 ELSE 2 END")),
        ))
        .returning((so::order_id, so::order_number))
        .get_result::<(String, String)>(&mut conn)
        .optional()
        .map_err(ApiError::from)
    })
    .await??;
    let Some((order_id, order_number)) = refunded else {
        return Ok(protocol_error(
            7,
            "The order is not deposited or the amount exceeds what can be refunded",
        ));
    };
    send_callback(&config, &order_id, &order_number, "refunded", true).await;
    Ok(answer(json!({"errorCode": "0", "errorMessage": "Success"})))
}

/// Tells the merchant about an operation, signed with the shared key, when callbacks are on.
/// A failed delivery is only logged: the merchant's reconciler asks for the status anyway.
async fn send_callback(
    config: &SandboxConfig,
    order_id: &str,
    order_number: &str,
    operation: &str,
    succeeded: bool,
) {
    let Some(url) = config.callback_url.clone() else {
        return;
    };
    let mut params: BTreeMap<String, String> = [
        ("mdOrder", order_id),
        ("orderNumber", order_number),
        ("operation", operation),
        ("status", if succeeded { "1" } else { "0" }),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let checksum = super::sign(&config.callback_key, &params);
    params.insert("checksum".into(), checksum);
    let timeout = config.timeout;
    let sent = web::block(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        agent
            .get(&url)
            .query_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .call()
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string())
    })
    .await;
    match sent {
        Ok(Ok(200..=299)) => {}
        Ok(Ok(status)) => tracing::warn!(status, operation, "sandbox callback refused"),
        Ok(Err(e)) => tracing::warn!(error = %e, operation, "sandbox callback failed"),
        Err(e) => tracing::warn!(error = %e, operation, "sandbox callback failed"),
    }
}

fn back_to(url: &str, order_id: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}orderId={order_id}")
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

async fn load_order(pool: &web::Data<PgPool>, order_id: String) -> Result<Order, ApiError> {
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        load(&mut conn, &order_id).map_err(ApiError::from)
    })
    .await??
    .ok_or_else(|| ApiError::not_found("No such sandbox order."))
}

async fn card_page(
    pool: web::Data<PgPool>,
    order_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = load_order(&pool, order_id.into_inner()).await?;
    Ok(page(&order, None, actix_web::http::StatusCode::OK))
}

async fn submit_card(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    order_id: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let order = load_order(&pool, order_id.into_inner()).await?;
    if order.order_status != 0 || order.awaiting_code {
        return Ok(see_other(format!("{PREFIX}/pay/{}", order.order_id)));
    }
    let language = Language::parse(&order.language).unwrap_or_default();
    let say = |tk: &str, ru: &str, en: &str| Localized::new(tk, ru, en).get(language).to_owned();
    let field = |name: &str| {
        form.get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let digits = payment::card_digits(&field("pan")).filter(|d| payment::luhn_valid(d));
    let mut problems = Vec::new();
    if digits.is_none() {
        problems.push(say(
            "Kartyň belgisi nädogry.",
            "Неверный номер карты.",
            "The card number is not valid.",
        ));
    }
    if !payment::expiry_valid(
        &field("expiry"),
        nobat_domain::calendar::local_date(Utc::now()),
    ) {
        problems.push(say(
            "Kartyň möhleti nädogry ýa-da geçipdir (AA/ÝÝ).",
            "Срок действия неверен или истёк (ММ/ГГ).",
            "The expiry date is wrong or has passed (MM/YY).",
        ));
    }
    let cvc = field("cvc");
    if !(cvc.len() == 3 && cvc.chars().all(|c| c.is_ascii_digit())) {
        problems.push(say(
            "CVC 3 sanly bolmaly.",
            "CVC — 3 цифры.",
            "The CVC is 3 digits.",
        ));
    }
    let holder = field("holder").to_uppercase();
    if holder.is_empty() || holder.chars().count() > 64 {
        problems.push(say(
            "Kartyň eýesiniň adyny ýazyň.",
            "Укажите имя владельца карты.",
            "Enter the cardholder's name.",
        ));
    }
    let Some(digits) = digits.filter(|_| problems.is_empty()) else {
        return Ok(page(
            &order,
            Some(problems.join(" ")),
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let behaviour = rules::behaviour(&digits);
    let masked = payment::mask_pan(&digits);
    let (action_code, description) = behaviour.action_code();
    let id = order.order_id.clone();
    let approves = behaviour == rules::CardBehaviour::Approves;
    let pool2 = pool.clone();
    let changed = web::block(move || {
        let mut conn = pool2.get()?;
        let target = so::table
            .filter(so::order_id.eq(&id))
            .filter(so::order_status.eq(0))
            .filter(so::awaiting_code.eq(false));
        let n = if approves {
            diesel::update(target)
                .set((
                    so::awaiting_code.eq(true),
                    so::masked_pan.eq(&masked),
                    so::cardholder.eq(&holder),
                ))
                .execute(&mut conn)?
        } else {
            diesel::update(target)
                .set((
                    so::order_status.eq(6),
                    so::action_code.eq(action_code as i32),
                    so::action_description.eq(description),
                    so::masked_pan.eq(&masked),
                    so::cardholder.eq(&holder),
                ))
                .execute(&mut conn)?
        };
        Ok::<_, ApiError>(n)
    })
    .await??;
    if changed == 1 && !approves {
        send_callback(
            &config,
            &order.order_id,
            &order.order_number,
            "deposited",
            false,
        )
        .await;
        return Ok(see_other(back_to(
            order.fail_url.as_deref().unwrap_or(&order.return_url),
            &order.order_id,
        )));
    }
    Ok(see_other(format!("{PREFIX}/pay/{}", order.order_id)))
}

async fn submit_code(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    order_id: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let order = load_order(&pool, order_id.into_inner()).await?;
    if order.order_status != 0 || !order.awaiting_code {
        return Ok(see_other(format!("{PREFIX}/pay/{}", order.order_id)));
    }
    let right = form.get("code").map(|c| c.trim()) == Some(rules::ONE_TIME_CODE);
    let id = order.order_id.clone();
    let pool2 = pool.clone();
    let after = web::block(move || {
        let mut conn = pool2.get()?;
        let target = so::table
            .filter(so::order_id.eq(&id))
            .filter(so::order_status.eq(0))
            .filter(so::awaiting_code.eq(true));
        if right {
            diesel::update(target)
                .set((
                    so::order_status.eq(2),
                    so::awaiting_code.eq(false),
                    so::action_code.eq(0),
                    so::action_description.eq("Approved"),
                    so::deposited_at.eq(Some(Utc::now())),
                ))
                .execute(&mut conn)?;
        } else {
            diesel::update(target)
                .set((
                    so::code_tries.eq(so::code_tries + 1),
                    so::order_status.eq(diesel::dsl::sql::<diesel::sql_types::SmallInt>(&format!(
                        "CASE WHEN code_tries + 1 >= {} THEN 6 ELSE 0 END",
                        rules::CODE_TRIES
                    ))),
                    so::action_code.eq(diesel::dsl::sql::<diesel::sql_types::Integer>(&format!(
                        "CASE WHEN code_tries + 1 >= {} THEN -2006 ELSE 0 END",
                        rules::CODE_TRIES
                    ))),
                    so::action_description.eq("3-D Secure one-time code was wrong"),
                ))
                .execute(&mut conn)?;
        }
        load(&mut conn, &id).map_err(ApiError::from)
    })
    .await??
    .ok_or_else(|| ApiError::not_found("No such sandbox order."))?;
    match after.order_status {
        2 if right => {
            send_callback(
                &config,
                &after.order_id,
                &after.order_number,
                "deposited",
                true,
            )
            .await;
            Ok(see_other(back_to(&after.return_url, &after.order_id)))
        }
        6 => {
            send_callback(
                &config,
                &after.order_id,
                &after.order_number,
                "deposited",
                false,
            )
            .await;
            Ok(see_other(back_to(
                after.fail_url.as_deref().unwrap_or(&after.return_url),
                &after.order_id,
            )))
        }
        0 => {
            let language = Language::parse(&after.language).unwrap_or_default();
            let left = i16::from(rules::CODE_TRIES) - after.code_tries;
            let message = format!(
                "{} {left}",
                Localized::new(
                    "Kod nädogry. Galan synanyşyk:",
                    "Неверный код. Осталось попыток:",
                    "Wrong code. Tries left:"
                )
                .get(language)
            );
            Ok(page(
                &after,
                Some(message),
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        _ => Ok(see_other(format!("{PREFIX}/pay/{}", after.order_id))),
    }
}

async fn cancel(
    pool: web::Data<PgPool>,
    config: web::Data<SandboxConfig>,
    order_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = load_order(&pool, order_id.into_inner()).await?;
    let id = order.order_id.clone();
    let pool2 = pool.clone();
    let changed = web::block(move || {
        let mut conn = pool2.get()?;
        diesel::update(
            so::table
                .filter(so::order_id.eq(&id))
                .filter(so::order_status.eq(0)),
        )
        .set((
            so::order_status.eq(6),
            so::awaiting_code.eq(false),
            so::action_code.eq(-2001),
            so::action_description.eq("Cancelled by the payer"),
        ))
        .execute(&mut conn)
        .map_err(ApiError::from)
    })
    .await??;
    if changed == 1 {
        send_callback(
            &config,
            &order.order_id,
            &order.order_number,
            "deposited",
            false,
        )
        .await;
    }
    Ok(see_other(back_to(
        order.fail_url.as_deref().unwrap_or(&order.return_url),
        &order.order_id,
    )))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The hosted page: the card form, the one-time-code form, or the outcome.
fn page(
    order: &Order,
    problem: Option<String>,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    let language = Language::parse(&order.language).unwrap_or_default();
    let say = |tk: &'static str, ru: &'static str, en: &'static str| {
        Localized::new(tk, ru, en).get(language).to_owned()
    };
    let amount = nobat_domain::Money::tmt(order.amount_minor).display();
    let id = escape(&order.order_id);
    let problem = problem
        .map(|p| format!(r#"<p class="problem" role="alert">{}</p>"#, escape(&p)))
        .unwrap_or_default();
    let body = if order.order_status == 0 && order.awaiting_code {
        format!(
            r#"<h2>{title}</h2><p>{sent} {pan}</p>{problem}
<form method="post" action="{PREFIX}/pay/{id}/code">
<label for="code">{code}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required autofocus>
<button type="submit">{confirm}</button></form>
<p class="hint">{hint}</p>"#,
            title = say(
                "SMS bilen tassyklama",
                "Подтверждение по SMS",
                "Confirm by SMS"
            ),
            sent = say(
                "Kod kartyň telefonyna iberildi:",
                "Код отправлен на телефон владельца карты:",
                "A code was sent to the cardholder's phone:"
            ),
            pan = escape(order.masked_pan.as_deref().unwrap_or("")),
            code = say("Birgezeklik kod", "Одноразовый код", "One-time code"),
            confirm = say("Tassykla", "Подтвердить", "Confirm"),
            hint = say(
                "Synag kody: 000000",
                "Тестовый код: 000000",
                "Test code: 000000"
            ),
        )
    } else if order.order_status == 0 {
        format!(
            r#"{problem}<form method="post" action="{PREFIX}/pay/{id}">
<label for="pan">{pan}</label><input id="pan" name="pan" inputmode="numeric" autocomplete="cc-number" placeholder="4111 1111 1111 1111" required autofocus>
<div class="row"><div><label for="expiry">{expiry}</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12/30" required></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="3" required></div></div>
<label for="holder">{holder}</label><input id="holder" name="holder" autocomplete="cc-name" placeholder="MERDAN AMANOW" required>
<button type="submit">{pay} {amount}</button></form>
<form method="post" action="{PREFIX}/pay/{id}/cancel"><button class="secondary" type="submit">{cancel}</button></form>
<details class="hint"><summary>{cards}</summary><ul><li>4111 1111 1111 1111 — {ok}</li><li>4000 0000 0000 0002 — {declined}</li><li>4000 0000 0000 9995 — {funds}</li></ul></details>"#,
            pan = say("Kartyň belgisi", "Номер карты", "Card number"),
            expiry = say("Möhleti (AA/ÝÝ)", "Срок (ММ/ГГ)", "Expiry (MM/YY)"),
            holder = say("Kartyň eýesi", "Владелец карты", "Cardholder"),
            pay = say("Tölemek", "Оплатить", "Pay"),
            cancel = say(
                "Ýatyrmak we yza gaýtmak",
                "Отменить и вернуться",
                "Cancel and go back"
            ),
            cards = say("Synag kartlary", "Тестовые карты", "Test cards"),
            ok = say(
                "üstünlikli (kod 000000)",
                "успешно (код 000000)",
                "succeeds (code 000000)"
            ),
            declined = say("ret edilýär", "отклоняется", "declined"),
            funds = say(
                "serişde ýetmezçiligi",
                "недостаточно средств",
                "insufficient funds"
            ),
        )
    } else {
        let (text, url) = match order.order_status {
            2 | 4 => (
                say(
                    "Töleg kabul edildi.",
                    "Оплата принята.",
                    "The payment was accepted.",
                ),
                &order.return_url,
            ),
            _ => (
                format!(
                    "{} ({})",
                    say(
                        "Töleg geçmedi.",
                        "Оплата не прошла.",
                        "The payment did not go through."
                    ),
                    order.action_description
                ),
                order.fail_url.as_ref().unwrap_or(&order.return_url),
            ),
        };
        format!(
            r#"<p>{}</p><p><a href="{}">{}</a></p>"#,
            escape(&text),
            escape(&back_to(url, &order.order_id)),
            say(
                "Dükana gaýtmak",
                "Вернуться в магазин",
                "Return to the merchant"
            )
        )
    };
    let html = format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>
body{{font-family:system-ui,sans-serif;background:#eef2f5;margin:0;color:#1d2733}}
main{{max-width:26rem;margin:1.5rem auto;background:#fff;border-radius:.75rem;padding:1.25rem 1.5rem;box-shadow:0 2px 12px #0002}}
.banner{{background:#fff3cd;color:#5c4400;border-radius:.4rem;padding:.4rem .6rem;font-size:.85rem}}
.amount{{font-size:1.6rem;font-weight:700;margin:.3rem 0}} label{{display:block;margin:.8rem 0 .2rem;font-weight:600}}
input{{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.55rem;border:1px solid #8a99a8;border-radius:.4rem}}
.row{{display:flex;gap:1rem}} .row>div{{flex:1}}
button{{width:100%;margin-top:1.1rem;padding:.75rem;font-size:1.05rem;border:0;border-radius:.4rem;background:#0b6e4f;color:#fff;cursor:pointer}}
button.secondary{{background:#e4e9ee;color:#1d2733;margin-top:.6rem}} .problem{{background:#fde2e1;color:#8a1c14;padding:.5rem;border-radius:.4rem}}
.hint{{color:#52606d;font-size:.9rem;margin-top:1rem}}
</style></head><body><main>
<p class="banner">{banner}</p>
<h1>{title}</h1><p>{merchant}: {description}</p><p class="amount">{amount}</p>
{body}</main></body></html>"#,
        lang = language.code(),
        title = say("Kart bilen töleg", "Оплата картой", "Card payment"),
        banner = say(
            "Synag töleg sahypasy: hakyky pul alynmaýar.",
            "Тестовая страница оплаты: настоящие деньги не списываются.",
            "Sandbox payment page: no real money is taken."
        ),
        merchant = say("Satyjy", "Продавец", "Merchant"),
        description = escape(&order.description),
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}
