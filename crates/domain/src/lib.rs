//! Nobat's domain: the business rules of the queue and passport service and the types that cross
//! the wire between the API and its clients (the SPA and integrators).
//!
//! Nothing here does I/O. The crate builds for `wasm32-unknown-unknown` as well, so the SPA parses
//! and validates with exactly the rules the server applies.

pub mod application_docs;
pub mod availability;
pub mod booking;
pub mod booking_api;
pub mod calendar;
pub mod catalog;
pub mod identity;
pub mod language;
pub mod localized;
pub mod media;
pub mod media_meta;
pub mod money;
pub mod notification;
pub mod opening;
pub mod passport;
pub mod payment;
pub mod queue;
pub mod region;
pub mod staff;
pub mod ticket;
pub mod wire;

pub use language::Language;
pub use localized::{Localized, LocalizedList};
pub use money::Money;
pub use region::Region;
