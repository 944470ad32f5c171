#![doc = include_str!("../README.md")]

pub mod accounts;
mod app;
pub mod auth;
mod boundary;
mod direct;
mod documents;
mod enums;
pub mod error;
mod export;
mod listener;
mod loaders;
pub mod metrics;
mod mutation;
mod query;
mod scalars;
pub mod schema;
pub mod server;
pub mod signin;
mod subscription;
mod websocket;

pub use listener::serve;
pub use schema::{build_schema, CivicSchema, Limits};
pub use server::{metrics_router, router, AppState};
