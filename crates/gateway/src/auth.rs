//! Bearer tokens: HS256 JWTs with subject, role, community scope and expiry.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use civic_commands::{Actor, Role};
use civic_domain::values::CommunityId;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization: Bearer …` header.
    #[error("missing bearer token")]
    Missing,
    /// Not three base64url parts of JSON, or not HS256.
    #[error("malformed token")]
    Malformed,
    /// The signature does not match the secret.
    #[error("bad token signature")]
    BadSignature,
    /// Past its expiry.
    #[error("token expired")]
    Expired,
    /// A role or community that does not parse.
    #[error("invalid token claims: {0}")]
    InvalidClaims(String),
}

/// The claims Civic Ledger puts in a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: who.
    pub sub: String,
    /// Role name.
    pub role: String,
    /// Community ids the subject belongs to.
    #[serde(default)]
    pub communities: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
}

/// Signs and verifies tokens with one secret.
#[derive(Clone)]
pub struct TokenKey {
    secret: Vec<u8>,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

impl TokenKey {
    /// A key from a secret (at least 16 bytes recommended; the CLI generates 32).
    pub fn new(secret: &[u8]) -> Self {
        TokenKey {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        Hmac::<Sha256>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }

    /// Issues a token.
    pub fn issue(&self, claims: &Claims) -> String {
        let header = URL_SAFE_NO_PAD.encode(HEADER);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// Verifies a token and returns the actor it names.
    pub fn verify(&self, token: &str, now: i64) -> Result<Actor, AuthError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthError::Malformed);
        };
        let header: serde_json::Value = decode_json(header)?;
        if header["alg"] != "HS256" {
            return Err(AuthError::Malformed);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| AuthError::Malformed)?;
        let mut mac = self.mac();
        mac.update(format!("{}.{payload}", token.split('.').next().unwrap_or_default()).as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| AuthError::BadSignature)?;
        let claims: Claims = decode_json(payload)?;
        if claims.exp <= now {
            return Err(AuthError::Expired);
        }
        let role: Role = claims.role.parse().map_err(AuthError::InvalidClaims)?;
        let communities = claims
            .communities
            .iter()
            .map(|c| CommunityId::parse(c).map_err(|e| AuthError::InvalidClaims(e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok(Actor {
            id: claims.sub,
            role,
            communities,
        })
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, AuthError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| AuthError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| AuthError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "张文博".into(),
            role: "community_staff".into(),
            communities: vec!["guangsha".into()],
            exp,
        }
    }

    #[test]
    fn a_token_round_trips() {
        let key = TokenKey::new(b"0123456789abcdef0123456789abcdef");
        let actor = key.verify(&key.issue(&claims(2_000)), 1_000).unwrap();
        assert_eq!(actor.id, "张文博");
        assert_eq!(actor.role, Role::CommunityStaff);
    }

    #[test]
    fn another_secret_is_a_bad_signature() {
        let token = TokenKey::new(b"one secret").issue(&claims(2_000));
        assert_eq!(
            TokenKey::new(b"another secret").verify(&token, 1_000),
            Err(AuthError::BadSignature)
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let key = TokenKey::new(b"secret");
        assert_eq!(
            key.verify(&key.issue(&claims(999)), 1_000),
            Err(AuthError::Expired)
        );
    }

    #[test]
    fn a_tampered_payload_is_a_bad_signature() {
        let key = TokenKey::new(b"secret");
        let token = key.issue(&claims(2_000));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD
            .encode(r#"{"sub":"x","role":"street_admin","communities":[],"exp":9999}"#);
        parts[1] = &forged;
        assert_eq!(
            key.verify(&parts.join("."), 1_000),
            Err(AuthError::BadSignature)
        );
    }
}
