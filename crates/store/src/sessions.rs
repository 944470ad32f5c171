//! Refresh sessions: each refresh token is stored as its SHA-256 and used once.
//!
//! Using a token marks it used and opens the next session of its family. A token used a
//! second time means someone else holds a copy (stolen-token detection): the whole family
//! is revoked, the thief's copy and the owner's current session alike.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::error::StoreError;

/// A new session's token, to hand to the client once.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The session.
    pub id: Uuid,
    /// The refresh token (32 random bytes, base64url).
    pub token: String,
    /// When it expires.
    pub expires_at: OffsetDateTime,
}

/// A live session, as its owner may list it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    /// Its id.
    pub id: Uuid,
    /// When the family began (the sign-in).
    pub signed_in_at: OffsetDateTime,
    /// When this link of it was issued.
    pub created_at: OffsetDateTime,
    /// When it expires.
    pub expires_at: OffsetDateTime,
    /// The browser or program, as it said.
    pub user_agent: Option<String>,
}

/// What a refresh token was good for.
#[derive(Debug, Clone)]
pub enum Refresh {
    /// Rotated: the login and its next token.
    Rotated {
        /// Whose session.
        login: String,
        /// The next token.
        issued: Issued,
    },
    /// Used before: the family is now revoked.
    Reused {
        /// Whose session.
        login: String,
    },
    /// Unknown, expired or revoked.
    Invalid,
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::InvalidAppend(format!("no randomness for a session: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The `sessions` table.
#[derive(Debug, Clone)]
pub struct Sessions {
    pool: PgPool,
}

impl Sessions {
    /// Sessions in `pool`.
    pub fn new(pool: PgPool) -> Sessions {
        Sessions { pool }
    }

    /// Opens a session (a new family at sign-in) lasting `ttl`.
    pub async fn open(
        &self,
        login: &str,
        ttl: Duration,
        user_agent: Option<&str>,
    ) -> Result<Issued, StoreError> {
        let mut tx = self.pool.begin().await?;
        let issued = insert(&mut tx, login, Uuid::now_v7(), ttl, user_agent).await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Uses a refresh token once (see the module's notes).
    pub async fn refresh(
        &self,
        token: &str,
        ttl: Duration,
        user_agent: Option<&str>,
    ) -> Result<Refresh, StoreError> {
        let mut tx = self.pool.begin().await?;
        let found: Option<(Uuid, String, Uuid, bool, bool)> = sqlx::query_as(
            "SELECT id, login, family, used_at IS NOT NULL, revoked_at IS NOT NULL OR expires_at <= now() \
             FROM sessions WHERE token_hash = $1 FOR UPDATE",
        )
        .bind(digest(token))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, login, family, used, dead)) = found else {
            return Ok(Refresh::Invalid);
        };
        if used {
            sqlx::query(
                "UPDATE sessions SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL",
            )
            .bind(family)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Refresh::Reused { login });
        }
        if dead {
            return Ok(Refresh::Invalid);
        }
        sqlx::query("UPDATE sessions SET used_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let issued = insert(&mut tx, &login, family, ttl, user_agent).await?;
        tx.commit().await?;
        Ok(Refresh::Rotated { login, issued })
    }

    /// Ends the family of a refresh token (sign-out); returns whose it was.
    pub async fn end(&self, token: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) \
             WHERE family = (SELECT family FROM sessions WHERE token_hash = $1) RETURNING login",
        )
        .bind(digest(token))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .next())
    }

    /// Revokes one of the login's sessions (its whole family); whether it was live.
    pub async fn revoke(&self, login: &str, id: Uuid) -> Result<bool, StoreError> {
        let revoked = sqlx::query(
            "UPDATE sessions SET revoked_at = now() WHERE login = $1 AND revoked_at IS NULL \
             AND family = (SELECT family FROM sessions WHERE id = $2 AND login = $1)",
        )
        .bind(login)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(revoked.rows_affected() > 0)
    }

    /// Revokes every session of the login (suspension, closing, a password reset).
    pub async fn revoke_all(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = now() WHERE login = $1 AND revoked_at IS NULL",
        )
        .bind(login)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The login's live sessions: the current link of each family, newest first.
    pub async fn live(&self, login: &str) -> Result<Vec<Session>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT s.id, (SELECT min(f.created_at) FROM sessions f WHERE f.family = s.family) AS signed_in_at, \
                s.created_at, s.expires_at, s.user_agent \
             FROM sessions s WHERE s.login = $1 AND s.used_at IS NULL AND s.revoked_at IS NULL \
               AND s.expires_at > now() ORDER BY s.created_at DESC",
        )
        .bind(login)
        .fetch_all(&self.pool)
        .await?)
    }
}

async fn insert(
    tx: &mut sqlx::PgConnection,
    login: &str,
    family: Uuid,
    ttl: Duration,
    user_agent: Option<&str>,
) -> Result<Issued, StoreError> {
    let token = new_token()?;
    let id = Uuid::now_v7();
    let expires_at = OffsetDateTime::now_utc() + ttl;
    sqlx::query(
        "INSERT INTO sessions (id, login, family, token_hash, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(login)
    .bind(family)
    .bind(digest(&token))
    .bind(expires_at)
    .bind(user_agent.map(|u| u.chars().take(200).collect::<String>()))
    .execute(tx)
    .await?;
    Ok(Issued {
        id,
        token,
        expires_at,
    })
}
