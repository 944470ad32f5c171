//! `civic token issue`.

use std::process::ExitCode;

use civic_gateway::auth::{Claims, TokenKey};
use clap::Subcommand;

use crate::Global;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a bearer token (its last line of output).
    Issue {
        /// street_admin, community_staff, grid_worker or auditor.
        #[arg(long)]
        role: String,
        /// A community the subject belongs to (repeat for several).
        #[arg(long)]
        community: Vec<String>,
        /// Who the token is for.
        #[arg(long)]
        subject: String,
        /// Lifetime in hours.
        #[arg(long, default_value_t = 24)]
        ttl: i64,
        /// Signing secret (else the one kept in the data dir).
        #[arg(long, env = "CIVIC_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<String>,
    },
}

pub fn run(command: &TokenCommand, global: &Global) -> anyhow::Result<ExitCode> {
    let TokenCommand::Issue {
        role,
        community,
        subject,
        ttl,
        jwt_secret,
    } = command;
    role.parse::<civic_commands::Role>()
        .map_err(anyhow::Error::msg)?;
    let secret = crate::secret::load(jwt_secret.as_deref(), &global.data_dir)?;
    let claims = Claims {
        sub: subject.clone(),
        role: role.clone(),
        communities: community.clone(),
        exp: time::OffsetDateTime::now_utc().unix_timestamp() + ttl * 3600,
    };
    println!("{}", TokenKey::new(&secret).issue(&claims));
    Ok(ExitCode::SUCCESS)
}

/// A token for the demo's street admin.
pub fn demo_token(secret: &[u8]) -> String {
    let claims = Claims {
        sub: "杜甫路街道".to_owned(),
        role: "street_admin".to_owned(),
        communities: Vec::new(),
        exp: time::OffsetDateTime::now_utc().unix_timestamp() + 7 * 24 * 3600,
    };
    TokenKey::new(secret).issue(&claims)
}
