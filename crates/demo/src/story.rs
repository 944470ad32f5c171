//! The story, chapter by chapter.

use civic_domain::activity::{HoldActivity, Venue};
use civic_domain::charity::CharityCommand;
use civic_domain::community::{CommunityCommand, LeaderRole, Profile, WorkerKind};
use civic_domain::compound::CompoundCommand;
use civic_domain::heating::{HeatingCommand, Milestone};
use civic_domain::issue::{Channel, IssueCommand, Report};
use civic_domain::newsroom::{NewsroomCommand, ShareChannel};
use civic_domain::values::{
    ActivityId, CommunityId, CompoundId, DeliberationId, GridId, IssueId, ItemId, ProjectId,
    SaleId, VideoId,
};
use time::macros::datetime;

use crate::build::{count, date, fen, id, name, text};
use crate::Step;

/// A part of the story and who acts in it.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// What it tells.
    pub title: &'static str,
    /// Who gives its commands (recorded as the actor of its events).
    pub actor: &'static str,
    /// Its commands, in order.
    pub steps: Vec<Step>,
}

/// Ids used by the story, for tests and examples.
pub mod ids {
    /// 广厦社区.
    pub const GUANGSHA: &str = "guangsha";
    /// 和美社区.
    pub const HEMEI: &str = "hemei";
    /// 龙和华府.
    pub const LONGHE_HUAFU: &str = "longhe-huafu";
    /// 常庄小区.
    pub const CHANGZHUANG: &str = "changzhuang";
    /// The gate blind-spot issue.
    pub const GATE_ISSUE: &str = "longhe-huafu-gate";
    /// The heating project.
    pub const HEATING: &str = "changzhuang-heating-2023";
    /// The new property company of Longhe Huafu.
    pub const NEW_PROPERTY_COMPANY: &str = "龙和华府新选聘物业服务企业";
}

fn guangsha() -> CommunityId {
    id(CommunityId::parse, ids::GUANGSHA)
}
fn hemei() -> CommunityId {
    id(CommunityId::parse, ids::HEMEI)
}
fn longhe() -> CompoundId {
    id(CompoundId::parse, ids::LONGHE_HUAFU)
}
fn gate() -> IssueId {
    id(IssueId::parse, ids::GATE_ISSUE)
}
fn deliberation() -> DeliberationId {
    id(DeliberationId::parse, "longhe-huafu-property-2023")
}
fn sale() -> SaleId {
    id(SaleId::parse, "hemei-painting-hall-2023")
}

/// The whole story.
pub fn story() -> Vec<Chapter> {
    vec![
        communities(),
        longhe_huafu_property(),
        gate_blind_spot(),
        changzhuang_heating(),
        hemei_newsroom(),
        hemei_workshop(),
        hemei_charity_sale(),
    ]
}

fn communities() -> Chapter {
    use CommunityCommand as C;
    let steps = vec![
        C::Register {
            id: guangsha(),
            name: name("广厦社区"),
            street: name("杜甫路街道"),
            established_on: date(2023, 7, 1),
            area_m2: 640_000,
        },
        C::RecordProfile {
            id: guangsha(),
            profile: Profile {
                as_of: date(2023, 9, 30),
                households: count(2283),
                residents: count(7013),
                compounds: count(25),
                co_building_units: count(5),
                merchants: count(76),
            },
        },
        C::AppointLeader {
            id: guangsha(),
            role: LeaderRole::PartySecretary,
            name: name("张文博"),
            appointed_on: date(2023, 7, 1),
        },
        C::DefineGrid {
            id: guangsha(),
            grid: id(GridId::parse, "guangsha-1"),
            name: name("广厦社区第一网格"),
        },
        C::AssignGridWorker {
            id: guangsha(),
            grid: id(GridId::parse, "guangsha-1"),
            worker: name("第一网格网格员"),
            kind: WorkerKind::GridWorker,
        },
        C::AssignGridWorker {
            id: guangsha(),
            grid: id(GridId::parse, "guangsha-1"),
            worker: name("龙和华府微网格员"),
            kind: WorkerKind::MicroGridWorker,
        },
        C::Register {
            id: hemei(),
            name: name("和美社区"),
            street: name("杜甫路街道"),
            established_on: date(2019, 1, 1),
            area_m2: 1_000_000,
        },
        C::AppointLeader {
            id: hemei(),
            role: LeaderRole::PartySecretary,
            name: name("赵利艳"),
            appointed_on: date(2021, 1, 1),
        },
        C::AppointLeader {
            id: hemei(),
            role: LeaderRole::FirstSecretary,
            name: name("巴素娟"),
            appointed_on: date(2021, 1, 1),
        },
        C::DefineGrid {
            id: hemei(),
            grid: id(GridId::parse, "hemei-1"),
            name: name("和美社区第一网格"),
        },
        C::AssignGridWorker {
            id: hemei(),
            grid: id(GridId::parse, "hemei-1"),
            worker: name("和美社区网格员"),
            kind: WorkerKind::GridWorker,
        },
        C::AimForStar {
            id: hemei(),
            star: name("宜业兴业星"),
        },
    ];
    let mut steps: Vec<Step> = steps.into_iter().map(Step::Community).collect();
    for (compound, title) in [
        (ids::LONGHE_HUAFU, "龙和华府"),
        (ids::CHANGZHUANG, "常庄小区"),
    ] {
        steps.push(Step::Compound(CompoundCommand::Register {
            id: id(CompoundId::parse, compound),
            community: guangsha(),
            name: name(title),
        }));
    }
    Chapter {
        title: "杜甫路街道的两个社区",
        actor: "杜甫路街道",
        steps,
    }
}

