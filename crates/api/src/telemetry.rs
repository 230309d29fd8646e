//! Structured logs through `tracing`: readable lines by default, JSON lines for production.

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::{fmt::format::FmtSpan, EnvFilter};

/// Installs the global subscriber. Each request runs in a span carrying its `request_id`, so
/// every line logged while serving it can be traced back to it.
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false);
    let result = match format {
        LogFormat::Human => builder
            .with_ansi(std::io::stdout().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    // Already installed (tests start several servers in one process): keep the first one.
    let _ = result;
}
