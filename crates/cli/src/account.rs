//! `civic account`: open, suspend, reinstate, close accounts and reset passwords; and the
//! demo's accounts.

use std::process::ExitCode;

use anyhow::Context;
use civic_commands::accounts;
use civic_commands::{Actor, CommandContext, CommandHandler, Role};
use civic_domain::account::{AccountCommand as Command, AccountKind, Grant, Login};
use civic_domain::values::{CommunityId, Name};
use civic_store::{EventStore, StoreConfig};
use clap::Subcommand;

use crate::database::Database;

/// Who acts when an operator runs `civic account` on the server itself.
pub const OPERATOR: &str = "civic-cli";

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Open a person's account and print its one-time password (changed at first sign-in).
    Create {
        /// The login name.
        #[arg(long)]
        login: String,
        /// street_admin, community_staff, grid_worker or auditor.
        #[arg(long)]
        role: Role,
        /// A community of the account (repeat for several; staff and grid workers only).
        #[arg(long)]
        community: Vec<String>,
        /// The name shown (the login when not given).
        #[arg(long)]
        name: Option<String>,
    },
    /// Refuse the account from its next request on, and end its sessions.
    Suspend {
        /// The login name.
        #[arg(long)]
        login: String,
        /// Why (kept in the log).
        #[arg(long, default_value = "停用")]
        reason: String,
    },
    /// Let a suspended account in again.
    Reinstate {
        /// The login name.
        #[arg(long)]
        login: String,
    },
    /// Give the account a new one-time password, print it, and end its sessions.
    ResetPassword {
        /// The login name.
        #[arg(long)]
        login: String,
    },
    /// Close the account for good and delete its password.
    Close {
        /// The login name.
        #[arg(long)]
        login: String,
    },
}

fn grant(role: Role, communities: &[String]) -> anyhow::Result<Grant> {
    let communities = communities
        .iter()
        .map(|c| CommunityId::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Grant::new(role, communities))
}

fn operator() -> CommandContext {
    CommandContext::new(Actor::system(OPERATOR))
}

pub async fn run(command: AccountCommand, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
    let handler = CommandHandler::new(store);
    let ctx = operator();
    match command {
        AccountCommand::Create {
            login,
            role,
            community,
            name,
        } => {
            let login = Login::parse(&login)?;
            let display = Name::parse("name", name.as_deref().unwrap_or(login.as_str()))?;
            let opened = accounts::open(
                &handler,
                &ctx,
                Command::Open {
                    login: login.clone(),
                    display_name: display,
                    kind: AccountKind::Person,
                    grant: grant(role, &community)?,
                },
            )
            .await?;
            println!(
                "opened {login} ({role}); one-time password (to be changed at first sign-in):"
            );
            println!(
                "{}",
                opened.one_time_password.context("no password was set")?
            );
        }
        AccountCommand::Suspend { login, reason } => {
            let login = Login::parse(&login)?;
            let reason = Name::parse("reason", &reason)?;
            accounts::change(
                &handler,
                &ctx,
                Command::Suspend {
                    login: login.clone(),
                    reason,
                },
            )
            .await?;
            println!("suspended {login}; its sessions are ended");
        }
        AccountCommand::Reinstate { login } => {
            let login = Login::parse(&login)?;
            accounts::change(
                &handler,
                &ctx,
                Command::Reinstate {
                    login: login.clone(),
                },
            )
            .await?;
            println!("reinstated {login}");
        }
        AccountCommand::ResetPassword { login } => {
            let login = Login::parse(&login)?;
            let (_, password) = accounts::reset_password(&handler, &ctx, &login).await?;
            println!("new one-time password of {login} (to be changed at first sign-in):");
            println!("{}", password.context("no password was set")?);
        }
        AccountCommand::Close { login } => {
            let login = Login::parse(&login)?;
            accounts::change(
                &handler,
                &ctx,
                Command::Close {
                    login: login.clone(),
                },
            )
            .await?;
            println!("closed {login}; its password is deleted");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes sure a service account `login` exists with this grant (opening it, or changing
/// its grant when it differs); a token may only name an account of the log.
pub async fn ensure_service(
    handler: &CommandHandler,
    login: &str,
    role: Role,
    communities: &[String],
) -> anyhow::Result<()> {
    let login = Login::parse(login).context("a token's subject is an account's login")?;
    let grant = grant(role, communities)?;
    let state =
        civic_commands::load::<civic_domain::account::Account>(handler.store(), login.as_str())
            .await?
            .state;
    let ctx = operator();
    match (&state.grant, state.kind) {
        (None, _) => {
            accounts::open(
                handler,
                &ctx,
                Command::Open {
                    login: login.clone(),
                    display_name: Name::parse("name", login.as_str())?,
                    kind: AccountKind::Service,
                    grant,
                },
            )
            .await?;
        }
        (Some(now), AccountKind::Service) if *now != grant => {
            accounts::change(handler, &ctx, Command::Grant { login, grant }).await?;
        }
        (Some(_), AccountKind::Service) => {}
        (Some(_), AccountKind::Person) => {
            anyhow::bail!("{login} is a person's account: people sign in with their password")
        }
    }
    Ok(())
}

/// The demo's accounts: one per kind of user, each with a one-time password, printed.
pub async fn open_demo_accounts(handler: &CommandHandler) -> anyhow::Result<()> {
    let people: [(&str, &str, Role, &[&str]); 5] = [
        ("street-admin", "杜甫路街道管理员", Role::StreetAdmin, &[]),
        (
            "guangsha-staff",
            "广厦社区工作人员",
            Role::CommunityStaff,
            &["guangsha"],
        ),
        (
            "hemei-staff",
            "和美社区工作人员",
            Role::CommunityStaff,
            &["hemei"],
        ),
        (
            "guangsha-grid",
            "广厦社区网格员",
            Role::GridWorker,
            &["guangsha"],
        ),
        ("auditor", "审计员", Role::Auditor, &[]),
    ];
    println!("demo accounts (login / one-time password, to be changed at first sign-in):");
    for (login, name, role, communities) in people {
        let communities: Vec<String> = communities.iter().map(|c| (*c).to_owned()).collect();
        let opened = accounts::open(
            handler,
            &operator(),
            Command::Open {
                login: Login::parse(login)?,
                display_name: Name::parse("name", name)?,
                kind: AccountKind::Person,
                grant: grant(role, &communities)?,
            },
        )
        .await?;
        if let Some(password) = opened.one_time_password {
            println!("  {login:<16} {password}   ({name}, {role})");
        }
    }
    Ok(())
}
