//! `civic token issue`.

use std::process::ExitCode;

use civic_commands::Role;
use civic_gateway::auth::{Claims, TokenKey};
use clap::Subcommand;
use secrecy::{ExposeSecret, SecretString};

use crate::Global;

/// Issuer and audience of tokens, required by `serve` and stamped by `token issue` when set.
#[derive(Debug, Clone, clap::Args)]
pub struct TokenArgs {
    /// Token signing secret (else one kept in the data dir).
    #[arg(long, env = "CIVIC_JWT_SECRET", hide_env_values = true, value_parser = crate::secret::parse)]
    pub jwt_secret: Option<SecretString>,
    /// The `iss` every token must carry.
    #[arg(long, env = "CIVIC_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// The `aud` every token must carry.
    #[arg(long, env = "CIVIC_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
}

impl TokenArgs {
    /// The signing key these options describe.
    pub fn key(&self, global: &Global) -> anyhow::Result<TokenKey> {
        let secret = crate::secret::load(self.jwt_secret.as_ref(), &global.data_dir)?;
        Ok(TokenKey::new(secret.expose_secret())
            .with_issuer_and_audience(self.jwt_issuer.as_deref(), self.jwt_audience.as_deref()))
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a bearer token (its last line of output).
    Issue {
        /// street_admin, community_staff, grid_worker or auditor.
        #[arg(long)]
        role: Role,
        /// A community the subject belongs to (repeat for several).
        #[arg(long)]
        community: Vec<String>,
        /// The service account the token is for (opened in the log if it does not exist,
        /// its grant changed to this one if it differs).
        #[arg(long)]
        subject: String,
        /// Lifetime in hours (negative: a token that expired that long ago, for tests).
        #[arg(long, default_value_t = 24, allow_negative_numbers = true)]
        ttl: i64,
        #[command(flatten)]
        key: TokenArgs,
    },
}

/// Issues a token for a service account, opening the account (or changing its grant) in
/// the log first: a token may only name an account that exists there.
pub async fn run(
    command: &TokenCommand,
    global: &Global,
    db: &crate::database::Database,
) -> anyhow::Result<ExitCode> {
    let TokenCommand::Issue {
        role,
        community,
        subject,
        ttl,
        key,
    } = command;
    let key = key.key(global)?;
    db.migrate().await?;
    let store =
        civic_store::EventStore::open(db.pool.clone(), civic_store::StoreConfig::default()).await?;
    let handler = civic_commands::CommandHandler::new(store);
    crate::account::ensure_service(&handler, subject, *role, community).await?;
    let claims = Claims::new(subject, *role, community.clone(), ttl.saturating_mul(3600));
    println!("{}", key.issue(&claims));
    Ok(ExitCode::SUCCESS)
}

/// The service account the demo's street-admin token names.
pub const DEMO_SUBJECT: &str = "杜甫路街道";

/// A token for the demo's street-admin service account, valid for a week.
pub fn demo_token(key: &TokenKey) -> String {
    key.issue(&Claims::new(
        DEMO_SUBJECT,
        Role::StreetAdmin,
        Vec::new(),
        7 * 24 * 3600,
    ))
}
