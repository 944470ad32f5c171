#![doc = include_str!("../README.md")]

pub mod auth;
mod boundary;
pub mod error;
mod listener;
mod loaders;
pub mod metrics;
mod mutation;
mod query;
pub mod schema;
pub mod server;
mod subscription;
mod websocket;

pub use listener::serve;
pub use query::community_board_sql;
pub use schema::{build_schema, CivicSchema, Limits};
pub use server::{metrics_router, router, AppState};
