//! A community newsroom (编辑部): videos, their plays over time, recommendations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec};
use crate::happened::Happened;
use crate::values::{CommunityId, Name, VideoId};

/// A chat group a video is shared to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareChannel {
    /// 网格群.
    GridGroup,
    /// 居民群.
    ResidentGroup,
    /// 商户群.
    MerchantGroup,
}

/// Commands on a newsroom (one per community; the stream id is the community id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum NewsroomCommand {
    /// Found the newsroom.
    Found {
        /// The community.
        community: CommunityId,
        /// Name, e.g. 和美“编辑部”.
        name: Name,
        /// When.
        founded_on: Date,
    },
    /// Publish a video.
    PublishVideo {
        /// The community.
        community: CommunityId,
        /// The video.
        video: VideoId,
        /// Title, e.g. 《网格员的一天》.
        title: Name,
        /// Topic, e.g. 安全常识.
        topic: Name,
        /// When.
        published_on: Date,
        /// Where it was shared.
        channels: Vec<ShareChannel>,
    },
    /// Record a video's cumulative plays.
    RecordViews {
        /// The community.
        community: CommunityId,
        /// The video.
        video: VideoId,
        /// Plays so far.
        total_views: u32,
        /// As of.
        as_of: Date,
    },
    /// Record that a video was recommended to a contest.
    RecommendVideo {
        /// The community.
        community: CommunityId,
        /// The video.
        video: VideoId,
        /// By whom, e.g. 巩义市委宣传部.
        recommended_by: Name,
        /// To which contest.
        contest: Name,
        /// When.
        recommended_on: Date,
    },
}

/// Events of a newsroom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum NewsroomEvent {
    /// Founded.
    NewsroomFounded {
        /// Community.
        community: CommunityId,
        /// Name.
        name: Name,
        /// When.
        founded_on: Date,
    },
    /// A video was published.
    VideoPublished {
        /// Video.
        video: VideoId,
        /// Title.
        title: Name,
        /// Topic.
        topic: Name,
        /// When.
        published_on: Date,
        /// Shared to.
        channels: Vec<ShareChannel>,
    },
    /// Cumulative plays of a video.
    VideoViewsRecorded {
        /// Video.
        video: VideoId,
        /// Plays so far.
        total_views: u32,
        /// As of.
        as_of: Date,
    },
    /// A video was recommended.
    VideoRecommended {
        /// Video.
        video: VideoId,
        /// By.
        recommended_by: Name,
        /// Contest.
        contest: Name,
        /// When.
        recommended_on: Date,
    },
}

impl EventCodec for NewsroomEvent {}

/// What a newsroom's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewsroomState {
    /// Community, once founded.
    pub community: Option<CommunityId>,
    /// When it was founded.
    pub founded_on: Option<Date>,
    /// Videos and their last recorded plays.
    pub videos: BTreeMap<VideoId, u32>,
}

/// The rules a newsroom command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewsroomError {
    /// Founding twice.
    #[error("the newsroom is already founded")]
    NewsroomAlreadyFounded,
    /// Acting before founding.
    #[error("the community has no newsroom yet")]
    NewsroomNotFounded,
    /// Publishing before the newsroom existed.
    #[error("a video cannot be published before the newsroom was founded")]
    PublishedBeforeFounding,
    /// Publishing a video id twice.
    #[error("video {0} is already published")]
    VideoAlreadyPublished(String),
    /// Acting on an unknown video.
    #[error("video {0} was never published")]
    VideoNotPublished(String),
    /// Plays going down.
    #[error("plays are cumulative: {after} is fewer than the {before} already recorded")]
    ViewsDecreased {
        /// Before.
        before: u32,
        /// Given.
        after: u32,
    },
    /// No channel given.
    #[error("a video must be shared to at least one group")]
    NoShareChannel,
}

/// The newsroom aggregate.
#[derive(Debug)]
pub struct Newsroom;

impl Aggregate for Newsroom {
    type State = NewsroomState;
    type Command = NewsroomCommand;
    type Event = NewsroomEvent;
    type Error = NewsroomError;
    const PREFIX: &'static str = "newsroom";

    fn target(command: &NewsroomCommand) -> &str {
        use NewsroomCommand::*;
        match command {
            Found { community, .. }
            | PublishVideo { community, .. }
            | RecordViews { community, .. }
            | RecommendVideo { community, .. } => community.as_str(),
        }
    }

    fn creates(command: &NewsroomCommand) -> bool {
        matches!(command, NewsroomCommand::Found { .. })
    }

    fn community(command: &NewsroomCommand, _state: &NewsroomState) -> Option<CommunityId> {
        CommunityId::parse(Self::target(command)).ok()
    }

