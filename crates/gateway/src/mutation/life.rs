//! Community life: newsroom, activities, charity sales.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use civic_domain::activity::{Activity, HoldActivity, Venue};
use civic_domain::charity::{Charity, CharityCommand};
use civic_domain::newsroom::{Newsroom, NewsroomCommand, ShareChannel};
use civic_domain::values::{ActivityId, CommunityId, ItemId, SaleId, VideoId};

use super::parse::{count, date, fen, id, name, text};
use super::result::{run, MutationResult};
use crate::error::{error, Code};

/// A chat group a video is shared to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ShareGroup {
    /// 网格群.
    Grid,
    /// 居民群.
    Resident,
    /// 商户群.
    Merchant,
}

/// Where an activity took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ActivityVenue {
    /// 手工坊.
    Workshop,
    /// 书绘堂.
    PaintingHall,
}

/// A published video.
#[derive(Debug, Clone, InputObject)]
pub struct PublishVideoInput {
    /// Idempotency key (UUID).
    pub command_id: Option<String>,
    /// Community.
    pub community_id: String,
    /// Video id.
    pub video_id: String,
    /// Title.
    pub title: String,
    /// Topic.
    pub topic: String,
    /// Published on (YYYY-MM-DD).
    pub published_on: String,
    /// Groups shared to.
    pub channels: Vec<ShareGroup>,
}

/// An activity held.
#[derive(Debug, Clone, InputObject)]
pub struct RecordActivityInput {
    /// Idempotency key (UUID).
    pub command_id: Option<String>,
    /// Activity id.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Venue.
    pub venue: ActivityVenue,
    /// Title.
    pub title: String,
    /// Theme, e.g. 清廉.
    pub theme: String,
    /// Held on (YYYY-MM-DD).
    pub held_on: String,
    /// Participants.
    pub participants: i64,
    /// Volunteers.
    pub volunteers: i64,
    /// Minutes.
    pub duration_minutes: i64,
    /// Works made.
    pub works_made: i64,
    /// What happened.
    pub summary: String,
}

fn community(value: &str) -> Result<CommunityId> {
    id(CommunityId::parse, value)
}
fn sale(value: &str) -> Result<SaleId> {
    id(SaleId::parse, value)
}
fn item(value: &str) -> Result<ItemId> {
    id(ItemId::parse, value)
}

/// Community-life mutations.
#[derive(Debug, Default)]
pub struct LifeMutation;

#[Object]
impl LifeMutation {
    /// Found a community's newsroom (编辑部).
    async fn found_newsroom(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        newsroom_name: String,
        founded_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = NewsroomCommand::Found {
            community: community(&community_id)?,
            name: name("newsroomName", &newsroom_name)?,
            founded_on: date("foundedOn", &founded_on)?,
        };
        run::<Newsroom>(ctx, command_id, command).await
    }

    /// Publish a video.
    async fn publish_video(
        &self,
        ctx: &Context<'_>,
        input: PublishVideoInput,
    ) -> Result<MutationResult> {
        let command = NewsroomCommand::PublishVideo {
            community: community(&input.community_id)?,
            video: id(VideoId::parse, &input.video_id)?,
            title: name("title", &input.title)?,
            topic: name("topic", &input.topic)?,
            published_on: date("publishedOn", &input.published_on)?,
            channels: input
                .channels
                .iter()
                .map(|c| match c {
                    ShareGroup::Grid => ShareChannel::GridGroup,
                    ShareGroup::Resident => ShareChannel::ResidentGroup,
                    ShareGroup::Merchant => ShareChannel::MerchantGroup,
                })
                .collect(),
        };
        run::<Newsroom>(ctx, input.command_id, command).await
    }

    /// Record a video's cumulative plays.
    async fn record_video_views(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        video_id: String,
        total_views: i64,
        as_of: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let total_views = u32::try_from(total_views)
            .map_err(|_| error(Code::Validation, "totalViews must be from 0 to 4294967295"))?;
        let command = NewsroomCommand::RecordViews {
            community: community(&community_id)?,
            video: id(VideoId::parse, &video_id)?,
            total_views,
            as_of: date("asOf", &as_of)?,
        };
        run::<Newsroom>(ctx, command_id, command).await
    }