fn longhe_huafu_property() -> Chapter {
    use CompoundCommand as C;
    let meeting = |day: u8, summary: &str| C::HoldMeeting {
        id: longhe(),
        deliberation: deliberation(),
        held_on: date(2023, 7, day),
        attendees: name("物业、居民代表、社区"),
        summary: text(summary),
    };
    let steps = vec![
        C::AppointPropertyManager {
            id: longhe(),
            company: name("龙和华府原物业服务企业"),
            appointed_on: date(2019, 6, 1),
        },
        C::OpenDeliberation {
            id: longhe(),
            deliberation: deliberation(),
            topic: name("龙和华府物业问题"),
            opened_on: date(2023, 7, 5),
        },
        meeting(
            8,
            "居民代表反映物业服务问题,社区本着“居民事居民议、居民事居民定”的原则组织商讨",
        ),
        meeting(18, "物业与居民代表再次商讨小区问题解决办法"),
        meeting(28, "双方就更换物业的方案交换意见"),
        C::RecordVote {
            id: longhe(),
            deliberation: deliberation(),
            in_favour: count(186),
            against: count(12),
            abstained: count(9),
            voted_on: date(2023, 8, 3),
        },
        C::ReplaceProperty {
            id: longhe(),
            deliberation: deliberation(),
            to: name(ids::NEW_PROPERTY_COMPANY),
            decided_on: date(2023, 8, 4),
        },
        C::ReceiveAppreciation {
            id: longhe(),
            item: name("锦旗"),
            words: text("情系百姓暖人心 排忧解难似亲人"),
            from: name("龙和华府业主代表"),
            received_on: date(2023, 8, 8),
        },
    ];
    Chapter {
        title: "“小物业”牵动“大民生”",
        actor: "张文博",
        steps: steps.into_iter().map(Step::Compound).collect(),
    }
}

fn gate_blind_spot() -> Chapter {
    use IssueCommand as C;
    let steps = vec![
        C::Report {
            id: gate(),
            report: Report {
                community: guangsha(),
                compound: Some(longhe()),
                grid: Some(id(GridId::parse, "guangsha-1")),
                category: name("安全隐患"),
                title: name("龙和华府小区大门口视线盲区"),
                description: text(
                    "网格员在走访中发现,龙和华府小区大门口存在视线盲区,居民出行存在安全隐患。",
                ),
                location: name("龙和华府小区大门口"),
                channel: Channel::Patrol,
                reporter: name("第一网格网格员"),
                reported_at: datetime!(2023-07-03 09:30 +8),
                contact: None,
            },
        },
        C::Assign {
            id: gate(),
            assignee: name("广厦社区"),
            due_by: date(2023, 7, 20),
        },
        C::SurveySite {
            id: gate(),
            surveyed_with: name("龙和华府物业"),
            findings: text("大门口出入车辆与行人视线受阻"),
            surveyed_on: date(2023, 7, 4),
        },
        C::ProposeSolution {
            id: gate(),
            solution: text("在视线盲区位置设置隔离墩"),
        },
        C::RecordConsent {
            id: gate(),
            summary: text("征得小区居民同意"),
        },
        C::Resolve {
            id: gate(),
            action: text("在视线盲区位置设置4个隔离墩,彻底消除了安全隐患"),
            items: Some(count(4)),
            resolved_at: datetime!(2023-07-15 17:00 +8),
        },
        C::RecordFeedback {
            id: gate(),
            satisfaction: 5,
            comment: text("得到了居民的点赞好评"),
        },
        C::Close { id: gate() },
    ];
    Chapter {
        title: "居民有需求 社区有服务",
        actor: "广厦社区",
        steps: steps.into_iter().map(Step::Issue).collect(),
    }
}

