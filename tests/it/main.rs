//! End-to-end tests against a real PostgreSQL, one fresh database per test.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod commands;
mod projections;
mod store;
