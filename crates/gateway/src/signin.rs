//! Sign-in over HTTP: `/auth/login`, `/auth/password`, `/auth/refresh`, `/auth/logout`.
//!
//! A sign-in answers a short-lived access token (a JWT with the account's role and
//! communities) in JSON and sets a refresh token as an `HttpOnly; Secure; SameSite=Strict`
//! cookie scoped to `/auth`. Each refresh token is used once (`civic_store::sessions`).
//!
//! Guessing is slowed three ways: a rate limit per client address and one per login
//! (`governor`), and a lockout of a login after repeated failures that grows with each
//! further failure. An unknown login and a wrong password get the same answer after the
//! same work: the password is verified against a decoy hash when the login has none.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use civic_commands::accounts;
use civic_commands::{Actor, CommandContext, CommandHandler};
use civic_domain::account::{AccountKind, Login};
use civic_store::credentials::{self, Credentials};
use civic_store::sessions::{Refresh, Sessions};
use cookie::{Cookie, SameSite};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::AccountView;
use crate::auth::{Claims, TokenKey};
use crate::server::ACCOUNT_WAIT;

/// The refresh cookie's name.
pub const REFRESH_COOKIE: &str = "civic_refresh";

/// How sign-in behaves.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    /// Lifetime of an access token.
    pub access_ttl: Duration,
    /// Lifetime of a refresh token (each refresh starts a new one).
    pub refresh_ttl: Duration,
    /// Failures in a row before a login is locked.
    pub lock_after: i32,
    /// The first lockout; each further failure doubles it (up to an hour).
    pub lockout: Duration,
    /// Sign-in attempts per minute per login.
    pub per_login_per_minute: u32,
    /// Sign-in attempts per minute per client address.
    pub per_address_per_minute: u32,
    /// Whether the refresh cookie carries `Secure` (off only for a demo on 127.0.0.1).
    pub secure_cookie: bool,
}

impl Default for SignInConfig {
    fn default() -> Self {
        SignInConfig {
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(12 * 3600),
            lock_after: 5,
            lockout: Duration::from_secs(30),
            per_login_per_minute: 20,
            per_address_per_minute: 60,
            secure_cookie: true,
        }
    }
}

/// What the sign-in routes share.
#[derive(Clone)]
pub struct SignIn {
    inner: Arc<Inner>,
}

