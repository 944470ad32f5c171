//! Account commands together with what lives beside the log: credentials and sessions.
//!
//! Each function runs the account's command first (so authorization and the domain's rules
//! come before anything else is touched), then changes the credential or sessions. The
//! gateway's mutations and `civic account` both call these.

use civic_domain::account::{Account, AccountCommand, Login};
use civic_store::credentials::{self, Credentials};
use civic_store::sessions::Sessions;
use civic_store::StoreError;

use crate::{CommandContext, CommandError, CommandHandler, Outcome};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRefused {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// Longer than anyone types (and than Argon2 should be asked to hash).
    #[error("a password has at most 128 characters")]
    TooLong,
    /// The login itself, or it with a little added.
    #[error("a password must not be the login name")]
    IsLogin,
    /// One of the 10,000 most common passwords.
    #[error("this password is among the most common ones")]
    Common,
}

/// Checks a new password against the policy: at least 12 characters, not the login, not
/// among the 10,000 most common passwords. The list is `zxcvbn`'s ranked password
/// dictionary, shipped inside the crate and checked in memory.
pub fn check_password(login: &str, password: &str) -> Result<(), PasswordRefused> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordRefused::TooShort);
    }
    if chars > 128 {
        return Err(PasswordRefused::TooLong);
    }
    let lower = password.to_lowercase();
    if lower.contains(&login.to_lowercase()) {
        return Err(PasswordRefused::IsLogin);
    }
    let entropy = zxcvbn::zxcvbn(password, &[]);
    // A match of the whole password in the ranked password list (its dictionary type is not
    // exported, so it is told by name).
    let common = entropy.sequence().iter().any(|m| {
        m.i == 0
            && m.j + 1 == chars
            && matches!(&m.pattern, zxcvbn::matching::patterns::MatchPattern::Dictionary(d)
                if format!("{:?}", d.dictionary_name) == "Passwords" && d.rank <= 10_000)
    });
    if common {
        return Err(PasswordRefused::Common);
    }
    Ok(())
}

