#![doc = include_str!("../README.md")]

pub mod auth;
pub mod error;
mod loaders;
pub mod metrics;
mod mutation;
mod query;
pub mod schema;
pub mod server;
mod subscription;

pub use query::community_board_sql;
pub use schema::{build_schema, CivicSchema, Limits};
pub use server::{router, AppState};
