//! Each account's status and grant as the log says now, in memory, kept current by the
//! log's tail.
//!
//! A token says who its bearer is; this view says what that account may do now. A request
//! whose account is suspended, closed or unknown is refused even though its token is still
//! valid, and an account's current grant (not the one in its token) is what its request may
//! do, so a suspension or a change of scope takes effect on the next request. Open
//! WebSocket sessions watch [`AccountView::changes`] and end when their account is refused.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use civic_commands::Actor;
use civic_domain::account::{Account, AccountEvent, AccountState, AccountStatus};
use civic_domain::{Aggregate, EventCodec};
use civic_store::{EventStore, RecordedEvent, StoreError};
use tokio::sync::watch;

/// Why an account may not act now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// No account has this login (a token must name one that exists in the log).
    #[error("no account {0}")]
    Unknown(String),
    /// Suspended.
    #[error("the account {0} is suspended")]
    Suspended(String),
    /// Closed.
    #[error("the account {0} is closed")]
    Closed(String),
}

#[derive(Debug, Default)]
struct Accounts {
    states: HashMap<String, AccountState>,
    /// The last position applied.
    position: i64,
}

/// The accounts view (cheap to clone).
#[derive(Debug, Clone)]
pub struct AccountView {
    accounts: Arc<RwLock<Accounts>>,
    changes: watch::Receiver<i64>,
    store: EventStore,
}

impl AccountView {
    /// Reads every account's stream, then follows the log in a task of its own.
    pub async fn follow(store: EventStore) -> Result<AccountView, civic_store::StoreError> {
        let (head, _) = store.head().await?;
        let mut accounts = Accounts::default();
        for event in
            civic_store::log::read_kind(store.pool(), Account::PREFIX, &AccountEvent::TYPES).await?
        {
            apply(&mut accounts, &event);
        }
        // Events after the head read above come from the subscription. Those the read
        // already applied are skipped by position: readers never see a gap, so every
        // account event before the last one read was read too.
        let from = head;
        accounts.position = accounts.position.max(head);
        let applied = accounts.position;
        let (moved, changes) = watch::channel(applied);
        let view = AccountView {
            accounts: Arc::new(RwLock::new(accounts)),
            changes,
            store: store.clone(),
        };
        let shared = view.accounts.clone();
        tokio::spawn(async move {
            let mut subscription = store.subscribe(from);
            loop {
                match subscription.next_batch(256).await {
                    Ok(batch) => {
                        let Ok(mut accounts) = shared.write() else {
                            return;
                        };
                        for event in &batch {
                            apply(&mut accounts, event);
                        }
                        let position = accounts.position;
                        drop(accounts);
                        if moved.send(position).is_err() {
                            return;
                        }
                    }
                    // The process closed the pool: it is done with this database.
                    Err(StoreError::Database(error))
                        if matches!(*error, sqlx::Error::PoolClosed) =>
                    {
                        return
                    }
                    Err(error) => {
                        // The subscription reads again from where it was on the next call.
                        tracing::warn!(%error, "cannot follow accounts; retrying");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            }
        });
        Ok(view)
    }

    /// What the bearer of a valid token for `login` may do now: the account's current
    /// grant, or why it may do nothing.
    pub fn actor(&self, login: &str) -> Result<Actor, Refused> {
        let accounts = self
            .accounts
            .read()
            .map_err(|_| Refused::Unknown(login.to_owned()))?;
        let state = accounts
            .states
            .get(login)
            .ok_or_else(|| Refused::Unknown(login.to_owned()))?;
        match (state.status, &state.grant) {
            (AccountStatus::Active, Some(grant)) => Ok(Actor {
                id: login.to_owned(),
                role: grant.role,
                communities: grant.communities.clone(),
            }),
            (AccountStatus::Suspended, _) => Err(Refused::Suspended(login.to_owned())),
            (AccountStatus::Closed, _) => Err(Refused::Closed(login.to_owned())),
            _ => Err(Refused::Unknown(login.to_owned())),
        }
    }

    /// [`actor`](Self::actor), except that an account the view does not know yet is looked
    /// for again once the view has caught up with the log's head (an account opened a moment
    /// ago by another process, say by `civic token issue`). Waits at most `timeout`.
    pub async fn current_actor(&self, login: &str, timeout: Duration) -> Result<Actor, Refused> {
        match self.actor(login) {
            Err(Refused::Unknown(_)) => {
                self.catch_up(timeout).await;
                self.actor(login)
            }
            known => known,
        }
    }

    /// Waits (at most `timeout`) until the view has applied the log up to its head as of now,
    /// so that a change another process just made is seen; whether it has.
    pub async fn catch_up(&self, timeout: Duration) -> bool {
        match civic_store::read_head(self.store.pool()).await {
            Ok((head, _)) => self.wait_for(head, timeout).await,
            Err(_) => false,
        }
    }

    /// The login's account state, if it exists.
    pub fn state(&self, login: &str) -> Option<AccountState> {
        self.accounts.read().ok()?.states.get(login).cloned()
    }

    /// The name `login`'s account shows, if there is such an account and it has opened.
    pub fn display_name(&self, login: &str) -> Option<String> {
        let accounts = self.accounts.read().ok()?;
        let name = accounts.states.get(login)?.display_name.as_ref()?;
        Some(name.as_str().to_owned())
    }

    /// Moves each time account events have been applied (to the last position applied).
    pub fn changes(&self) -> watch::Receiver<i64> {
        self.changes.clone()
    }

    /// Waits until the view has applied the log up to `position` (at most `timeout`).
    pub async fn wait_for(&self, position: i64, timeout: Duration) -> bool {
        let mut changes = self.changes();
        tokio::time::timeout(timeout, changes.wait_for(|p| *p >= position))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

fn apply(accounts: &mut Accounts, event: &RecordedEvent) {
    if event.position <= accounts.position {
        return;
    }
    accounts.position = event.position;
    let Some(login) = event.stream_id.strip_prefix("account-") else {
        return;
    };
    let decoded = match AccountEvent::decode_text(
        &event.event_type,
        event.schema_version,
        event.payload.text(),
    ) {
        Ok(decoded) => decoded,
        Err(error) => {
            // Fail closed: an account whose history cannot be read may not act.
            tracing::error!(%error, position = event.position, "unreadable account event");
            accounts.states.remove(login);
            return;
        }
    };
    let state = accounts.states.remove(login).unwrap_or_default();
    accounts
        .states
        .insert(login.to_owned(), Account::evolve(state, &decoded));
}
