//! Creating and changing branches and services (admins; a branch head may edit their own
//! branch's names, address and phone), and reading a branch's opening plans. Checked field by
//! field (422 names each bad field), audited with before and after.

use crate::auth::Staff;
use crate::db::catalog::{self, BranchRow, ServiceRow};
use crate::db::schema::{branches, services};
use crate::db::{staff as staff_store, PgPool};
use crate::error::ApiError;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use nobat_domain::calendar::local_date;
use nobat_domain::catalog::{Branch, Code, Exemption, GeoPoint, OpeningDay, Service};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;
use nobat_domain::{Localized, LocalizedList, Region};
use std::collections::BTreeMap;

use super::bookings::conflict;

type Errors = BTreeMap<String, String>;

/// Trims the three texts; Turkmen is required (and all three when `all`), each at most `max`.
fn localized(
    errors: &mut Errors,
    field: &str,
    text: &Localized,
    all: bool,
    max: usize,
) -> Localized {
    let out = Localized::new(text.tk.trim(), text.ru.trim(), text.en.trim());
    for (language, value) in [("tk", &out.tk), ("ru", &out.ru), ("en", &out.en)] {
        let path = format!("{field}.{language}");
        if value.is_empty() && (all || language == "tk") {
            errors.insert(path, "is required".to_owned());
        } else if value.chars().count() > max {
            errors.insert(path, format!("must be at most {max} characters"));
        }
    }
    out
}

fn code(errors: &mut Errors, raw: &str) -> Option<Code> {
    Code::parse(raw.trim())
        .map_err(|e| errors.insert("code".to_owned(), e.to_string()))
        .ok()
}

fn region(errors: &mut Errors, raw: &str) -> Option<Region> {
    let region = Region::parse(raw.trim());
    if region.is_none() {
        let known: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
        errors.insert(
            "region".to_owned(),
            format!("{raw:?} is not a region: {}", known.join(", ")),
        );
    }
    region
}

fn phone(errors: &mut Errors, raw: &str) -> String {
    let phone = raw.trim().to_owned();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(5..=15).contains(&digits) {
        errors.insert(
            "phone".to_owned(),
            "must be a telephone number such as +993 522 12345".to_owned(),
        );
    }
    phone
}

fn location(errors: &mut Errors, point: Option<&GeoPoint>) {
    if let Some(p) = point {
        if !(-90.0..=90.0).contains(&p.latitude) {
            errors.insert(
                "location.latitude".to_owned(),
                "must be from -90 to 90".to_owned(),
            );
        }
        if !(-180.0..=180.0).contains(&p.longitude) {
            errors.insert(
                "location.longitude".to_owned(),
                "must be from -180 to 180".to_owned(),
            );
        }
    }
}

fn check(errors: Errors) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(errors))
    }
}

fn no_branch(code: &str) -> ApiError {
    ApiError::not_found(format!("There is no branch {code:?}."))
}

fn no_service(code: &str) -> ApiError {
    ApiError::not_found(format!("There is no service {code:?}."))
}

