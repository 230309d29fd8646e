//! Assembles the actix-web application and binds it, so `main` and the tests start the same thing.

use crate::config::Settings;
use crate::db::PgPool;
use crate::routes::{self, API_BASE};
use crate::{error, openapi, web as site};
use actix_web::{dev::Server, middleware, web, App, HttpServer};
use std::net::TcpListener;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    jobs: Jobs,
}

/// What the background jobs of an instance need.
struct Jobs {
    pool: PgPool,
    payments: crate::payments::Payments,
    sinks: crate::notify::Sinks,
    photo_dir: std::path::PathBuf,
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free port) and prepares the server.
    pub fn build(settings: &Settings, pool: PgPool) -> std::io::Result<Self> {
        let listener = TcpListener::bind(settings.bind)?;
        let port = listener.local_addr()?.port();
        let spa = site::Spa::load(&settings.static_dir);
        let csp = spa.content_security_policy();
        let doc = openapi::api_doc();
        let routes = web::Data::new(error::ApiRoutes::from_doc(&doc));
        let policy = web::Data::new(routes::bookings::BookingPolicy {
            hold: chrono::Duration::minutes(i64::from(settings.hold_minutes)),
            change_cutoff: chrono::Duration::minutes(i64::from(settings.change_cutoff_minutes)),
            deadline: settings.request_deadline,
        });
        let payments = crate::payments::Payments::new(&settings.payments, listener.local_addr()?);
        let sandbox = payments.sandbox.clone();
        let jobs = Jobs {
            pool: pool.clone(),
            payments: payments.clone(),
            sinks: crate::notify::Sinks::from_settings(&settings.notify)
                .map_err(std::io::Error::other)?,
            photo_dir: settings.data_dir.join("photos"),
        };
        let payments = web::Data::new(payments);
        let media = web::Data::new(routes::media::MediaSettings {
            dir: settings.data_dir.join("media"),
        });
        let applications = web::Data::new(routes::applications::ApplicationSettings {
            photo_dir: settings.data_dir.join("photos"),
            fees: settings.passport_fees.clone(),
        });
        let board = web::Data::new(crate::board::Board::listen(settings.database_url.clone()));
        let pool = web::Data::new(pool);
        let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
        let booking_limits = web::Data::new(settings.booking_limits);
        let availability = web::Data::new(crate::availability_cache::AvailabilityCache::new(
            settings.availability_cache,
        ));
        let schedules = web::Data::new(crate::schedules::Schedules::new());
        let server = HttpServer::new(move || {
            // Swagger UI and the document first: the API scope would claim /api/v1/openapi.json.
            App::new()
                .service(
                    SwaggerUi::new("/swagger-ui/{_:.*}")
                        .url(format!("{API_BASE}/openapi.json"), doc.clone()),
                )
                .service(web::redirect("/swagger-ui", "/swagger-ui/"))
                .into_utoipa_app()
                .openapi(openapi::base())
                .app_data(pool.clone())
                .app_data(routes.clone())
                .app_data(policy.clone())
                .app_data(payments.clone())
                .app_data(board.clone())
                .app_data(applications.clone())
                .app_data(media.clone())
                .app_data(trusted_proxies.clone())
                .app_data(booking_limits.clone())
                .app_data(availability.clone())
                .app_data(schedules.clone())
                .service(scope::scope(API_BASE).configure(routes::configure))
                .into_app()
                .configure(error::extractor_configs)
                .configure(|cfg| {
                    if let Some(sandbox) = sandbox.clone() {
                        crate::payments::sandbox::configure(cfg, sandbox);
                    }
                })
                .configure(|cfg| spa.clone().configure(cfg))
                .wrap(middleware::from_fn(
                    crate::availability_cache::invalidate_on_write,
                ))
                .wrap(error::problem_responses())
                .wrap(middleware::from_fn(site::response_headers))
                .wrap(middleware::Compress::default())
                .wrap(site::security_headers(&csp))
                .wrap(TracingLogger::default())
        })
        .workers(settings.workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Application { port, server, jobs })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight (up to 10 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let reaper = actix_web::rt::spawn(crate::jobs::expire_holds(self.jobs.pool.clone()));
        let drafts = actix_web::rt::spawn(crate::jobs::forget_drafts(
            self.jobs.pool.clone(),
            self.jobs.photo_dir.clone(),
        ));
        let reconciler = actix_web::rt::spawn(crate::jobs::reconcile_payments(
            self.jobs.pool.clone(),
            self.jobs.payments.clone(),
        ));
        let deliverer = actix_web::rt::spawn(crate::notify::deliver_outbox(
            self.jobs.pool.clone(),
            self.jobs.sinks.clone(),
        ));
        let reminders =
            actix_web::rt::spawn(crate::notify::queue_reminders(self.jobs.pool.clone()));
        let result = self.server.await;
        reaper.abort();
        drafts.abort();
        deliverer.abort();
        reminders.abort();
        reconciler.abort();
        result
    }
}
