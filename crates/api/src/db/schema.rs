//! Diesel table definitions, kept in step with `migrations/` (regenerate with `diesel print-schema`
//! or edit by hand alongside a migration).
