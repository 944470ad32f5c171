//! Accounts as they stand, and who held which role over which community when.
//!
//! `access_grants` keeps one row per community of each grant, open until the grant is
//! replaced or the account is suspended or closed; a reinstatement opens the account's grant
//! again. "Who could act in Guangsha at T" is then the rows of Guangsha (or of the whole
//! street, community `''`) whose interval holds T.

use civic_domain::account::{AccountEvent, AccountStatus};
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use super::{enum_name, stream_of};
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `accounts` and `access_grants`.
#[derive(Debug)]
pub struct AccessProjector;

impl Projector for AccessProjector {
    fn name(&self) -> &'static str {
        "access"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["accounts", "access_grants"]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["account"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let Some(login) = stream_of(event, "account") else {
                return Ok(());
            };
            let status = |status: AccountStatus| enum_name(&status);
            match decode::<AccountEvent>(event)? {
                AccountEvent::AccountOpened {
                    display_name, kind, ..
                } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.accounts (login, display_name, kind, status, role, communities, position) \
                         VALUES ($1, $2, $3, $4, '', '{{}}', $5)"
                    ))
                    .bind(login)
                    .bind(display_name.as_str())
                    .bind(enum_name(&kind))
                    .bind(status(AccountStatus::Active))
                    .bind(event.position)
                    .execute(&mut *conn)
                    .await?;
                }
                AccountEvent::RoleGranted { role, communities } => {
                    let communities: Vec<String> =
                        communities.iter().map(|c| c.to_string()).collect();
                    sqlx::query(&format!(
                        "UPDATE {s}.accounts SET role = $2, communities = $3, position = $4 WHERE login = $1"
                    ))
                    .bind(login)
                    .bind(role.as_str())
                    .bind(&communities)
                    .bind(event.position)
                    .execute(&mut *conn)
                    .await?;
                    regrant(conn, s, login, event).await?;
                }
                AccountEvent::ScopeChanged { communities } => {
                    let communities: Vec<String> =
                        communities.iter().map(|c| c.to_string()).collect();
                    sqlx::query(&format!(
                        "UPDATE {s}.accounts SET communities = $2, position = $3 WHERE login = $1"
                    ))
                    .bind(login)
                    .bind(&communities)
                    .bind(event.position)
                    .execute(&mut *conn)
                    .await?;
                    regrant(conn, s, login, event).await?;
                }
                AccountEvent::AccountSuspended { .. } => {
                    set_status(conn, s, login, AccountStatus::Suspended, event).await?;
                    end_grants(conn, s, login, event).await?;
                }
                AccountEvent::AccountClosed {} => {
                    set_status(conn, s, login, AccountStatus::Closed, event).await?;
                    end_grants(conn, s, login, event).await?;
                }
                AccountEvent::AccountReinstated {} => {
                    set_status(conn, s, login, AccountStatus::Active, event).await?;
                    open_grants(conn, s, login, event).await?;
                }
                AccountEvent::PasswordSet { .. } => {}
            }
            Ok(())
        })
    }
}

async fn set_status(
    conn: &mut PgConnection,
    s: &str,
    login: &str,
    status: AccountStatus,
    event: &ProjectedEvent,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE {s}.accounts SET status = $2, position = $3 WHERE login = $1"
    ))
    .bind(login)
    .bind(enum_name(&status))
    .bind(event.position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the account's open grants at this event.
async fn end_grants(
    conn: &mut PgConnection,
    s: &str,
    login: &str,
    event: &ProjectedEvent,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE {s}.access_grants SET until_at = $2, until_position = $3 WHERE login = $1 AND until_position IS NULL"
    ))
    .bind(login)
    .bind(event.recorded_at)
    .bind(event.position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Opens the account's grant as it now stands, from this event on (nothing while it is
/// suspended: a reinstatement opens it).
async fn open_grants(
    conn: &mut PgConnection,
    s: &str,
    login: &str,
    event: &ProjectedEvent,
) -> Result<(), sqlx::Error> {
    let active = enum_name(&AccountStatus::Active);
    sqlx::query(&format!(
        "INSERT INTO {s}.access_grants (login, role, community_id, from_at, from_position) \
         SELECT login, role, c, $2, $3 FROM {s}.accounts, \
           unnest(CASE WHEN cardinality(communities) = 0 THEN ARRAY[''] ELSE communities END) AS c \
         WHERE login = $1 AND status = '{active}'"
    ))
    .bind(login)
    .bind(event.recorded_at)
    .bind(event.position)
    .execute(conn)
    .await?;
    Ok(())
}

async fn regrant(
    conn: &mut PgConnection,
    s: &str,
    login: &str,
    event: &ProjectedEvent,
) -> Result<(), sqlx::Error> {
    end_grants(conn, s, login, event).await?;
    open_grants(conn, s, login, event).await
}
