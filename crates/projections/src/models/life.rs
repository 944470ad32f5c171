//! Community life: the newsroom's videos and plays, activities, charity sales.

use civic_domain::activity::ActivityEvent;
use civic_domain::charity::CharityEvent;
use civic_domain::newsroom::NewsroomEvent;
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use super::{enum_name, stream_of};
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `newsrooms`, `videos`, `video_views`, `activities`, `charity_sales` and
/// `charity_items`.
#[derive(Debug)]
pub struct LifeProjector;

impl Projector for LifeProjector {
    fn name(&self) -> &'static str {
        "life"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &[
            "newsrooms",
            "videos",
            "video_views",
            "activities",
            "charity_sales",
            "charity_items",
        ]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["newsroom", "activity", "charity"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            if let Some(community) = stream_of(event, "newsroom") {
                newsroom(conn, s, community, event).await
            } else if stream_of(event, "activity").is_some() {
                activity(conn, s, event).await
            } else if let Some(sale) = stream_of(event, "charity") {
                charity(conn, s, sale, event).await
            } else {
                Ok(())
            }
        })
    }
}

async fn newsroom(
    conn: &mut PgConnection,
    s: &str,
    community: &str,
    event: &ProjectedEvent,
) -> Result<(), ProjectionError> {
    match decode::<NewsroomEvent>(event)? {
        NewsroomEvent::NewsroomFounded {
            name, founded_on, ..
        } => {
            sqlx::query(&format!(
                "INSERT INTO {s}.newsrooms (community_id, name, founded_on) VALUES ($1, $2, $3)"
            ))
            .bind(community)
            .bind(name.as_str())
            .bind(founded_on)
            .execute(conn)
            .await?;
        }
        NewsroomEvent::VideoPublished {
            video,
            title,
            topic,
            published_on,
            channels,
        } => {
            sqlx::query(&format!(
                "INSERT INTO {s}.videos (video_id, community_id, title, topic, published_on, channels) VALUES ($1, $2, $3, $4, $5, $6)"
            ))
            .bind(video.as_str())
            .bind(community)
            .bind(title.as_str())
            .bind(topic.as_str())
            .bind(published_on)
            .bind(serde_json::to_value(&channels).unwrap_or_default())
            .execute(conn)
            .await?;
        }
        NewsroomEvent::VideoViewsRecorded {
            video,
            total_views,
            as_of,
        } => {
            let views = i32::try_from(total_views).unwrap_or(i32::MAX);
            sqlx::query(&format!(
                "UPDATE {s}.videos SET views = $2 WHERE video_id = $1"
            ))
            .bind(video.as_str())
            .bind(views)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "INSERT INTO {s}.video_views (video_id, as_of, total_views) VALUES ($1, $2, $3) \
                 ON CONFLICT (video_id, as_of) DO UPDATE SET total_views = EXCLUDED.total_views"
            ))
            .bind(video.as_str())
            .bind(as_of)
            .bind(views)
            .execute(conn)
            .await?;
        }
        NewsroomEvent::VideoRecommended {
            video,
            recommended_by,
            contest,
            ..
        } => {
            sqlx::query(&format!(
                "UPDATE {s}.videos SET recommended_by = $2, contest = $3 WHERE video_id = $1"
            ))
            .bind(video.as_str())
            .bind(recommended_by.as_str())
            .bind(contest.as_str())
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

async fn activity(
    conn: &mut PgConnection,
    s: &str,
    event: &ProjectedEvent,
) -> Result<(), ProjectionError> {
    let ActivityEvent::ActivityHeld {
        id,
        community,
        venue,
        title,
        theme,
        held_on,
        participants,
        volunteers,
        duration_minutes,
        works_made,
        summary,
    } = decode::<ActivityEvent>(event)?;
    sqlx::query(&format!(
        "INSERT INTO {s}.activities (activity_id, community_id, venue, title, theme, held_on, participants, volunteers, \
         duration_minutes, works_made, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(id.as_str())
    .bind(community.as_str())
    .bind(enum_name(&venue))
    .bind(title.as_str())
    .bind(theme.as_str())
    .bind(held_on)
    .bind(participants.get() as i32)
    .bind(volunteers.get() as i32)
    .bind(i32::try_from(duration_minutes).unwrap_or(i32::MAX))
    .bind(works_made.get() as i32)
    .bind(summary.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

async fn charity(
    conn: &mut PgConnection,
    s: &str,
    sale: &str,
    event: &ProjectedEvent,
) -> Result<(), ProjectionError> {
    let set_status = |status: &'static str| {
        format!(
            "UPDATE {s}.charity_items SET status = '{status}' WHERE sale_id = $1 AND item_id = $2"
        )
    };
    match decode::<CharityEvent>(event)? {
        CharityEvent::CharitySaleOpened {
            community, title, ..
        } => {
            // Already there when the table was filled from the items of an older build.
            sqlx::query(&format!(
                "INSERT INTO {s}.charity_sales (sale_id, community_id, title) VALUES ($1, $2, $3) \
                 ON CONFLICT (sale_id) DO NOTHING"
            ))
            .bind(sale)
            .bind(community.as_str())
            .bind(title.as_str())
            .execute(conn)
            .await?;
        }
        // Each item carries its sale's community and title, from the sale's own row.
        CharityEvent::CharityItemListed { item, name, price } => {
            let listed = sqlx::query(&format!(
                "INSERT INTO {s}.charity_items (sale_id, item_id, community_id, sale_title, name, price_fen, status) \
                 SELECT $1, $2, community_id, title, $3, $4, 'listed' FROM {s}.charity_sales WHERE sale_id = $1"
            ))
            .bind(sale)
            .bind(item.as_str())
            .bind(name.as_str())
            .bind(price.get())
            .execute(conn)
            .await?;
            if listed.rows_affected() != 1 {
                return Err(ProjectionError::Handler {
                    projector: "life".into(),
                    position: event.position,
                    message: format!(
                        "item {} listed in sale {sale}, which was never opened",
                        item.as_str()
                    ),
                });
            }
        }
        CharityEvent::CharityItemPreSold { item, .. } => {
            sqlx::query(&set_status("pre_sold"))
                .bind(sale)
                .bind(item.as_str())
                .execute(conn)
                .await?;
        }
        CharityEvent::CharityItemSold { item, price, .. } => {
            sqlx::query(&format!("UPDATE {s}.charity_items SET status = 'sold', sold_fen = $3 WHERE sale_id = $1 AND item_id = $2"))
                .bind(sale)
                .bind(item.as_str())
                .bind(price.get())
                .execute(conn)
                .await?;
        }
        CharityEvent::CharityItemWithdrawn { item } => {
            sqlx::query(&set_status("withdrawn"))
                .bind(sale)
                .bind(item.as_str())
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}
