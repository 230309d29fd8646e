//! Test support: a database of its own for every test, cloned from a migrated template, and the
//! real server started on a free port against it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_api::config::Settings;
use nobat_api::db;
use nobat_api::startup::Application;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

pub mod card;
pub mod png;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The server-level URL the tests may create databases with.
pub fn admin_url() -> String {
    std::env::var("NOBAT_TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn url_for(database: &str) -> String {
    let mut url = url::Url::parse(&admin_url()).expect("admin URL");
    url.set_path(&format!("/{database}"));
    // A test process exits while the server it started still has connections open; with TLS,
    // OpenSSL's exit handlers then race those threads (seen as a rare SIGABRT after a passing
    // test). The tests talk to a local server: plain connections unless the URL says otherwise.
    if !url.query_pairs().any(|(k, _)| k == "sslmode") {
        url.query_pairs_mut().append_pair("sslmode", "disable");
    }
    url.to_string()
}

fn admin() -> PgConnection {
    PgConnection::establish(&admin_url()).unwrap_or_else(|e| {
        panic!(
            "cannot reach PostgreSQL at {} ({e}); set NOBAT_TEST_DATABASE_URL",
            nobat_api::config::redact_url(&admin_url())
        )
    })
}

/// A unique name: process id, a counter and the time, so parallel test processes never clash.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The template database for the current migrations, created once (per set of migrations) under
/// an advisory lock so that concurrent test processes agree on it.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("nobat_template_{}", migrations_digest());
        let mut conn = admin();
        diesel::sql_query("SELECT pg_advisory_lock(7446)")
            .execute(&mut conn)
            .unwrap();
        if !database_exists(&mut conn, &name) {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut conn)
                .unwrap();
            {
                let mut template = PgConnection::establish(&url_for(&building)).unwrap();
                db::run_migrations(&mut template).unwrap();
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut conn)
                .unwrap();
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7446)")
            .execute(&mut conn)
            .unwrap();
        name
    })
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Count>(conn)
        .unwrap()
        .n
        > 0
}

/// A hash of every migration file, so a changed migration gets a fresh template.
fn migrations_digest() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(
            file.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(std::fs::read(&file).unwrap());
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// A database for one test, dropped with the guard.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// A migrated database, cloned from the template.
    pub fn new() -> Self {
        let template = template();
        Self::create(&format!("TEMPLATE {template}"))
    }

    /// An empty database with no migrations applied.
    pub fn empty() -> Self {
        Self::create("")
    }

    fn create(options: &str) -> Self {
        let name = unique_name("nobat_t");
        diesel::sql_query(format!("CREATE DATABASE {name} {options}"))
            .execute(&mut admin())
            .unwrap();
        let url = url_for(&name);
        TestDb { name, url }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap()
    }

    /// Drops the database while connections are open: what an outage looks like to the server.
    pub fn drop_now(&self) {
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin())
        .unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin());
    }
}

/// A temporary folder removed with the guard.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(unique_name("nobat-test"));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The real server, on a free port, against its own database.
pub struct TestApp {
    pub address: String,
    pub db: TestDb,
    pub client: awc::Client,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

pub fn settings(db: &TestDb, static_dir: &Path) -> Settings {
    settings_with(db, static_dir, &[])
}

/// Test settings with some variables added or overridden.
pub fn settings_with(db: &TestDb, static_dir: &Path, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", db.url.clone()),
        ("NOBAT_BIND", "127.0.0.1:0".into()),
        ("NOBAT_STATIC_DIR", static_dir.display().to_string()),
        ("NOBAT_WORKERS", "1".into()),
        ("NOBAT_DB_POOL_SIZE", "4".into()),
        ("NOBAT_DB_TIMEOUT_SECS", "2".into()),
        ("NOBAT_LOG", "warn".into()),
        // Every test client is 127.0.0.1: the limits are tested where they are set explicitly.
        ("NOBAT_BOOKING_LIMITS", "0/0".into()),
        // Tests read availability right after another instance's writes; the cache is tested
        // where it is turned on.
        ("NOBAT_AVAILABILITY_CACHE_MS", "0".into()),
        (
            "NOBAT_DATA_DIR",
            std::env::temp_dir()
                .join("nobat-test-files")
                .display()
                .to_string(),
        ),
    ]);
    for (name, value) in extra {
        vars.insert(name, (*value).to_owned());
    }
    Settings::from_lookup(|name| vars.get(name).cloned()).unwrap()
}

/// Starts one more server instance on the database of `db`; returns its address.
pub fn start_instance(db: &TestDb, static_dir: &Path) -> String {
    start_instance_with(db, static_dir, &[])
}

/// Starts one more server instance with some settings overridden; returns its address.
pub fn start_instance_with(db: &TestDb, static_dir: &Path, extra: &[(&str, &str)]) -> String {
    let settings = settings_with(db, static_dir, extra);
    let pool = db::build_pool(&db.url, 4, settings.db_timeout).unwrap();
    let app = Application::build(&settings, pool).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    address
}

/// Starts the server with the SPA folder `static_dir` (which may be missing).
pub async fn spawn_app_with_static(static_dir: &Path) -> TestApp {
    let db = TestDb::new();
    let address = start_instance(&db, static_dir);
    TestApp {
        address,
        db,
        client: awc::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .finish(),
    }
}

/// Starts the server without a built SPA, with some settings overridden.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let db = TestDb::new();
    let address = start_instance_with(&db, Path::new("/nonexistent/nobat-dist"), extra);
    TestApp {
        address,
        db,
        client: awc::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .finish(),
    }
}

/// Starts the server without a built SPA.
pub async fn spawn_app() -> TestApp {
    spawn_app_with_static(Path::new("/nonexistent/nobat-dist")).await
}

/// Logs in and returns the session cookie's value.
pub async fn login(app: &TestApp, username: &str, password: &str) -> String {
    let mut response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&serde_json::json!({"username": username, "password": password}))
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        200,
        "{:?}",
        response.body().await
    );
    let cookie = response
        .cookies()
        .unwrap()
        .iter()
        .find(|c| c.name() == "nobat_session")
        .unwrap()
        .clone();
    assert!(cookie.http_only().unwrap_or(false));
    assert_eq!(
        cookie.same_site(),
        Some(actix_web::cookie::SameSite::Strict)
    );
    cookie.value().to_owned()
}

/// A staff request with the session cookie; status and JSON body (Null when empty).
pub async fn staff_request(
    app: &TestApp,
    session: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let url = app.url(path);
    let request = match method {
        "GET" => app.client.get(url),
        "PUT" => app.client.put(url),
        "PATCH" => app.client.patch(url),
        "DELETE" => app.client.delete(url),
        _ => app.client.post(url),
    }
    .cookie(actix_web::cookie::Cookie::new(
        "nobat_session",
        session.to_owned(),
    ));
    let mut response = match body {
        Some(body) => request.send_json(&body).await.unwrap(),
        None => request.send().await.unwrap(),
    };
    let status = response.status().as_u16();
    let bytes = response.body().limit(1 << 22).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}
