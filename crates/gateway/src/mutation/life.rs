//! Community life: newsroom, activities, charity sales.

use async_graphql::{Context, InputObject, Object, Result};
use civic_domain::activity::{Activity, HoldActivity};
use civic_domain::charity::{Charity, CharityCommand};
use civic_domain::newsroom::{Newsroom, NewsroomCommand};
use time::Date;
use uuid::Uuid;

use crate::enums::{ActivityVenue, ShareGroup};
use civic_domain::values::{ActivityId, CommunityId, ItemId, SaleId, VideoId};

use super::parse::{count, fen, id, name, text};
use super::result::{run, MutationResult};
use crate::error::{error, Code};

/// A published video.
#[derive(Debug, Clone, InputObject)]
pub struct PublishVideoInput {
    /// Idempotency key (UUID).
    pub command_id: Option<Uuid>,
    /// Community.
    pub community_id: String,
    /// Video id.
    pub video_id: String,
    /// Title.
    pub title: String,
    /// Topic.
    pub topic: String,
    /// Published on (YYYY-MM-DD).
    pub published_on: Date,
    /// Groups shared to.
    pub channels: Vec<ShareGroup>,
}

/// An activity held.
#[derive(Debug, Clone, InputObject)]
pub struct RecordActivityInput {
    /// Idempotency key (UUID).
    pub command_id: Option<Uuid>,
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
    pub held_on: Date,
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

/// The input of `foundNewsroom`: found a community's newsroom (编辑部).
#[derive(Debug, Clone, InputObject)]
pub struct FoundNewsroomInput {
    /// The community.
    pub community_id: String,
    /// Newsroom name.
    pub newsroom_name: String,
    /// Founded on.
    pub founded_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recordVideoViews`: record a video's cumulative plays.
#[derive(Debug, Clone, InputObject)]
pub struct RecordVideoViewsInput {
    /// The community.
    pub community_id: String,
    /// The video.
    pub video_id: String,
    /// Total views.
    pub total_views: i64,
    /// As of.
    pub as_of: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recommendVideo`: record that a video was recommended to a contest.
#[derive(Debug, Clone, InputObject)]
pub struct RecommendVideoInput {
    /// The community.
    pub community_id: String,
    /// The video.
    pub video_id: String,
    /// Recommended by.
    pub recommended_by: String,
    /// Contest.
    pub contest: String,
    /// Recommended on.
    pub recommended_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `openCharitySale`: open a charity sale (义卖).
#[derive(Debug, Clone, InputObject)]
pub struct OpenCharitySaleInput {
    /// The charity sale.
    pub sale_id: String,
    /// The community.
    pub community_id: String,
    /// Title.
    pub title: String,
    /// What the sale is for, one aim each (one to five).
    pub purposes: Vec<String>,
    /// Opened on.
    pub opened_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `listCharityItem`: list an item for sale, price in fen.
#[derive(Debug, Clone, InputObject)]
pub struct ListCharityItemInput {
    /// The charity sale.
    pub sale_id: String,
    /// The item.
    pub item_id: String,
    /// Item name.
    pub item_name: String,
    /// Price fen.
    pub price_fen: i64,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `preSellCharityItem`: reserve an item before the sale (预售).
#[derive(Debug, Clone, InputObject)]
pub struct PreSellCharityItemInput {
    /// The charity sale.
    pub sale_id: String,
    /// The item.
    pub item_id: String,
    /// On.
    pub on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `sellCharityItem`: sell an item, price paid in fen.
#[derive(Debug, Clone, InputObject)]
pub struct SellCharityItemInput {
    /// The charity sale.
    pub sale_id: String,
    /// The item.
    pub item_id: String,
    /// Price fen.
    pub price_fen: i64,
    /// On.
    pub on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `withdrawCharityItem`: withdraw an unsold item.
#[derive(Debug, Clone, InputObject)]
pub struct WithdrawCharityItemInput {
    /// The charity sale.
    pub sale_id: String,
    /// The item.
    pub item_id: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
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
        input: FoundNewsroomInput,
    ) -> Result<MutationResult> {
        let command = NewsroomCommand::Found {
            community: community(&input.community_id)?,
            name: name("newsroomName", &input.newsroom_name)?,
            founded_on: input.founded_on,
        };
        run::<Newsroom>(ctx, input.command_id, command).await
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
            published_on: input.published_on,
            channels: input.channels.iter().map(|&c| c.into()).collect(),
        };
        run::<Newsroom>(ctx, input.command_id, command).await
    }