fn changzhuang_heating() -> Chapter {
    let project = || id(ProjectId::parse, ids::HEATING);
    let steps = vec![
        HeatingCommand::Plan {
            id: project(),
            community: guangsha(),
            compound: id(CompoundId::parse, ids::CHANGZHUANG),
            contractor: name("热力公司"),
            households: count(320),
            target_date: date(2023, 11, 15),
        },
        HeatingCommand::RecordProgress {
            id: project(),
            milestone: Milestone::MainPipesDrilled,
            households_done: count(320),
            completed: true,
            on: date(2023, 10, 10),
        },
    ];
    Chapter {
        title: "常庄小区暖气安装工程",
        actor: "张文博",
        steps: steps.into_iter().map(Step::Heating).collect(),
    }
}

/// The 17 videos: the 8 the story names, then the rest of the series.
fn videos() -> Vec<(&'static str, &'static str, (u8, u8), u32)> {
    vec![
        ("《网格员的一天》", "网格服务", (3, 20), 1260),
        ("《灯火里的中国》", "红色教育", (6, 28), 980),
        ("《事件上报流程》", "基层治理", (4, 12), 870),
        ("《优化营商环境之技能培训》", "营商环境", (5, 10), 640),
        ("《暴雨天气应急安全知识》", "安全常识", (7, 20), 720),
        ("《暴雨天应急指南》", "安全常识", (7, 28), 690),
        ("《防溺水宣传教育情景剧》", "未成年人保护", (6, 15), 830),
        ("《豫见最美读书人》", "文明实践", (8, 20), 1150),
        ("《和美社区微视频·垃圾分类》", "环境卫生", (4, 25), 410),
        ("《和美社区微视频·反诈宣传》", "平安建设", (5, 18), 460),
        ("《和美社区微视频·文明养犬》", "文明实践", (5, 30), 350),
        ("《和美社区微视频·消防安全》", "安全常识", (6, 5), 420),
        ("《和美社区微视频·敬老爱老》", "文明实践", (8, 5), 380),
        ("《和美社区微视频·志愿服务》", "志愿服务", (8, 28), 390),
        ("《和美社区微视频·清廉家风》", "清廉建设", (9, 5), 400),
        ("《和美社区微视频·扫黄打非》", "护苗行动", (9, 12), 360),
        ("《和美社区微视频·中秋邻里节》", "邻里互助", (9, 25), 310),
    ]
}

fn hemei_newsroom() -> Chapter {
    use NewsroomCommand as C;
    let all = [
        ShareChannel::GridGroup,
        ShareChannel::ResidentGroup,
        ShareChannel::MerchantGroup,
    ];
    let mut steps = vec![C::Found {
        community: hemei(),
        name: name("和美“编辑部”"),
        founded_on: date(2023, 3, 1),
    }];
    for (n, (title, topic, (m, d), plays)) in videos().into_iter().enumerate() {
        let video = id(VideoId::parse, &format!("hemei-{:02}", n + 1));
        steps.push(C::PublishVideo {
            community: hemei(),
            video: video.clone(),
            title: name(title),
            topic: name(topic),
            published_on: date(2023, m, d),
            channels: all.to_vec(),
        });
        // Plays are recorded twice, as the newsroom counts them: half in the first week.
        steps.push(C::RecordViews {
            community: hemei(),
            video: video.clone(),
            total_views: plays / 2,
            as_of: date(2023, 9, 1),
        });
        steps.push(C::RecordViews {
            community: hemei(),
            video,
            total_views: plays,
            as_of: date(2023, 10, 8),
        });
    }
    steps.push(C::RecommendVideo {
        community: hemei(),
        video: id(VideoId::parse, "hemei-08"),
        recommended_by: name("巩义市委宣传部"),
        contest: name("郑州市视频大赛"),
        recommended_on: date(2023, 9, 10),
    });
    Chapter {
        title: "和美“编辑部” 基层治理大写意",
        actor: "和美“编辑部”",
        steps: steps.into_iter().map(Step::Newsroom).collect(),
    }
}