/// A branch (active or not) as the public API shows it.
fn branch_wire(conn: &mut PgConnection, row: &BranchRow) -> QueryResult<Branch> {
    let services = catalog::offered_services(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let plans = catalog::weekly_plans(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(row.to_wire(services, &plans, local_date(Utc::now())))
}

fn any_branch(conn: &mut PgConnection, code: &str) -> Result<(BranchRow, bool), ApiError> {
    branches::table
        .filter(branches::code.eq(code))
        .select((BranchRow::as_select(), branches::active))
        .first(conn)
        .optional()?
        .ok_or_else(|| no_branch(code))
}

/// A branch as admins list it: the public shape and whether it is open to bookings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BranchListed {
    #[serde(flatten)]
    pub branch: Branch,
    /// `false`: taken out of service (not in the public list, not bookable); it can be put
    /// back with `PATCH …/staff/branches/{code}`.
    pub active: bool,
}

/// Every branch, in service or not, for admins (the public list has only those in service).
#[utoipa::path(
    tag = "staff",
    operation_id = "list_branches_admin",
    responses(
        (status = 200, description = "Every branch, by code", body = Vec<BranchListed>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches")]
pub async fn list_branches_admin(
    staff: Staff,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let all = web::block(move || {
        let mut conn = pool.get()?;
        let rows: Vec<(BranchRow, bool)> = branches::table
            .order(branches::code)
            .select((BranchRow::as_select(), branches::active))
            .load(&mut conn)?;
        let ids: Vec<i32> = rows.iter().map(|(row, _)| row.id).collect();
        let mut offered = catalog::offered_services(&mut conn, &ids)?;
        let mut plans = catalog::weekly_plans(&mut conn, &ids)?;
        let today = local_date(Utc::now());
        Ok::<_, ApiError>(
            rows.iter()
                .map(|(row, active)| BranchListed {
                    branch: row.to_wire(
                        offered.remove(&row.id).unwrap_or_default(),
                        &plans.remove(&row.id).unwrap_or_default(),
                        today,
                    ),
                    active: *active,
                })
                .collect::<Vec<_>>(),
        )
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(all))
}

/// `POST /api/v1/staff/branches`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "code": "mary-2", "region": "mary",
    "name": {"tk": "Mary şäher bölümi № 2", "ru": "Марыйский городской отдел № 2", "en": "Mary city office No. 2"},
    "address": {"tk": "Mary, Magtymguly köçesi 41", "ru": "Мары, улица Махтумкули 41", "en": "41 Magtymguly Street, Mary"},
    "phone": "+993 522 61234", "location": {"latitude": 37.6, "longitude": 61.83}
}))]
pub struct BranchDraft {
    /// Lower-case letters, digits and dashes: the branch's permanent code in URLs.
    pub code: String,
    pub region: String,
    pub name: Localized,
    pub address: Localized,
    pub phone: String,
    pub location: Option<GeoPoint>,
}

/// `PATCH /api/v1/staff/branches/{code}`: any of the fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"phone": "+993 522 61235", "active": true}))]
pub struct BranchChange {
    pub region: Option<String>,
    pub name: Option<Localized>,
    pub address: Option<Localized>,
    pub phone: Option<String>,
    /// `null` removes the map point.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<GeoPoint>)]
    pub location: Option<Option<GeoPoint>>,
    /// false hides the branch from citizens (its bookings stay as they are).
    pub active: Option<bool>,
}

mod double_option {
    use nobat_domain::catalog::GeoPoint;
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<GeoPoint>>, D::Error> {
        Option::<GeoPoint>::deserialize(d).map(Some)
    }
}

/// The columns of a branch that opening and changing it both write.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = branches, treat_none_as_null = true)]
struct BranchValues<'a> {
    region: &'a str,
    name_tk: &'a str,
    name_ru: &'a str,
    name_en: &'a str,
    address_tk: &'a str,
    address_ru: &'a str,
    address_en: &'a str,
    phone: &'a str,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

impl<'a> BranchValues<'a> {
    fn new(
        region: &'a str,
        name: &'a Localized,
        address: &'a Localized,
        phone: &'a str,
        point: Option<GeoPoint>,
    ) -> Self {
        BranchValues {
            region,
            name_tk: &name.tk,
            name_ru: &name.ru,
            name_en: &name.en,
            address_tk: &address.tk,
            address_ru: &address.ru,
            address_en: &address.en,
            phone,
            latitude: point.map(|p| p.latitude),
            longitude: point.map(|p| p.longitude),
        }
    }
}

fn branch_snapshot(row: &BranchRow, active: bool) -> serde_json::Value {
    serde_json::json!({
        "region": row.region, "name": [row.name_tk, row.name_ru, row.name_en],
        "address": [row.address_tk, row.address_ru, row.address_en], "phone": row.phone,
        "location": [row.latitude, row.longitude], "active": active,
    })
}

