//! Bearer tokens: HS256 JWTs (`jsonwebtoken`) with subject, typed role, community scope,
//! expiry, and issuer and audience when configured.

use std::sync::Arc;

use civic_commands::{Actor, Role};
use civic_domain::values::CommunityId;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Seconds of clock difference tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 5;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization: Bearer …` header.
    #[error("missing bearer token")]
    Missing,
    /// Not a JWT, or not HS256.
    #[error("malformed token")]
    Malformed,
    /// The signature does not match the secret.
    #[error("bad token signature")]
    BadSignature,
    /// Past its expiry.
    #[error("token expired")]
    Expired,
    /// Before its `nbf`.
    #[error("token not yet valid")]
    NotYetValid,
    /// A role, community, issuer or audience that is not accepted.
    #[error("invalid token claims: {0}")]
    InvalidClaims(String),
    /// The token is valid but its account may not act now (suspended, closed, unknown).
    #[error("{0}")]
    Account(#[from] crate::accounts::Refused),
}

impl AuthError {
    /// Why, as a stable name a client can map to words (`extensions.reason`).
    pub fn reason(&self) -> &'static str {
        use crate::accounts::Refused;
        match self {
            AuthError::Expired => "TOKEN_EXPIRED",
            AuthError::Account(Refused::Suspended(_)) => "ACCOUNT_SUSPENDED",
            AuthError::Account(Refused::Closed(_)) => "ACCOUNT_CLOSED",
            AuthError::Account(Refused::Unknown(_)) => "ACCOUNT_UNKNOWN",
            _ => "TOKEN_INVALID",
        }
    }
}

/// The claims Civic Ledger puts in a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: who.
    pub sub: String,
    /// Role.
    pub role: Role,
    /// Community ids the subject belongs to.
    #[serde(default)]
    pub communities: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// Not before, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issuer (set by [`TokenKey::issue`] when one is configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience (likewise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

impl Claims {
    /// Claims for `sub` in `role` over `communities`, valid from now for `ttl_seconds`.
    pub fn new(sub: &str, role: Role, communities: Vec<String>, ttl_seconds: i64) -> Self {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Claims {
            sub: sub.to_owned(),
            role,
            communities,
            exp: now.saturating_add(ttl_seconds),
            nbf: Some(now),
            iss: None,
            aud: None,
        }
    }
}

/// A verified token: who, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The actor the token names.
    pub actor: Actor,
    /// Its expiry, seconds since the Unix epoch.
    pub expires_at: i64,
}

/// Signs and verifies tokens with one secret. Cheap to clone: every request's handler
/// state holds one.
#[derive(Clone)]
pub struct TokenKey(Arc<KeyParts>);

#[derive(Clone)]
struct KeyParts {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: Option<String>,
    audience: Option<String>,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("issuer", &self.0.issuer)
            .field("audience", &self.0.audience)
            .finish_non_exhaustive()
    }
}

impl TokenKey {
    /// A key from a secret (the CLI generates 32 random bytes).
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.validate_aud = false;
        TokenKey(Arc::new(KeyParts {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: None,
            audience: None,
        }))
    }

    /// Requires (and stamps) this issuer and audience when given.
    pub fn with_issuer_and_audience(
        mut self,
        issuer: Option<&str>,
        audience: Option<&str>,
    ) -> Self {
        let parts = Arc::make_mut(&mut self.0);
        let mut required = vec!["exp"];
        if let Some(issuer) = issuer {
            parts.validation.set_issuer(&[issuer]);
            parts.issuer = Some(issuer.to_owned());
            required.push("iss");
        }
        if let Some(audience) = audience {
            parts.validation.set_audience(&[audience]);
            parts.validation.validate_aud = true;
            parts.audience = Some(audience.to_owned());
            required.push("aud");
        }
        // A configured claim must be present, not merely right when present.
        parts.validation.set_required_spec_claims(&required);
        self
    }

    /// Issues a token (with this key's issuer and audience, if any).
    pub fn issue(&self, claims: &Claims) -> String {
        let claims = Claims {
            iss: claims.iss.clone().or_else(|| self.0.issuer.clone()),
            aud: claims.aud.clone().or_else(|| self.0.audience.clone()),
            ..claims.clone()
        };
        // HS256 over serializable claims cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.encoding)
            .unwrap_or_default()
    }

    /// Verifies a token against the clock and returns the actor it names.
    pub fn verify(&self, token: &str) -> Result<Verified, AuthError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.0.decoding, &self.0.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                ErrorKind::ImmatureSignature => AuthError::NotYetValid,
                ErrorKind::InvalidSignature => AuthError::BadSignature,
                ErrorKind::InvalidIssuer => AuthError::InvalidClaims("issuer".into()),
                ErrorKind::InvalidAudience => AuthError::InvalidClaims("audience".into()),
                ErrorKind::MissingRequiredClaim(claim) => {
                    AuthError::InvalidClaims(format!("missing {claim}"))
                }
                ErrorKind::Json(_) => AuthError::InvalidClaims("unknown role or shape".into()),
                _ => AuthError::Malformed,
            })?;
        let claims = data.claims;
        let communities = claims
            .communities
            .iter()
            .map(|c| CommunityId::parse(c).map_err(|e| AuthError::InvalidClaims(e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok(Verified {
            actor: Actor {
                id: claims.sub,
                role: claims.role,
                communities,
            },
            expires_at: claims.exp,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn claims(ttl: i64) -> Claims {
        Claims::new("张文博", Role::CommunityStaff, vec!["guangsha".into()], ttl)
    }

    #[test]
    fn a_token_round_trips() {
        let key = TokenKey::new(b"0123456789abcdef0123456789abcdef");
        let verified = key.verify(&key.issue(&claims(60))).unwrap();
        assert_eq!(verified.actor.id, "张文博");
        assert_eq!(verified.actor.role, Role::CommunityStaff);
    }

    #[test]
    fn another_secret_is_a_bad_signature() {
        let token = TokenKey::new(b"one secret").issue(&claims(60));
        assert_eq!(
            TokenKey::new(b"another secret").verify(&token),
            Err(AuthError::BadSignature)
        );
    }

    #[test]
    fn an_expired_token_is_refused_past_the_leeway() {
        let key = TokenKey::new(b"secret");
        assert_eq!(
            key.verify(&key.issue(&claims(-60))),
            Err(AuthError::Expired)
        );
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        let key = TokenKey::new(b"secret");
        let mut early = claims(3_600);
        early.nbf = early.nbf.map(|now| now + 600);
        assert_eq!(key.verify(&key.issue(&early)), Err(AuthError::NotYetValid));
    }

    #[test]
    fn an_unknown_role_is_refused() {
        let key = TokenKey::new(b"secret");
        let token = key.issue(&claims(60));
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        parts[1] = URL_SAFE_NO_PAD.encode(payload.replace("community_staff", "mayor"));
        // Re-signed with the right key, so only the claim is wrong.
        let header_payload = format!("{}.{}", parts[0], parts[1]);
        let signature = jsonwebtoken::crypto::sign(
            header_payload.as_bytes(),
            &EncodingKey::from_secret(b"secret"),
            Algorithm::HS256,
        )
        .unwrap();
        let forged = format!("{header_payload}.{signature}");
        assert!(matches!(
            key.verify(&forged),
            Err(AuthError::InvalidClaims(_))
        ));
    }

    #[test]
    fn issuer_and_audience_are_checked_when_configured() {
        let ours = TokenKey::new(b"secret").with_issuer_and_audience(Some("civic"), Some("admin"));
        let theirs =
            TokenKey::new(b"secret").with_issuer_and_audience(Some("other"), Some("admin"));
        assert!(ours.verify(&ours.issue(&claims(60))).is_ok());
        let bare = TokenKey::new(b"secret");
        assert!(matches!(
            ours.verify(&bare.issue(&claims(60))),
            Err(AuthError::InvalidClaims(missing)) if missing.starts_with("missing")
        ));
        assert_eq!(
            ours.verify(&theirs.issue(&claims(60))),
            Err(AuthError::InvalidClaims("issuer".into()))
        );
    }

    #[test]
    fn a_tampered_payload_is_a_bad_signature() {
        let key = TokenKey::new(b"secret");
        let token = key.issue(&claims(60));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD
            .encode(r#"{"sub":"x","role":"street_admin","communities":[],"exp":99999999999}"#);
        parts[1] = &forged;
        assert_eq!(key.verify(&parts.join(".")), Err(AuthError::BadSignature));
    }
}
