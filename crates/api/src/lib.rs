//! Nobat's HTTP server: the REST API under `/api/v1`, Swagger UI, and the SPA, on one port.

pub mod auth;
pub mod availability_cache;
pub mod board;
pub mod client;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod jobs;
pub mod notify;
pub mod openapi;
pub mod payments;
pub mod routes;
pub mod schedules;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod web;