/// Open a new branch. It has no counters and no opening plan yet: add them to make it bookable.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_branch",
    request_body = BranchDraft,
    responses(
        (status = 201, description = "The new branch", body = Branch),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`branch-exists`: the code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/branches")]
pub async fn create_branch(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<BranchDraft>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let mut errors = Errors::new();
    let code = code(&mut errors, &body.code);
    let region = region(&mut errors, &body.region);
    let name = localized(&mut errors, "name", &body.name, true, 200);
    let address = localized(&mut errors, "address", &body.address, false, 300);
    let phone = phone(&mut errors, &body.phone);
    location(&mut errors, body.location.as_ref());
    check(errors)?;
    let (Some(code), Some(region)) = (code, region) else {
        return Err(ApiError::internal("checked fields missing"));
    };
    let point = body.location;
    let branch = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let values = BranchValues::new(region.code(), &name, &address, &phone, point);
            let inserted = diesel::insert_into(branches::table)
                .values((branches::code.eq(code.as_str()), values))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                return Err(conflict(
                    "branch-exists",
                    "The branch exists",
                    format!("A branch with the code {:?} exists already.", code.as_str()),
                ));
            }
            let (row, active) = any_branch(conn, code.as_str())?;
            staff_store::audit(
                conn,
                &staff,
                "create_branch",
                &format!("branch:{}", code.as_str()),
                serde_json::Value::Null,
                branch_snapshot(&row, active),
            )?;
            Ok(branch_wire(conn, &row)?)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(branch))
}

/// Change a branch's names, address, phone, map point, region or whether it is open to
/// bookings. Admins may change any branch; a head, their own (but not `active` or `region`).
#[utoipa::path(
    tag = "staff",
    operation_id = "change_branch",
    request_body = BranchChange,
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The branch now", body = Branch),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin, or a head changing another branch, its region or whether it is active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/branches/{code}")]
pub async fn change_branch(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<String>,
    body: web::Json<BranchChange>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    if body.active.is_some() || body.region.is_some() {
        staff.require(Permission::ManageAnyBranch, None)?;
    } else {
        staff.require(Permission::ManageBranchSettings, Some(&code))?;
    }
    let body = body.into_inner();
    let mut errors = Errors::new();
    let region = body.region.as_deref().map(|r| region(&mut errors, r));
    let name = body
        .name
        .as_ref()
        .map(|n| localized(&mut errors, "name", n, true, 200));
    let address = body
        .address
        .as_ref()
        .map(|a| localized(&mut errors, "address", a, false, 300));
    let phone = body.phone.as_deref().map(|p| phone(&mut errors, p));
    location(&mut errors, body.location.flatten().as_ref());
    check(errors)?;
    let branch = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let (before, was_active) = any_branch(conn, &code)?;
            let name = name.unwrap_or_else(|| before.name());
            let address = address.unwrap_or_else(|| {
                Localized::new(&before.address_tk, &before.address_ru, &before.address_en)
            });
            let point = body.location.unwrap_or_else(|| {
                before
                    .latitude
                    .zip(before.longitude)
                    .map(|(latitude, longitude)| GeoPoint {
                        latitude,
                        longitude,
                    })
            });
            let region = region
                .flatten()
                .map_or(before.region.clone(), |r| r.code().to_owned());
            let phone = phone.unwrap_or_else(|| before.phone.clone());
            let values = BranchValues::new(&region, &name, &address, &phone, point);
            diesel::update(branches::table.filter(branches::id.eq(before.id)))
                .set((
                    values,
                    branches::active.eq(body.active.unwrap_or(was_active)),
                ))
                .execute(conn)?;
            let (after, active) = any_branch(conn, &code)?;
            staff_store::audit(
                conn,
                &staff,
                "change_branch",
                &format!("branch:{code}"),
                branch_snapshot(&before, was_active),
                branch_snapshot(&after, active),
            )?;
            Ok(branch_wire(conn, &after)?)
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(branch))
}