fn hemei_workshop() -> Chapter {
    let steps = vec![
        HoldActivity {
            id: id(ActivityId::parse, "hemei-bean-mosaic"),
            community: hemei(),
            venue: Venue::Workshop,
            title: name("清廉五谷杂粮粘贴画"),
            theme: name("清廉"),
            held_on: date(2023, 9, 15),
            participants: count(20),
            volunteers: count(4),
            duration_minutes: 130,
            works_made: count(20),
            summary: text("绿豆粘贴成的“荷叶”、红豆粘贴成的“莲花”,寓意清正廉洁"),
        },
        HoldActivity {
            id: id(ActivityId::parse, "hemei-clay"),
            community: hemei(),
            venue: Venue::Workshop,
            title: name("与“泥”有约,护苗“童”行超轻黏土手工制作"),
            theme: name("扫黄打非·护苗"),
            held_on: date(2023, 9, 22),
            participants: count(18),
            volunteers: count(5),
            duration_minutes: 90,
            works_made: count(18),
            summary: text("孩子们把喜爱的卡通形象和“扫黄打非”“护苗”元素结合,捏出“扫黄打非”小卫士"),
        },
        HoldActivity {
            id: id(ActivityId::parse, "hemei-painting-on-site"),
            community: hemei(),
            venue: Venue::PaintingHall,
            title: name("书绘堂现场作画"),
            theme: name("宜业兴业"),
            held_on: date(2023, 9, 25),
            participants: count(12),
            volunteers: count(6),
            duration_minutes: 180,
            works_made: count(15),
            summary: text("树荫下志愿者专心致志地作画,团扇、T恤、帆布袋手绘作品"),
        },
    ];
    Chapter {
        title: "和美手工坊 演绎和美新篇章",
        actor: "赵利艳",
        steps: steps.into_iter().map(Step::Activity).collect(),
    }
}

fn hemei_charity_sale() -> Chapter {
    use CharityCommand as C;
    let item = |s: &str| id(ItemId::parse, s);
    let steps = vec![
        C::Open {
            id: sale(),
            community: hemei(),
            title: name("书绘堂作品义卖"),
            purposes: vec![
                name("展示部分义卖作品并开启预售"),
                name("构建爱心机制,提升“宜业兴业星”的工作效能"),
            ],
            opened_on: date(2023, 9, 25),
        },
        C::ListItem {
            id: sale(),
            item: item("peony-fan"),
            name: name("手绘牡丹团扇"),
            price: fen(3000),
        },
        C::ListItem {
            id: sale(),
            item: item("peony-tshirt"),
            name: name("手绘牡丹白T恤"),
            price: fen(5000),
        },
        C::ListItem {
            id: sale(),
            item: item("canvas-bag"),
            name: name("手绘白色帆布袋"),
            price: fen(2500),
        },
        C::ListItem {
            id: sale(),
            item: item("child-portrait"),
            name: name("小孩肖像画"),
            price: fen(8000),
        },
        C::PreSell {
            id: sale(),
            item: item("peony-tshirt"),
            on: date(2023, 9, 25),
        },
        C::Sell {
            id: sale(),
            item: item("peony-fan"),
            price: fen(3000),
            on: date(2023, 9, 25),
        },
        C::Sell {
            id: sale(),
            item: item("child-portrait"),
            price: fen(8000),
            on: date(2023, 9, 25),
        },
    ];
    Chapter {
        title: "和美书绘堂 绘出新画卷",
        actor: "巴素娟",
        steps: steps.into_iter().map(Step::Charity).collect(),
    }
}