    /// Record that a video was recommended to a contest.
    #[allow(clippy::too_many_arguments)]
    async fn recommend_video(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        video_id: String,
        recommended_by: String,
        contest: String,
        recommended_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = NewsroomCommand::RecommendVideo {
            community: community(&community_id)?,
            video: id(VideoId::parse, &video_id)?,
            recommended_by: name("recommendedBy", &recommended_by)?,
            contest: name("contest", &contest)?,
            recommended_on: date("recommendedOn", &recommended_on)?,
        };
        run::<Newsroom>(ctx, command_id, command).await
    }

    /// Record an activity of the workshop or painting hall.
    async fn record_activity(
        &self,
        ctx: &Context<'_>,
        input: RecordActivityInput,
    ) -> Result<MutationResult> {
        let command = HoldActivity {
            id: id(ActivityId::parse, &input.id)?,
            community: community(&input.community_id)?,
            venue: match input.venue {
                ActivityVenue::Workshop => Venue::Workshop,
                ActivityVenue::PaintingHall => Venue::PaintingHall,
            },
            title: name("title", &input.title)?,
            theme: name("theme", &input.theme)?,
            held_on: date("heldOn", &input.held_on)?,
            participants: count("participants", input.participants, 100_000)?,
            volunteers: count("volunteers", input.volunteers, 100_000)?,
            duration_minutes: u32::try_from(input.duration_minutes)
                .map_err(|_| error(Code::Validation, "durationMinutes must not be negative"))?,
            works_made: count("worksMade", input.works_made, 100_000)?,
            summary: text("summary", &input.summary)?,
        };
        run::<Activity>(ctx, input.command_id, command).await
    }

    /// Open a charity sale (义卖).
    #[allow(clippy::too_many_arguments)]
    async fn open_charity_sale(
        &self,
        ctx: &Context<'_>,
        sale_id: String,
        community_id: String,
        title: String,
        purpose: String,
        opened_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CharityCommand::Open {
            id: sale(&sale_id)?,
            community: community(&community_id)?,
            title: name("title", &title)?,
            purpose: name("purpose", &purpose)?,
            opened_on: date("openedOn", &opened_on)?,
        };
        run::<Charity>(ctx, command_id, command).await
    }

    /// List an item for sale, price in fen.
    async fn list_charity_item(
        &self,
        ctx: &Context<'_>,
        sale_id: String,
        item_id: String,
        item_name: String,
        price_fen: i64,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CharityCommand::ListItem {
            id: sale(&sale_id)?,
            item: item(&item_id)?,
            name: name("itemName", &item_name)?,
            price: fen("priceFen", price_fen)?,
        };
        run::<Charity>(ctx, command_id, command).await
    }

    /// Reserve an item before the sale (预售).
    async fn pre_sell_charity_item(
        &self,
        ctx: &Context<'_>,
        sale_id: String,
        item_id: String,
        on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Charity>(
            ctx,
            command_id,
            CharityCommand::PreSell {
                id: sale(&sale_id)?,
                item: item(&item_id)?,
                on: date("on", &on)?,
            },
        )
        .await
    }

    /// Sell an item, price paid in fen.
    async fn sell_charity_item(
        &self,
        ctx: &Context<'_>,
        sale_id: String,
        item_id: String,
        price_fen: i64,
        on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CharityCommand::Sell {
            id: sale(&sale_id)?,
            item: item(&item_id)?,
            price: fen("priceFen", price_fen)?,
            on: date("on", &on)?,
        };
        run::<Charity>(ctx, command_id, command).await
    }

    /// Withdraw an unsold item.
    async fn withdraw_charity_item(
        &self,
        ctx: &Context<'_>,
        sale_id: String,
        item_id: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Charity>(
            ctx,
            command_id,
            CharityCommand::Withdraw {
                id: sale(&sale_id)?,
                item: item(&item_id)?,
            },
        )
        .await
    }
}