/// A service as administrators see it: the public view, its queue letter and whether it is
/// offered.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ServiceAdmin {
    #[serde(flatten)]
    pub service: Service,
    /// Queue numbers of this service start with this letter (`A-017`).
    pub queue_prefix: String,
    pub active: bool,
}

fn service_admin(row: &ServiceRow, active: bool) -> ServiceAdmin {
    ServiceAdmin {
        service: row.to_wire(),
        queue_prefix: row.queue_prefix.clone(),
        active,
    }
}

fn any_service(conn: &mut PgConnection, code: &str) -> Result<(ServiceRow, bool), ApiError> {
    services::table
        .filter(services::code.eq(code))
        .select((ServiceRow::as_select(), services::active))
        .first(conn)
        .optional()?
        .ok_or_else(|| no_service(code))
}

/// Every service, offered or not, in display order.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_services_admin",
    responses(
        (status = 200, description = "Every service", body = Vec<ServiceAdmin>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/services")]
pub async fn list_services_admin(
    staff: Staff,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let all = web::block(move || {
        let mut conn = pool.get()?;
        let rows: Vec<(ServiceRow, bool)> = services::table
            .order((services::sort_order, services::code))
            .select((ServiceRow::as_select(), services::active))
            .load(&mut conn)?;
        Ok::<_, ApiError>(
            rows.iter()
                .map(|(row, active)| service_admin(row, *active))
                .collect::<Vec<_>>(),
        )
    })
    .await??;
    Ok(HttpResponse::Ok().json(all))
}

/// `POST /api/v1/staff/services`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "code": "residence-permit",
    "name": {"tk": "Ýaşamaga ygtyýarnama", "ru": "Вид на жительство", "en": "Residence permit"},
    "description": {"tk": "Daşary ýurt raýatlary üçin ýaşamaga ygtyýarnama.", "ru": "Вид на жительство для иностранных граждан.", "en": "Residence permits for foreign citizens."},
    "documents": {"tk": ["Pasport"], "ru": ["Паспорт"], "en": ["Passport"]},
    "duration_minutes": 30, "fee_minor": 12000, "exemptions": [], "queue_prefix": "Y"
}))]
pub struct ServiceDraft {
    pub code: String,
    pub name: Localized,
    pub description: Localized,
    #[serde(default)]
    pub documents: LocalizedList,
    /// One appointment, 5-240 minutes.
    pub duration_minutes: i16,
    /// The fee per person in teňňe (1 TMT = 100), 0 for free.
    pub fee_minor: i64,
    /// `child_under_16`, `veteran`, `disabled`.
    #[serde(default)]
    pub exemptions: Vec<String>,
    /// One capital letter.
    pub queue_prefix: String,
}

/// `PATCH /api/v1/staff/services/{code}`: any of the fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"fee_minor": 15000, "active": true}))]
pub struct ServiceChange {
    pub name: Option<Localized>,
    pub description: Option<Localized>,
    pub documents: Option<LocalizedList>,
    pub duration_minutes: Option<i16>,
    pub fee_minor: Option<i64>,
    pub exemptions: Option<Vec<String>>,
    pub queue_prefix: Option<String>,
    /// false stops new bookings of the service everywhere.
    pub active: Option<bool>,
}

fn documents(errors: &mut Errors, list: &LocalizedList) -> LocalizedList {
    let clean = |items: &[String]| -> Vec<String> {
        items
            .iter()
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect()
    };
    let out = LocalizedList {
        tk: clean(&list.tk),
        ru: clean(&list.ru),
        en: clean(&list.en),
    };
    for (language, items) in [("tk", &out.tk), ("ru", &out.ru), ("en", &out.en)] {
        if items.len() > 30 || items.iter().any(|d| d.chars().count() > 300) {
            errors.insert(
                format!("documents.{language}"),
                "at most 30 items of at most 300 characters".to_owned(),
            );
        }
    }
    out
}