    fn decide(
        command: &NewsroomCommand,
        state: &NewsroomState,
    ) -> Result<Vec<NewsroomEvent>, NewsroomError> {
        use NewsroomCommand as C;
        use NewsroomError as E;
        use NewsroomEvent as V;
        let video_views = |v: &VideoId| {
            state
                .videos
                .get(v)
                .copied()
                .ok_or_else(|| E::VideoNotPublished(v.to_string()))
        };
        match command {
            C::Found {
                community,
                name,
                founded_on,
            } => match state.community {
                Some(_) => Err(E::NewsroomAlreadyFounded),
                None => Ok(vec![V::NewsroomFounded {
                    community: community.clone(),
                    name: name.clone(),
                    founded_on: *founded_on,
                }]),
            },
            _ if state.community.is_none() => Err(E::NewsroomNotFounded),
            C::PublishVideo {
                video,
                title,
                topic,
                published_on,
                channels,
                ..
            } => {
                if state.videos.contains_key(video) {
                    return Err(E::VideoAlreadyPublished(video.to_string()));
                }
                if state.founded_on.is_some_and(|f| *published_on < f) {
                    return Err(E::PublishedBeforeFounding);
                }
                if channels.is_empty() {
                    return Err(E::NoShareChannel);
                }
                let mut channels = channels.clone();
                channels.sort();
                channels.dedup();
                Ok(vec![V::VideoPublished {
                    video: video.clone(),
                    title: title.clone(),
                    topic: topic.clone(),
                    published_on: *published_on,
                    channels,
                }])
            }
            C::RecordViews {
                video,
                total_views,
                as_of,
                ..
            } => {
                let before = video_views(video)?;
                if *total_views < before {
                    return Err(E::ViewsDecreased {
                        before,
                        after: *total_views,
                    });
                }
                Ok(vec![V::VideoViewsRecorded {
                    video: video.clone(),
                    total_views: *total_views,
                    as_of: *as_of,
                }])
            }
            C::RecommendVideo {
                video,
                recommended_by,
                contest,
                recommended_on,
                ..
            } => {
                video_views(video)?;
                Ok(vec![V::VideoRecommended {
                    video: video.clone(),
                    recommended_by: recommended_by.clone(),
                    contest: contest.clone(),
                    recommended_on: *recommended_on,
                }])
            }
        }
    }

    fn happened(event: &NewsroomEvent) -> Option<Happened> {
        use NewsroomEvent as E;
        Some(Happened::On(match event {
            E::NewsroomFounded { founded_on, .. } => *founded_on,
            E::VideoPublished { published_on, .. } => *published_on,
            E::VideoViewsRecorded { as_of, .. } => *as_of,
            E::VideoRecommended { recommended_on, .. } => *recommended_on,
        }))
    }

    fn evolve(mut state: NewsroomState, event: &NewsroomEvent) -> NewsroomState {
        match event {
            NewsroomEvent::NewsroomFounded {
                community,
                founded_on,
                ..
            } => {
                state.community = Some(community.clone());
                state.founded_on = Some(*founded_on);
            }
            NewsroomEvent::VideoPublished { video, .. } => {
                state.videos.insert(video.clone(), 0);
            }
            NewsroomEvent::VideoViewsRecorded {
                video, total_views, ..
            } => {
                state.videos.insert(video.clone(), *total_views);
            }
            NewsroomEvent::VideoRecommended { .. } => {}
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::date;

    fn hemei() -> CommunityId {
        CommunityId::parse("hemei").unwrap()
    }
    fn name(s: &str) -> Name {
        Name::parse("name", s).unwrap()
    }
    fn video() -> VideoId {
        VideoId::parse("v01").unwrap()
    }
    fn found() -> NewsroomCommand {
        NewsroomCommand::Found {
            community: hemei(),
            name: name("和美“编辑部”"),
            founded_on: date!(2023 - 03 - 01),
        }
    }
    fn publish(on: Date) -> NewsroomCommand {
        NewsroomCommand::PublishVideo {
            community: hemei(),
            video: video(),
            title: name("《网格员的一天》"),
            topic: name("网格服务"),
            published_on: on,
            channels: vec![ShareChannel::GridGroup, ShareChannel::ResidentGroup],
        }
    }
    fn views(n: u32) -> NewsroomCommand {
        NewsroomCommand::RecordViews {
            community: hemei(),
            video: video(),
            total_views: n,
            as_of: date!(2023 - 06 - 01),
        }
    }

    #[test]
    fn plays_going_down_are_rejected() {
        given::<Newsroom>([found(), publish(date!(2023 - 04 - 01)), views(800)])
            .when(views(700))
            .then_rejected(NewsroomError::ViewsDecreased {
                before: 800,
                after: 700,
            });
    }

    #[test]
    fn publishing_the_same_video_twice_is_rejected() {
        given::<Newsroom>([found(), publish(date!(2023 - 04 - 01))])
            .when(publish(date!(2023 - 04 - 01)))
            .then_rejected(NewsroomError::VideoAlreadyPublished("v01".into()));
    }

    #[test]
    fn publishing_before_founding_is_rejected() {
        given::<Newsroom>([found()])
            .when(publish(date!(2023 - 02 - 01)))
            .then_rejected(NewsroomError::PublishedBeforeFounding);
    }

    #[test]
    fn plays_of_an_unpublished_video_are_rejected() {
        given::<Newsroom>([found()])
            .when(views(1))
            .then_rejected(NewsroomError::VideoNotPublished("v01".into()));
    }

    #[test]
    fn a_newsroom_cannot_be_founded_twice() {
        given::<Newsroom>([found()])
            .when(NewsroomCommand::Found {
                community: hemei(),
                name: name("编辑部"),
                founded_on: date!(2023 - 03 - 01),
            })
            .then_rejected(NewsroomError::NewsroomAlreadyFounded);
    }

    #[test]
    fn a_video_shared_nowhere_is_rejected() {
        let mut shared_nowhere = publish(date!(2023 - 04 - 01));
        if let NewsroomCommand::PublishVideo { channels, .. } = &mut shared_nowhere {
            channels.clear();
        }
        given::<Newsroom>([found()])
            .when(shared_nowhere)
            .then_rejected(NewsroomError::NoShareChannel);
    }
}
