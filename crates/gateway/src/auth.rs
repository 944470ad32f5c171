//! Bearer tokens: HS256 JWTs (`jsonwebtoken`) with subject, typed role, community scope,
//! expiry, and issuer and audience when configured.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use civic_commands::{Actor, Role};
use civic_domain::values::CommunityId;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lru::LruCache;
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
///
/// A client sends the same token with every request until it signs in again, and checking
/// one (two base64 decodes, two JSON parses, an HMAC) cost about as much as a board page's
/// own decoding. Tokens that verified are therefore kept, by their whole text, with their
/// claims' times ([`Kept`]): a later request with the same text is only checked against the
/// clock. A text differing in any byte (another signature, a forged claim) is not the key
/// and is verified in full; failures are never kept.
#[derive(Clone)]
pub struct TokenKey {
    parts: Arc<KeyParts>,
    verified: Arc<Mutex<LruCache<Box<str>, Kept>>>,
}

/// Tokens that verified, kept at most.
const KEPT_TOKENS: NonZeroUsize = match NonZeroUsize::new(1024) {
    Some(n) => n,
    None => unreachable!(),
};

/// Longest token kept, in bytes (a token of many communities is still far below).
const LONGEST_KEPT: usize = 4096;

/// A verified token's outcome and the times it is valid between.
#[derive(Clone)]
struct Kept {
    verified: Verified,
    not_before: Option<i64>,
}

impl Kept {
    /// The outcome at `now` (seconds since the Unix epoch), with the leeway and the
    /// comparisons of `jsonwebtoken`'s validation.
    fn at(&self, now: i64) -> Result<Verified, AuthError> {
        let leeway = LEEWAY_SECONDS as i64;
        if self.verified.expires_at < now - leeway {
            return Err(AuthError::Expired);
        }
        if self.not_before.is_some_and(|nbf| nbf > now + leeway) {
            return Err(AuthError::NotYetValid);
        }
        Ok(self.verified.clone())
    }
}

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
            .field("issuer", &self.parts.issuer)
            .field("audience", &self.parts.audience)
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
        TokenKey {
            parts: Arc::new(KeyParts {
                encoding: EncodingKey::from_secret(secret),
                decoding: DecodingKey::from_secret(secret),
                validation,
                issuer: None,
                audience: None,
            }),
            verified: Arc::new(Mutex::new(LruCache::new(KEPT_TOKENS))),
        }
    }

    /// Requires (and stamps) this issuer and audience when given.
    pub fn with_issuer_and_audience(
        mut self,
        issuer: Option<&str>,
        audience: Option<&str>,
    ) -> Self {
        // What verified under the old requirements may not under the new ones.
        self.verified = Arc::new(Mutex::new(LruCache::new(KEPT_TOKENS)));
        let parts = Arc::make_mut(&mut self.parts);
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
            iss: claims.iss.clone().or_else(|| self.parts.issuer.clone()),
            aud: claims.aud.clone().or_else(|| self.parts.audience.clone()),
            ..claims.clone()
        };
        // HS256 over serializable claims cannot fail.
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.parts.encoding,
        )
        .unwrap_or_default()
    }

    /// Verifies a token against the clock and returns the actor it names.
    pub fn verify(&self, token: &str) -> Result<Verified, AuthError> {
        let now = jsonwebtoken::get_current_timestamp() as i64;
        let kept = self
            .verified
            .lock()
            .ok()
            .and_then(|mut kept| kept.get(token).cloned());
        if let Some(kept) = kept {
            return kept.at(now);
        }
        let kept = self.verify_in_full(token)?;
        if token.len() <= LONGEST_KEPT {
            if let Ok(mut verified) = self.verified.lock() {
                verified.put(token.into(), kept.clone());
            }
        }
        kept.at(now)
    }

    /// Verifies a token's signature and claims, without what is kept.
    fn verify_in_full(&self, token: &str) -> Result<Kept, AuthError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.parts.decoding, &self.parts.validation)
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
        Ok(Kept {
            verified: Verified {
                actor: Actor {
                    id: claims.sub,
                    role: claims.role,
                    communities,
                },
                expires_at: claims.exp,
            },
            not_before: claims.nbf,
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

    #[test]
    fn a_kept_token_still_expires_and_a_changed_one_is_verified_in_full() {
        let key = TokenKey::new(b"secret");
        let token = key.issue(&claims(60));
        let first = key.verify(&token).expect("valid");
        // The second time it is a kept token, with the same outcome.
        assert_eq!(key.verify(&token), Ok(first.clone()));
        let kept = key
            .verified
            .lock()
            .unwrap()
            .get(token.as_str())
            .cloned()
            .expect("kept");
        // Against the clock, as `jsonwebtoken` judges: the leeway past expiry, then refused;
        // refused before `nbf` less the leeway.
        let (exp, nbf) = (first.expires_at, kept.not_before.expect("nbf"));
        assert!(kept.at(exp + LEEWAY_SECONDS as i64).is_ok());
        assert_eq!(
            kept.at(exp + LEEWAY_SECONDS as i64 + 1),
            Err(AuthError::Expired)
        );
        assert!(kept.at(nbf - LEEWAY_SECONDS as i64).is_ok());
        assert_eq!(
            kept.at(nbf - LEEWAY_SECONDS as i64 - 1),
            Err(AuthError::NotYetValid)
        );
        // Any other byte in the signature is a text never verified, so checked in full.
        let at = token.rfind('.').expect("a signature") + 1;
        let other = if &token[at..=at] == "A" { "B" } else { "A" };
        let forged = format!("{}{other}{}", &token[..at], &token[at + 1..]);
        assert_eq!(key.verify(&forged), Err(AuthError::BadSignature));
        // Failures are not kept, and a key with other requirements keeps nothing of this one.
        assert!(key.verified.lock().unwrap().get(forged.as_str()).is_none());
        let stricter = key.clone().with_issuer_and_audience(Some("civic"), None);
        assert!(matches!(
            stricter.verify(&token),
            Err(AuthError::InvalidClaims(missing)) if missing.starts_with("missing")
        ));
    }
}