fn service_numbers(errors: &mut Errors, duration: Option<i16>, fee: Option<i64>) {
    if duration.is_some_and(|d| !(5..=240).contains(&d)) {
        errors.insert(
            "duration_minutes".to_owned(),
            "must be from 5 to 240".to_owned(),
        );
    }
    if fee.is_some_and(|f| !(0..=100_000_000).contains(&f)) {
        errors.insert(
            "fee_minor".to_owned(),
            "must be from 0 to 100000000 teňňe".to_owned(),
        );
    }
}

fn exemptions(errors: &mut Errors, raw: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for code in raw {
        match Exemption::parse(code.trim()) {
            Some(e) if !out.contains(&e.code().to_owned()) => out.push(e.code().to_owned()),
            Some(_) => {}
            None => {
                errors.insert(
                    "exemptions".to_owned(),
                    format!("{code:?} is not one of child_under_16, veteran, disabled"),
                );
            }
        }
    }
    out
}

fn prefix(errors: &mut Errors, raw: &str) -> String {
    let p = raw.trim().to_owned();
    if !(p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase())) {
        errors.insert(
            "queue_prefix".to_owned(),
            "must be one capital letter A-Z".to_owned(),
        );
    }
    p
}

/// The columns of a service that creating and changing it both write.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = services)]
struct ServiceValues<'a> {
    name_tk: &'a str,
    name_ru: &'a str,
    name_en: &'a str,
    description_tk: &'a str,
    description_ru: &'a str,
    description_en: &'a str,
    documents_tk: &'a [String],
    documents_ru: &'a [String],
    documents_en: &'a [String],
    duration_minutes: i16,
    fee_minor: i64,
    exemptions: &'a [String],
    queue_prefix: &'a str,
}

impl<'a> ServiceValues<'a> {
    fn new(
        name: &'a Localized,
        description: &'a Localized,
        documents: &'a LocalizedList,
        duration_minutes: i16,
        fee_minor: i64,
        exemptions: &'a [String],
        queue_prefix: &'a str,
    ) -> Self {
        ServiceValues {
            name_tk: &name.tk,
            name_ru: &name.ru,
            name_en: &name.en,
            description_tk: &description.tk,
            description_ru: &description.ru,
            description_en: &description.en,
            documents_tk: &documents.tk,
            documents_ru: &documents.ru,
            documents_en: &documents.en,
            duration_minutes,
            fee_minor,
            exemptions,
            queue_prefix,
        }
    }
}

fn service_snapshot(row: &ServiceRow, active: bool) -> serde_json::Value {
    serde_json::to_value(service_admin(row, active)).unwrap_or_default()
}

