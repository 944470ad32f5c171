//! The schema: roots merged per area, limits, and the per-request context.

use async_graphql::Schema;
use civic_commands::{Actor, CommandHandler};
use sqlx::PgPool;
use uuid::Uuid;

use crate::mutation::MutationRoot;
use crate::query::QueryRoot;
use crate::subscription::SubscriptionRoot;

/// The gateway's schema.
pub type CivicSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Limits on what one request may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest selection nesting.
    pub max_depth: usize,
    /// Largest complexity (fields, weighted by page sizes).
    pub max_complexity: usize,
    /// Most fields a query may select once its fragments are expanded (`__typename`
    /// included, which the complexity does not count).
    pub max_expanded_fields: u64,
    /// Largest page a connection returns.
    pub max_page_size: i64,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Longest wait for `atLeastPosition`.
    pub max_wait_ms: u64,
    /// Longest time one HTTP request may take.
    pub request_timeout_ms: u64,
    /// Longest time a client may take to send a request's headers.
    pub header_read_timeout_ms: u64,
    /// Longest time a WebSocket may stay open without `connection_init`.
    pub ws_init_timeout_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 12,
            max_complexity: 2_000,
            max_expanded_fields: 5_000,
            max_page_size: 100,
            max_body_bytes: 64 * 1024,
            max_wait_ms: 5_000,
            request_timeout_ms: 30_000,
            header_read_timeout_ms: 10_000,
            ws_init_timeout_ms: 5_000,
        }
    }
}

/// What every resolver can reach.
#[derive(Debug, Clone)]
pub struct Services {
    /// The database.
    pub pool: PgPool,
    /// The command side.
    pub handler: CommandHandler,
    /// Where the projectors have reached (read-your-writes and subscriptions wait on it).
    pub reached: civic_projections::Reached,
    /// Limits.
    pub limits: Limits,
    /// What each account may do now.
    pub accounts: crate::accounts::AccountView,
    /// Refresh sessions (`mySessions`, `revokeSession`).
    pub sessions: civic_store::sessions::Sessions,
}

/// Who is asking, and under which correlation id.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The authenticated actor.
    pub actor: Actor,
    /// Goes into the metadata of every event the request causes.
    pub correlation_id: Uuid,
}

/// Builds the schema with its limits.
pub fn build_schema(services: Services) -> CivicSchema {
    let limits = services.limits;
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .data(services)
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .finish()
}

/// The schema's SDL without any services (for `schema.graphql`).
pub fn sdl() -> String {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .finish()
    .sdl()
}

#[cfg(test)]
mod tests {
    /// `schema.graphql` at the repository root is written from the code: regenerate it with
    /// `cargo run --bin civic -- schema > schema.graphql` when this fails.
    #[test]
    fn the_committed_schema_matches_the_code() {
        let committed = include_str!("../../../schema.graphql");
        assert_eq!(
            committed,
            super::sdl(),
            "schema.graphql has drifted from the code"
        );
    }
}
