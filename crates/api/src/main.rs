//! The `nobat` command: serve, migrate, seed demo data, print the OpenAPI document.

use clap::{Parser, Subcommand};
use nobat_api::config::{Settings, ENVIRONMENT_HELP};
use nobat_api::{db, openapi, seed, startup::Application, telemetry};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nobat",
    version,
    about = "Nobat: the online queue and passport-application service of the migration service.",
    after_help = ENVIRONMENT_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the API, Swagger UI and the web app until SIGTERM.
    Serve,
    /// Apply pending database migrations and exit (safe to run from several hosts at once).
    Migrate,
    /// Apply migrations and load the demo data (branches, services, holidays...); idempotent.
    SeedDemo,
    /// Print the OpenAPI 3.1 document to stdout (this is how openapi/openapi.json is made).
    Openapi,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", openapi::api_doc_json());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("nobat: {error}\n\n{ENVIRONMENT_HELP}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log_filter, settings.log_format);
    match run(cli.command, &settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("nobat: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: &Settings) -> Result<(), String> {
    let mut conn = db::connect(&settings.database_url).map_err(|e| {
        format!(
            "cannot connect to the database at {}: {e}",
            settings.database_url_redacted()
        )
    })?;
    let applied = db::run_migrations(&mut conn).map_err(|e| format!("migrations failed: {e}"))?;
    tracing::info!(applied = applied.len(), "database schema is up to date");
    match command {
        Command::Migrate | Command::Openapi => Ok(()),
        Command::SeedDemo => {
            let report =
                seed::seed_demo(&mut conn).map_err(|e| format!("loading demo data failed: {e}"))?;
            tracing::info!(inserted = ?report.inserted, "demo data loaded");
            let media = seed::media::media(&mut conn, &settings.data_dir.join("media"))
                .map_err(|e| format!("loading demo media failed: {e}"))?;
            tracing::info!(inserted = media, "demo multimedia loaded");
            Ok(())
        }
        Command::Serve => {
            if settings.production {
                let demo = nobat_api::db::staff::demo_passwords_left(&mut conn)
                    .map_err(|e| format!("cannot check staff accounts: {e}"))?;
                if !demo.is_empty() {
                    return Err(format!(
                        "NOBAT_PRODUCTION is on and these accounts still have their demo passwords: {}; change them first",
                        demo.join(", ")
                    ));
                }
            }
            drop(conn);
            let pool = db::build_pool(
                &settings.database_url,
                settings.db_pool_size,
                settings.db_timeout,
            )
            .map_err(|e| format!("cannot build the connection pool: {e}"))?;
            db::warm_up(&pool, settings.db_pool_size);
            actix_web::rt::System::new().block_on(async {
                let app = Application::build(settings, pool)
                    .map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
                tracing::info!(
                    "listening on http://{}:{}/ (API /api/v1, Swagger UI /swagger-ui/)",
                    settings.bind.ip(),
                    app.port()
                );
                app.run_until_stopped()
                    .await
                    .map_err(|e| format!("server stopped: {e}"))
            })
        }
    }
}