/// Add a service. No branch offers it until a counter serves it.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_service",
    request_body = ServiceDraft,
    responses(
        (status = 201, description = "The new service", body = ServiceAdmin),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service-exists`: the code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/services")]
pub async fn create_service(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<ServiceDraft>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let mut errors = Errors::new();
    let code = code(&mut errors, &body.code);
    let name = localized(&mut errors, "name", &body.name, true, 200);
    let description = localized(&mut errors, "description", &body.description, false, 2000);
    let documents = documents(&mut errors, &body.documents);
    service_numbers(
        &mut errors,
        Some(body.duration_minutes),
        Some(body.fee_minor),
    );
    let exemptions = exemptions(&mut errors, &body.exemptions);
    let prefix = prefix(&mut errors, &body.queue_prefix);
    check(errors)?;
    let code = code.ok_or_else(|| ApiError::internal("checked code missing"))?;
    let (duration, fee) = (body.duration_minutes, body.fee_minor);
    let service = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let values = ServiceValues::new(
                &name,
                &description,
                &documents,
                duration,
                fee,
                &exemptions,
                &prefix,
            );
            let inserted = diesel::insert_into(services::table)
                .values((services::code.eq(code.as_str()), values))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                return Err(conflict(
                    "service-exists",
                    "The service exists",
                    format!(
                        "A service with the code {:?} exists already.",
                        code.as_str()
                    ),
                ));
            }
            let (row, active) = any_service(conn, code.as_str())?;
            staff_store::audit(
                conn,
                &staff,
                "create_service",
                &format!("service:{}", code.as_str()),
                serde_json::Value::Null,
                service_snapshot(&row, active),
            )?;
            Ok(service_admin(&row, active))
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(service))
}

/// Change a service's texts, documents, length, fee, exemptions, queue letter or whether it
/// is offered. Bookings already made keep the fee they were made with.
#[utoipa::path(
    tag = "staff",
    operation_id = "change_service",
    request_body = ServiceChange,
    params(("code" = String, Path, description = "The service", example = "passport-international")),
    responses(
        (status = 200, description = "The service now", body = ServiceAdmin),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/services/{code}")]
pub async fn change_service(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<String>,
    body: web::Json<ServiceChange>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAnyBranch, None)?;
    let code = path.into_inner();
    let body = body.into_inner();
    let mut errors = Errors::new();
    let name = body
        .name
        .as_ref()
        .map(|n| localized(&mut errors, "name", n, true, 200));
    let description = body
        .description
        .as_ref()
        .map(|d| localized(&mut errors, "description", d, false, 2000));
    let documents = body.documents.as_ref().map(|d| documents(&mut errors, d));
    service_numbers(&mut errors, body.duration_minutes, body.fee_minor);
    let exemptions = body
        .exemptions
        .as_deref()
        .map(|e| exemptions(&mut errors, e));
    let prefix = body.queue_prefix.as_deref().map(|p| prefix(&mut errors, p));
    check(errors)?;
    let service = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let (before, was_active) = any_service(conn, &code)?;
            let old = before.to_wire();
            let name = name.unwrap_or(old.name);
            let description = description.unwrap_or(old.description);
            let documents = documents.unwrap_or(old.documents);
            let exemptions = exemptions.unwrap_or_else(|| before.exemptions.clone());
            let prefix = prefix.unwrap_or_else(|| before.queue_prefix.clone());
            let values = ServiceValues::new(
                &name,
                &description,
                &documents,
                body.duration_minutes.unwrap_or(before.duration_minutes),
                body.fee_minor.unwrap_or(before.fee_minor),
                &exemptions,
                &prefix,
            );
            diesel::update(services::table.filter(services::id.eq(before.id)))
                .set((
                    values,
                    services::active.eq(body.active.unwrap_or(was_active)),
                ))
                .execute(conn)?;
            let (after, active) = any_service(conn, &code)?;
            staff_store::audit(
                conn,
                &staff,
                "change_service",
                &format!("service:{code}"),
                service_snapshot(&before, was_active),
                service_snapshot(&after, active),
            )?;
            Ok(service_admin(&after, active))
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(service))
}

/// One weekly plan of a branch, in force from its date until the next plan's.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"effective_from": "2026-01-01", "days": [{"weekday": 1, "opens": "09:00", "closes": "18:00", "breaks": [{"starts": "13:00", "ends": "14:00"}]}]}))]
pub struct PlanView {
    #[schema(value_type = String, format = Date)]
    pub effective_from: NaiveDate,
    /// The open weekdays; a weekday not listed is closed.
    pub days: Vec<OpeningDay>,
}

/// A branch's weekly opening plans, the newest first.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_opening_plans",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "The plans", body = Vec<PlanView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of this branch or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/branches/{code}/opening-plans")]
pub async fn list_opening_plans(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    staff.require(Permission::ManageBranchSettings, Some(&code))?;
    let plans = web::block(move || {
        let mut conn = pool.get()?;
        let (row, _) = any_branch(&mut conn, &code)?;
        let mut plans = catalog::weekly_plans(&mut conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default();
        plans.sort_by_key(|p| std::cmp::Reverse(p.effective_from));
        Ok::<_, ApiError>(
            plans
                .iter()
                .map(|p| PlanView {
                    effective_from: p.effective_from,
                    days: catalog::opening_days(p),
                })
                .collect::<Vec<_>>(),
        )
    })
    .await??;
    Ok(HttpResponse::Ok().json(plans))
}