/// A fresh one-time password: 16 characters from an alphabet without look-alikes (about
/// 85 bits), to be changed at the first sign-in.
pub fn one_time_password() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::InvalidAppend(format!("no randomness for a password: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// Hashes off the async executor: Argon2id takes tens of milliseconds by design.
pub async fn hash(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || credentials::hash(&password))
        .await
        .map_err(|e| StoreError::InvalidAppend(format!("hashing stopped: {e}")))?
}

/// What opening an account gave.
#[derive(Debug)]
pub struct Opened {
    /// The command's outcome.
    pub outcome: Outcome<Account>,
    /// The one-time password of a person's account (`None` for a service account, and for
    /// a retry of an opening already applied, whose password was handed out then).
    pub one_time_password: Option<String>,
}

/// Opens an account; a person's gets a one-time password.
pub async fn open(
    handler: &CommandHandler,
    ctx: &CommandContext,
    command: AccountCommand,
) -> Result<Opened, CommandError> {
    let AccountCommand::Open { login, kind, .. } = &command else {
        return Err(CommandError::Forbidden("not an opening".into()));
    };
    let (login, kind) = (login.clone(), *kind);
    let outcome = handler.handle::<Account>(ctx, command).await?;
    if outcome.duplicate || kind == civic_domain::account::AccountKind::Service {
        return Ok(Opened {
            outcome,
            one_time_password: None,
        });
    }
    // The opening used the request's command id; recording the password is a command of
    // its own.
    let mut next = ctx.clone();
    next.command_id = uuid::Uuid::now_v7();
    let (_, password) = set_one_time(handler, &next, &login).await?;
    Ok(Opened {
        outcome,
        one_time_password: password,
    })
}

/// Gives the account a new one-time password and ends its sessions. A retry of a reset
/// already applied (the same command id) changes nothing and answers no password.
pub async fn reset_password(
    handler: &CommandHandler,
    ctx: &CommandContext,
    login: &Login,
) -> Result<(Outcome<Account>, Option<String>), CommandError> {
    let (outcome, password) = set_one_time(handler, ctx, login).await?;
    if password.is_some() {
        Sessions::new(handler.store().pool().clone())
            .revoke_all(login.as_str())
            .await?;
    }
    Ok((outcome, password))
}

/// Records under `ctx` that a one-time password was set, then sets one; `None` for a retry
/// already applied.
async fn set_one_time(
    handler: &CommandHandler,
    ctx: &CommandContext,
    login: &Login,
) -> Result<(Outcome<Account>, Option<String>), CommandError> {
    // The fact is recorded first: it is authorized and checked like any command, and a
    // credential is never stored that the log does not account for.
    let record = AccountCommand::RecordPasswordSet {
        login: login.clone(),
        one_time: true,
    };
    let outcome = handler.handle::<Account>(ctx, record).await?;
    if outcome.duplicate {
        return Ok((outcome, None));
    }
    let password = one_time_password()?;
    let hashed = hash(password.clone()).await?;
    Credentials::new(handler.store().pool().clone())
        .set(login.as_str(), &hashed, true)
        .await?;
    Ok((outcome, Some(password)))
}

/// Sets a password the account's owner chose (it must pass [`check_password`]).
pub async fn change_password(
    handler: &CommandHandler,
    ctx: &CommandContext,
    login: &Login,
    password: &str,
) -> Result<(), CommandError> {
    check_password(login.as_str(), password).map_err(|e| CommandError::rejected(&e))?;
    let record = AccountCommand::RecordPasswordSet {
        login: login.clone(),
        one_time: false,
    };
    handler.handle::<Account>(ctx, record).await?;
    let hashed = hash(password.to_owned()).await?;
    let credentials = Credentials::new(handler.store().pool().clone());
    credentials.set(login.as_str(), &hashed, false).await?;
    credentials.clear_failures(login.as_str()).await?;
    Ok(())
}

/// Suspends, reinstates or closes an account (any other account command runs as is).
/// Suspending or closing ends its sessions; closing deletes its credential.
pub async fn change(
    handler: &CommandHandler,
    ctx: &CommandContext,
    command: AccountCommand,
) -> Result<Outcome<Account>, CommandError> {
    let ends = match &command {
        AccountCommand::Suspend { login, .. } => Some((login.clone(), false)),
        AccountCommand::Close { login } => Some((login.clone(), true)),
        _ => None,
    };
    let outcome = handler.handle::<Account>(ctx, command).await?;
    if let Some((login, close)) = ends {
        let pool = handler.store().pool().clone();
        Sessions::new(pool.clone())
            .revoke_all(login.as_str())
            .await?;
        if close {
            Credentials::new(pool).delete(login.as_str()).await?;
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_common_and_login_passwords() {
        assert_eq!(
            check_password("wang", "short"),
            Err(PasswordRefused::TooShort)
        );
        assert_eq!(
            check_password("wangfang", "WangFang2023!"),
            Err(PasswordRefused::IsLogin)
        );
        assert_eq!(
            check_password("wang", "1qaz2wsx3edc"),
            Err(PasswordRefused::Common)
        );
        assert_eq!(
            check_password("wang", "长城长江黄河泰山昆仑"),
            Err(PasswordRefused::TooShort)
        );
        assert_eq!(check_password("wang", "社区网格员每天走访居民楼"), Ok(()));
        assert_eq!(check_password("wang", "violet-harbour-73-lantern"), Ok(()));
    }

    #[test]
    fn one_time_passwords_are_long_and_differ() {
        let a = one_time_password().unwrap();
        let b = one_time_password().unwrap();
        assert_eq!(a.chars().count(), 16);
        assert_ne!(a, b);
        assert!(check_password("wang.fang", &a).is_ok());
    }
}
