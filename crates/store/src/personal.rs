//! Personal data under per-person keys (crypto-shredding).
//!
//! A value is sealed with XChaCha20-Poly1305 under its person's key, the person id bound in
//! as associated data, and stored in events only as `sealed:v1:<base64 nonce‖ciphertext>`.
//! Erasing a person deletes the key: the ciphertext in the log can never be opened again,
//! while the log, its hashes and every checkpoint stay exactly as they were.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sqlx::PgPool;

use crate::error::StoreError;

const PREFIX: &str = "sealed:v1:";

/// Seals and opens personal values with keys kept in `person_keys`.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pool: PgPool,
}

/// Bytes from the operating system's generator (`getrandom`, no file read).
fn random<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::InvalidAppend(format!("no randomness for personal data: {e}")))?;
    Ok(bytes)
}

impl PersonalData {
    /// Personal data in `pool`.
    pub fn new(pool: PgPool) -> Self {
        PersonalData { pool }
    }

    async fn key(&self, person: &str, create: bool) -> Result<Option<[u8; 32]>, StoreError> {
        if create {
            sqlx::query("INSERT INTO person_keys (person_id, key) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING")
                .bind(person)
                .bind(random::<32>()?.to_vec())
                .execute(&self.pool)
                .await?;
        }
        let key: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT key FROM person_keys WHERE person_id = $1")
                .bind(person)
                .fetch_optional(&self.pool)
                .await?;
        Ok(key.and_then(|k| k.try_into().ok()))
    }

    /// Seals `plain` under `person`'s key, creating the key on first use.
    pub async fn seal(&self, person: &str, plain: &str) -> Result<String, StoreError> {
        let key = self
            .key(person, true)
            .await?
            .ok_or_else(|| StoreError::InvalidAppend(format!("no key for person {person}")))?;
        let nonce = random::<24>()?;
        let cipher = XChaCha20Poly1305::new((&key).into());
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: person.as_bytes(),
                },
            )
            .map_err(|_| StoreError::InvalidAppend("encryption failed".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// Opens a sealed value; `None` when the person was erased (or the value is not theirs).
    pub async fn open(&self, person: &str, sealed: &str) -> Result<Option<String>, StoreError> {
        let Some(key) = self.key(person, false).await? else {
            return Ok(None);
        };
        Ok(open_with(&key, person, sealed))
    }

    /// Whether `person` has a key (erasure destroys it, in the statement that records the
    /// erasure: see migration `command_fingerprints`).
    pub async fn has_key(&self, person: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM person_keys WHERE person_id = $1)")
                .bind(person)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

fn open_with(key: &[u8; 32], person: &str, sealed: &str) -> Option<String> {
    let bytes = STANDARD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(key.into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: person.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_sealed_for_one_person_does_not_open_for_another() {
        let key = [7u8; 32];
        let cipher = XChaCha20Poly1305::new((&key).into());
        let nonce = [1u8; 24];
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: "李大姐".as_bytes(),
                    aad: b"p1",
                },
            )
            .unwrap();
        let text = format!(
            "{PREFIX}{}",
            STANDARD.encode([nonce.to_vec(), sealed].concat())
        );
        assert_eq!(open_with(&key, "p1", &text).as_deref(), Some("李大姐"));
        assert_eq!(open_with(&key, "p2", &text), None);
        assert_eq!(open_with(&[8u8; 32], "p1", &text), None);
    }
}
