//! Passwords and failed sign-ins: what the log must not hold.
//!
//! A password is hashed with Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) and
//! kept as its PHC string in `credentials`, one row per person's account; changing it is no
//! event, closing the account deletes the row. Failed sign-ins in a row are counted per
//! login in `sign_in_failures` so that a lockout survives a restart and holds across
//! processes.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::StoreError;

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended Argon2id configuration; the parameters are constants that
    // `Params::new` accepts.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The Argon2id hash (PHC string) of `password`, with a fresh salt. Deliberately slow: call
/// it off the async executor (`spawn_blocking`).
pub fn hash(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::InvalidAppend(format!("cannot hash a password: {e}")))
}

/// Whether `password` matches `hash`; a malformed hash matches nothing.
pub fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of no one's password, verified against when a login is unknown so that an
/// unknown login costs the same time as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: LazyLock<String> = LazyLock::new(|| {
        hash("no account has this password, which is never compared in earnest").unwrap_or_default()
    });
    &DECOY
}

/// A stored credential.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Credential {
    /// The PHC string.
    pub hash: String,
    /// A one-time password, to be changed at the next sign-in.
    pub must_change: bool,
}

/// The `credentials` and `sign_in_failures` tables.
#[derive(Debug, Clone)]
pub struct Credentials {
    pool: PgPool,
}

impl Credentials {
    /// Credentials in `pool`.
    pub fn new(pool: PgPool) -> Credentials {
        Credentials { pool }
    }

    /// Stores `hash` as the login's password.
    pub async fn set(&self, login: &str, hash: &str, must_change: bool) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO credentials (login, hash, must_change) VALUES ($1, $2, $3) \
             ON CONFLICT (login) DO UPDATE SET hash = EXCLUDED.hash, must_change = EXCLUDED.must_change, set_at = now()",
        )
        .bind(login)
        .bind(hash)
        .bind(must_change)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The login's credential, if it has one.
    pub async fn get(&self, login: &str) -> Result<Option<Credential>, StoreError> {
        Ok(
            sqlx::query_as("SELECT hash, must_change FROM credentials WHERE login = $1")
                .bind(login)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Deletes the login's credential and failure count (a closed account).
    pub async fn delete(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM credentials WHERE login = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        self.clear_failures(login).await
    }

    /// Until when the login is locked out, if it is now.
    pub async fn locked_until(&self, login: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT locked_until FROM sign_in_failures WHERE login = $1 AND locked_until > now()",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?
        .flatten())
    }

    /// Counts one more failure in a row; `lockout` says for how many seconds the new count
    /// locks the login (0: not at all). Returns the count.
    pub async fn record_failure(
        &self,
        login: &str,
        lockout: impl Fn(i32) -> i64,
    ) -> Result<i32, StoreError> {
        let failures: i32 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (login, failures) VALUES ($1, 1) \
             ON CONFLICT (login) DO UPDATE SET failures = sign_in_failures.failures + 1 RETURNING failures",
        )
        .bind(login)
        .fetch_one(&self.pool)
        .await?;
        let seconds = lockout(failures);
        if seconds > 0 {
            sqlx::query(
                "UPDATE sign_in_failures SET locked_until = now() + make_interval(secs => $2) WHERE login = $1",
            )
            .bind(login)
            .bind(seconds as f64)
            .execute(&self.pool)
            .await?;
        }
        Ok(failures)
    }

    /// Forgets the login's failures (a successful sign-in, a reset).
    pub async fn clear_failures(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE login = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = super::hash("长城长江黄河泰山").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(super::verify(&hash, "长城长江黄河泰山"));
        assert!(!super::verify(&hash, "长城长江黄河泰"));
        assert!(!super::verify("not a hash", "x"));
        assert!(!super::verify(super::decoy(), ""));
    }
}