    /// Record a video's cumulative plays.
    async fn record_video_views(
        &self,
        ctx: &Context<'_>,
        input: RecordVideoViewsInput,
    ) -> Result<MutationResult> {
        let total_views = u32::try_from(input.total_views)
            .map_err(|_| error(Code::Validation, "totalViews must be from 0 to 4294967295"))?;
        let command = NewsroomCommand::RecordViews {
            community: community(&input.community_id)?,
            video: id(VideoId::parse, &input.video_id)?,
            total_views,
            as_of: input.as_of,
        };
        run::<Newsroom>(ctx, input.command_id, command).await
    }

    /// Record that a video was recommended to a contest.
    async fn recommend_video(
        &self,
        ctx: &Context<'_>,
        input: RecommendVideoInput,
    ) -> Result<MutationResult> {
        let command = NewsroomCommand::RecommendVideo {
            community: community(&input.community_id)?,
            video: id(VideoId::parse, &input.video_id)?,
            recommended_by: name("recommendedBy", &input.recommended_by)?,
            contest: name("contest", &input.contest)?,
            recommended_on: input.recommended_on,
        };
        run::<Newsroom>(ctx, input.command_id, command).await
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
            venue: input.venue.into(),
            title: name("title", &input.title)?,
            theme: name("theme", &input.theme)?,
            held_on: input.held_on,
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
    async fn open_charity_sale(
        &self,
        ctx: &Context<'_>,
        input: OpenCharitySaleInput,
    ) -> Result<MutationResult> {
        let command = CharityCommand::Open {
            id: sale(&input.sale_id)?,
            community: community(&input.community_id)?,
            title: name("title", &input.title)?,
            purposes: input
                .purposes
                .iter()
                .map(|p| name("purposes", p))
                .collect::<Result<_>>()?,
            opened_on: input.opened_on,
        };
        run::<Charity>(ctx, input.command_id, command).await
    }

    /// List an item for sale, price in fen.
    async fn list_charity_item(
        &self,
        ctx: &Context<'_>,
        input: ListCharityItemInput,
    ) -> Result<MutationResult> {
        let command = CharityCommand::ListItem {
            id: sale(&input.sale_id)?,
            item: item(&input.item_id)?,
            name: name("itemName", &input.item_name)?,
            price: fen("priceFen", input.price_fen)?,
        };
        run::<Charity>(ctx, input.command_id, command).await
    }

    /// Reserve an item before the sale (预售).
    async fn pre_sell_charity_item(
        &self,
        ctx: &Context<'_>,
        input: PreSellCharityItemInput,
    ) -> Result<MutationResult> {
        run::<Charity>(
            ctx,
            input.command_id,
            CharityCommand::PreSell {
                id: sale(&input.sale_id)?,
                item: item(&input.item_id)?,
                on: input.on,
            },
        )
        .await
    }

    /// Sell an item, price paid in fen.
    async fn sell_charity_item(
        &self,
        ctx: &Context<'_>,
        input: SellCharityItemInput,
    ) -> Result<MutationResult> {
        let command = CharityCommand::Sell {
            id: sale(&input.sale_id)?,
            item: item(&input.item_id)?,
            price: fen("priceFen", input.price_fen)?,
            on: input.on,
        };
        run::<Charity>(ctx, input.command_id, command).await
    }

    /// Withdraw an unsold item.
    async fn withdraw_charity_item(
        &self,
        ctx: &Context<'_>,
        input: WithdrawCharityItemInput,
    ) -> Result<MutationResult> {
        run::<Charity>(
            ctx,
            input.command_id,
            CharityCommand::Withdraw {
                id: sale(&input.sale_id)?,
                item: item(&input.item_id)?,
            },
        )
        .await
    }
}
