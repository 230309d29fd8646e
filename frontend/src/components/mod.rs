//! Pieces of interface shared by pages.

pub mod footer;
pub mod header;
pub mod health_status;
pub mod notice;