struct Inner {
    config: SignInConfig,
    key: TokenKey,
    accounts: AccountView,
    handler: CommandHandler,
    credentials: Credentials,
    sessions: Sessions,
    per_login: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl SignIn {
    /// Sign-in for the accounts of `accounts`, issuing tokens with `key`.
    pub fn new(
        config: SignInConfig,
        key: TokenKey,
        accounts: AccountView,
        handler: CommandHandler,
    ) -> SignIn {
        let pool = handler.store().pool().clone();
        let per_login = RateLimiter::keyed(per_minute(config.per_login_per_minute));
        let per_address = RateLimiter::keyed(per_minute(config.per_address_per_minute));
        // The decoy is hashed now, so that the first unknown login does not take twice as
        // long as a wrong password.
        tokio::task::spawn_blocking(|| {
            credentials::decoy();
        });
        let inner = Arc::new(Inner {
            config,
            key,
            accounts,
            handler,
            credentials: Credentials::new(pool.clone()),
            sessions: Sessions::new(pool),
            per_login,
            per_address,
        });
        tokio::spawn(forget_old_keys(Arc::downgrade(&inner)));
        SignIn { inner }
    }

    /// The routes under `/auth`.
    pub fn routes(&self) -> Router {
        Router::new()
            .route("/auth/login", post(login))
            .route("/auth/password", post(change_password))
            .route("/auth/refresh", post(refresh))
            .route("/auth/logout", post(logout))
            .with_state(self.clone())
    }

    /// The sessions table, for `mySessions` and `revokeSession`.
    pub fn sessions(&self) -> &Sessions {
        &self.inner.sessions
    }
}

/// Keyed limiters keep a cell per key; drop those back to full capacity now and then.
async fn forget_old_keys(inner: std::sync::Weak<Inner>) {
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let Some(inner) = inner.upgrade() else { return };
        inner.per_login.retain_recent();
        inner.per_address.retain_recent();
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInBody {
    login: String,
    password: String,
    #[serde(default)]
    new_password: Option<String>,
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

/// Why a sign-in request is refused; each has its status and JSON answer.
#[derive(Debug)]
enum Refusal {
    /// Wrong or unknown credentials (one answer for both).
    Invalid,
    /// Over a rate limit or locked out, with the wait.
    TooMany(Duration, &'static str),
    /// The database cannot be reached.
    Unavailable,
    /// Input that is not what the route takes.
    BadRequest(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Invalid => answer(
                StatusCode::UNAUTHORIZED,
                json!({ "error": "invalid login or password", "code": "UNAUTHENTICATED" }),
            ),
            Refusal::TooMany(wait, what) => {
                let seconds = wait.as_secs().max(1);
                let mut response = answer(
                    StatusCode::TOO_MANY_REQUESTS,
                    json!({ "error": what, "code": "RATE_LIMITED", "retryAfterSeconds": seconds }),
                );
                if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            Refusal::Unavailable => answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "the service cannot reach its database; try again", "code": "UNAVAILABLE" }),
            ),
            Refusal::BadRequest(message) => answer(
                StatusCode::BAD_REQUEST,
                json!({ "error": message, "code": "VALIDATION" }),
            ),
        }
    }
}

fn address(connection: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    connection.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Parses a small JSON body of login and password.
fn parse(body: &Bytes) -> Result<SignInBody, Refusal> {
    if body.len() > 4096 {
        return Err(Refusal::BadRequest(
            "the request is larger than 4 KiB".into(),
        ));
    }
    serde_json::from_slice(body)
        .map_err(|_| Refusal::BadRequest("send JSON with login and password".into()))
}

impl Inner {
    /// The checks every password sign-in passes: rate limits, lockout, then the password
    /// verified (against a decoy when the login has none). `Ok` holds whether a change is
    /// due; every refusal has been counted.
    async fn check(&self, ip: IpAddr, login: &str, password: &str) -> Result<bool, Refusal> {
        let now = governor::clock::Clock::now(&governor::clock::DefaultClock::default());
        if let Err(wait) = self.per_address.check_key(&ip) {
            return Err(Refusal::TooMany(
                wait.wait_time_from(now),
                "too many sign-ins from this address",
            ));
        }
        if let Err(wait) = self.per_login.check_key(&login.to_owned()) {
            return Err(Refusal::TooMany(
                wait.wait_time_from(now),
                "too many sign-ins for this login",
            ));
        }
        match self.credentials.locked_until(login).await {
            Ok(Some(until)) => {
                let left = until - time::OffsetDateTime::now_utc();
                return Err(Refusal::TooMany(
                    Duration::from_secs(left.whole_seconds().max(1) as u64),
                    "this login is locked after repeated failures",
                ));
            }
            Ok(None) => {}
            Err(_) => return Err(Refusal::Unavailable),
        }
        // The account as the log says now: a suspension or reinstatement that another
        // process (`civic account …`) has just committed must decide this sign-in, not reach
        // the view a moment after it.
        if !self.accounts.catch_up(ACCOUNT_WAIT).await {
            return Err(Refusal::Unavailable);
        }
        let stored = self
            .credentials
            .get(login)
            .await
            .map_err(|_| Refusal::Unavailable)?;
        // A person's active account with a password; anything else verifies against the
        // decoy, so the answer and its time are the same.
        let usable = self
            .accounts
            .state(login)
            .is_some_and(|s| s.kind == AccountKind::Person)
            && self.accounts.actor(login).is_ok();
        let (hash, must_change) = match (&stored, usable) {
            (Some(c), true) => (c.hash.clone(), c.must_change),
            _ => (credentials::decoy().to_owned(), false),
        };
        let password = password.to_owned();
        let matched = tokio::task::spawn_blocking(move || credentials::verify(&hash, &password))
            .await
            .unwrap_or(false);
        if !(matched && stored.is_some() && usable) {
            let lock_after = self.config.lock_after;
            let base = self.config.lockout.as_secs() as i64;
            let counted = self
                .credentials
                .record_failure(login, |failures| {
                    let beyond = failures - lock_after;
                    if beyond < 0 {
                        0
                    } else {
                        (base << beyond.min(20)).min(3600)
                    }
                })
                .await;
            if counted.is_err() {
                return Err(Refusal::Unavailable);
            }
            return Err(Refusal::Invalid);
        }
        self.credentials
            .clear_failures(login)
            .await
            .map_err(|_| Refusal::Unavailable)?;
        Ok(must_change)
    }

    /// Tokens for a signed-in account: an access token in the body, a refresh cookie.
    async fn tokens(&self, login: &str, headers: &HeaderMap) -> Response {
        let Ok(actor) = self.accounts.actor(login) else {
            return Refusal::Invalid.into_response();
        };
        let ttl = self.refresh_ttl();
        let Ok(session) = self.sessions.open(login, ttl, user_agent(headers)).await else {
            return Refusal::Unavailable.into_response();
        };
        self.signed_in(&actor, &session.token)
    }

    /// A refresh token's lifetime.
    fn refresh_ttl(&self) -> time::Duration {
        time::Duration::try_from(self.config.refresh_ttl).unwrap_or(time::Duration::HOUR)
    }

    /// Parses a sign-in request's body and runs [`Inner::check`] on it: the request, and
    /// whether its password must be changed. `needs` refuses a body without what the route
    /// needs besides, before any password is verified.
    async fn sign_in(
        &self,
        connection: Option<&ConnectInfo<SocketAddr>>,
        body: &Bytes,
        needs: impl FnOnce(&SignInBody) -> Result<(), Refusal>,
    ) -> Result<(SignInBody, bool), Refusal> {
        let request = parse(body)?;
        needs(&request)?;
        let must_change = self
            .check(address(connection), &request.login, &request.password)
            .await?;
        Ok((request, must_change))
    }

    fn signed_in(&self, actor: &Actor, refresh_token: &str) -> Response {
        let ttl = self.config.access_ttl.as_secs() as i64;
        let communities = actor.communities.iter().map(|c| c.to_string()).collect();
        let claims = Claims::new(&actor.id, actor.role, communities, ttl);
        let token = self.key.issue(&claims);
        let mut response = answer(
            StatusCode::OK,
            json!({
                "accessToken": token,
                "tokenType": "Bearer",
                "expiresIn": ttl,
                "login": actor.id,
                "role": actor.role.as_str(),
                "communities": claims.communities,
            }),
        );
        self.set_cookie(&mut response, refresh_token, self.config.refresh_ttl);
        response
    }

    fn set_cookie(&self, response: &mut Response, value: &str, max_age: Duration) {
        let cookie = Cookie::build((REFRESH_COOKIE, value.to_owned()))
            .http_only(true)
            .secure(self.config.secure_cookie)
            .same_site(SameSite::Strict)
            .path("/auth")
            .max_age(cookie::time::Duration::seconds(max_age.as_secs() as i64))
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

/// The browser or program the request says it comes from.
fn user_agent(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}

/// The refresh token of the request's cookie.
fn refresh_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
}

async fn login(
    State(signin): State<SignIn>,
    connection: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inner = &signin.inner;
    match inner
        .sign_in(connection.as_ref().map(|c| &c.0), &body, |_| Ok(()))
        .await
    {
        Err(refusal) => refusal.into_response(),
        Ok((_, true)) => answer(
            StatusCode::FORBIDDEN,
            json!({
                "error": "the one-time password must be changed: post login, password and newPassword to /auth/password",
                "code": "PASSWORD_CHANGE_REQUIRED",
            }),
        ),
        Ok((request, false)) => inner.tokens(&request.login, &headers).await,
    }
}

async fn change_password(
    State(signin): State<SignIn>,
    connection: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inner = &signin.inner;
    let needs_new = |r: &SignInBody| match r.new_password {
        Some(_) => Ok(()),
        None => Err(Refusal::BadRequest("newPassword is required".into())),
    };
    let request = match inner
        .sign_in(connection.as_ref().map(|c| &c.0), &body, needs_new)
        .await
    {
        Ok((request, _)) => request,
        Err(refusal) => return refusal.into_response(),
    };
    let new_password = request.new_password.as_deref().unwrap_or_default();
    if let Err(refusal) = accounts::check_password(&request.login, new_password) {
        return Refusal::BadRequest(refusal.to_string()).into_response();
    }
    let (Ok(login), Ok(actor)) = (
        Login::parse(&request.login),
        inner.accounts.actor(&request.login),
    ) else {
        return Refusal::Invalid.into_response();
    };
    let ctx = CommandContext::new(actor);
    match accounts::change_password(&inner.handler, &ctx, &login, new_password).await {
        Ok(()) => {
            // Every other session ends with the old password.
            if inner.sessions.revoke_all(login.as_str()).await.is_err() {
                return Refusal::Unavailable.into_response();
            }
            inner.tokens(login.as_str(), &headers).await
        }
        Err(error) => {
            tracing::warn!(%error, "password change failed");
            Refusal::Unavailable.into_response()
        }
    }
}

async fn refresh(State(signin): State<SignIn>, headers: HeaderMap) -> Response {
    let inner = &signin.inner;
    let Some(token) = refresh_token(&headers) else {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "no session", "code": "UNAUTHENTICATED" }),
        );
    };
    // Before the token is rotated: a refresh refused once rotated would lose the new token,
    // and the account's state must be the log's as of now (see `Inner::check`).
    if !inner.accounts.catch_up(ACCOUNT_WAIT).await {
        return Refusal::Unavailable.into_response();
    }
    let ttl = inner.refresh_ttl();
    let agent = user_agent(&headers);
    let ended = || {
        let mut response = answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "the session has ended; sign in again", "code": "UNAUTHENTICATED" }),
        );
        inner.set_cookie(&mut response, "", Duration::ZERO);
        response
    };
    match inner.sessions.refresh(&token, ttl, agent).await {
        Ok(Refresh::Rotated { login, issued }) => match inner.accounts.actor(&login) {
            Ok(actor) => inner.signed_in(&actor, &issued.token),
            Err(_) => {
                let _ = inner.sessions.revoke_all(&login).await;
                ended()
            }
        },
        Ok(Refresh::Reused { login }) => {
            tracing::warn!(
                login,
                "a refresh token was used twice; its sessions are revoked"
            );
            ended()
        }
        Ok(Refresh::Invalid) => ended(),
        Err(_) => Refusal::Unavailable.into_response(),
    }
}

async fn logout(State(signin): State<SignIn>, headers: HeaderMap) -> Response {
    let inner = &signin.inner;
    if let Some(token) = refresh_token(&headers) {
        if inner.sessions.end(&token).await.is_err() {
            return Refusal::Unavailable.into_response();
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    inner.set_cookie(&mut response, "", Duration::ZERO);
    response
}
