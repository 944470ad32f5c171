//! A realistic mix of domain events for benchmarks: the deciders produce them (so they are
//! valid and decode), the store appends them stream by stream.

use civic_domain::community::{Community, CommunityCommand, Profile, WorkerKind};
use civic_domain::compound::{Compound, CompoundCommand};
use civic_domain::heating::{Heating, HeatingCommand, Milestone};
use civic_domain::issue::{Channel, Issue, IssueCommand, Report};
use civic_domain::newsroom::{Newsroom, NewsroomCommand, ShareChannel};
use civic_domain::values::{
    CommunityId, CompoundId, Count, DeliberationId, GridId, IssueId, LongText, Name, ProjectId,
    VideoId,
};
use civic_domain::{Aggregate, EventCodec};
use civic_store::{EventStore, ExpectedVersion, Metadata, NewEvent};
use time::macros::{date, datetime};
use uuid::Uuid;

fn name(s: &str) -> Name {
    Name::parse("name", s).unwrap_or_else(|e| panic!("bench value {s:?}: {e}"))
}
fn text(s: &str) -> LongText {
    LongText::parse("text", s).unwrap_or_else(|e| panic!("bench value {s:?}: {e}"))
}
fn count(n: u32) -> Count {
    Count::parse("count", n.into(), u32::MAX).unwrap_or_else(|e| panic!("bench count {n}: {e}"))
}
fn id<T>(parse: fn(&str) -> Result<T, civic_domain::values::ValueError>, s: &str) -> T {
    parse(s).unwrap_or_else(|e| panic!("bench id {s:?}: {e}"))
}

/// The events a sequence of commands produces on one fresh stream.
fn decide_all<A: Aggregate>(commands: Vec<A::Command>) -> Vec<NewEvent> {
    let mut state = A::State::default();
    let mut out = Vec::new();
    for command in commands {
        let events =
            A::decide(&command, &state).unwrap_or_else(|e| panic!("bench command refused: {e}"));
        for event in &events {
            let (event_type, payload) = event.encode();
            out.push(NewEvent {
                event_type,
                schema_version: event.schema_version(),
                payload,
            });
        }
        state = A::fold_from(state, &events);
    }
    out
}

/// Streams for `communities` communities and about `target` events in all.
pub fn streams(communities: usize, target: usize) -> Vec<(String, Vec<NewEvent>)> {
    let mut out = Vec::new();
    for c in 0..communities {
        let cid = id(CommunityId::parse, &format!("c{c:03}"));
        out.push((
            Community::stream_id(cid.as_str()),
            decide_all::<Community>(community(&cid)),
        ));
        for k in 0..5 {
            let compound = id(CompoundId::parse, &format!("c{c:03}-k{k}"));
            out.push((
                Compound::stream_id(compound.as_str()),
                decide_all::<Compound>(property(&cid, &compound)),
            ));
        }
        let project = id(ProjectId::parse, &format!("c{c:03}-heat"));
        out.push((
            Heating::stream_id(project.as_str()),
            decide_all::<Heating>(heating(&cid, &project)),
        ));
        out.push((
            Newsroom::stream_id(cid.as_str()),
            decide_all::<Newsroom>(newsroom(&cid)),
        ));
    }
    let mut total: usize = out.iter().map(|(_, e)| e.len()).sum();
    let mut n = 0;
    while total < target {
        let cid = id(
            CommunityId::parse,
            &format!("c{:03}", n % communities.max(1)),
        );
        let issue = id(IssueId::parse, &format!("i{n:07}"));
        let events = decide_all::<Issue>(issue_story(&cid, &issue, n));
        total += events.len();
        out.push((Issue::stream_id(issue.as_str()), events));
        n += 1;
    }
    out
}

pub fn community(id_: &CommunityId) -> Vec<CommunityCommand> {
    use CommunityCommand as C;
    let grid = |g: &str| id(GridId::parse, g);
    vec![
        C::Register {
            id: id_.clone(),
            name: name("测试社区"),
            street: name("杜甫路街道"),
            established_on: date!(2020 - 01 - 01),
            area_m2: 800_000,
        },
        C::RecordProfile {
            id: id_.clone(),
            profile: Profile {
                as_of: date!(2023 - 09 - 30),
                households: count(2000),
                residents: count(6000),
                compounds: count(20),
                co_building_units: count(4),
                merchants: count(60),
            },
        },
        C::DefineGrid {
            id: id_.clone(),
            grid: grid("g1"),
            name: name("第一网格"),
        },
        C::AssignGridWorker {
            id: id_.clone(),
            grid: grid("g1"),
            worker: name("网格员"),
            kind: WorkerKind::GridWorker,
        },
        C::DefineGrid {
            id: id_.clone(),
            grid: grid("g2"),
            name: name("第二网格"),
        },
        C::AssignGridWorker {
            id: id_.clone(),
            grid: grid("g2"),
            worker: name("微网格员"),
            kind: WorkerKind::MicroGridWorker,
        },
    ]
}

fn property(cid: &CommunityId, compound: &CompoundId) -> Vec<CompoundCommand> {
    use CompoundCommand as C;
    let d = || id(DeliberationId::parse, "d1");
    vec![
        C::Register {
            id: compound.clone(),
            community: cid.clone(),
            name: name("某小区"),
        },
        C::AppointPropertyManager {
            id: compound.clone(),
            company: name("原物业"),
            appointed_on: date!(2019 - 01 - 01),
        },
        C::OpenDeliberation {
            id: compound.clone(),
            deliberation: d(),
            topic: name("物业问题"),
            opened_on: date!(2023 - 07 - 01),
        },
        C::HoldMeeting {
            id: compound.clone(),
            deliberation: d(),
            held_on: date!(2023 - 07 - 10),
            attendees: name("物业、居民代表"),
            summary: text("商讨"),
        },
        C::RecordVote {
            id: compound.clone(),
            deliberation: d(),
            in_favour: count(100),
            against: count(5),
            abstained: count(5),
            voted_on: date!(2023 - 08 - 01),
        },
        C::ReplaceProperty {
            id: compound.clone(),
            deliberation: d(),
            to: name("新物业"),
            decided_on: date!(2023 - 08 - 02),
        },
        C::ReceiveAppreciation {
            id: compound.clone(),
            item: name("锦旗"),
            words: text("排忧解难似亲人"),
            from: name("业主代表"),
            received_on: date!(2023 - 08 - 08),
        },
    ]
}

fn heating(cid: &CommunityId, project: &ProjectId) -> Vec<HeatingCommand> {
    let mut commands = vec![HeatingCommand::Plan {
        id: project.clone(),
        community: cid.clone(),
        compound: id(CompoundId::parse, &format!("{cid}-k0")),
        contractor: name("热力公司"),
        households: count(300),
        target_date: date!(2023 - 11 - 15),
    }];
    for m in Milestone::ALL {
        commands.push(HeatingCommand::RecordProgress {
            id: project.clone(),
            milestone: m,
            households_done: count(150),
            completed: false,
            on: date!(2023 - 10 - 01),
        });
        commands.push(HeatingCommand::RecordProgress {
            id: project.clone(),
            milestone: m,
            households_done: count(300),
            completed: true,
            on: date!(2023 - 10 - 20),
        });
    }
    commands
}

fn newsroom(cid: &CommunityId) -> Vec<NewsroomCommand> {
    use NewsroomCommand as C;
    let mut commands = vec![C::Found {
        community: cid.clone(),
        name: name("编辑部"),
        founded_on: date!(2023 - 03 - 01),
    }];
    for v in 0..10 {
        let video = id(VideoId::parse, &format!("{cid}-v{v}"));
        commands.push(C::PublishVideo {
            community: cid.clone(),
            video: video.clone(),
            title: name("《网格员的一天》"),
            topic: name("网格服务"),
            published_on: date!(2023 - 04 - 01),
            channels: vec![ShareChannel::GridGroup, ShareChannel::ResidentGroup],
        });
        for (i, views) in [100u32, 300, 600].into_iter().enumerate() {
            let day = time::Date::from_ordinal_date(2023, 100 + i as u16)
                .unwrap_or(date!(2023 - 05 - 01));
            commands.push(C::RecordViews {
                community: cid.clone(),
                video: video.clone(),
                total_views: views,
                as_of: day,
            });
        }
    }
    commands
}

pub fn issue_story(cid: &CommunityId, issue: &IssueId, n: usize) -> Vec<IssueCommand> {
    use IssueCommand as C;
    let report = Report {
        community: cid.clone(),
        compound: Some(id(CompoundId::parse, &format!("{cid}-k{}", n % 5))),
        grid: Some(id(
            GridId::parse,
            if n.is_multiple_of(2) { "g1" } else { "g2" },
        )),
        category: name(["安全隐患", "环境卫生", "市容环境", "供暖"][n % 4]),
        title: name("小区大门口存在视线盲区"),
        description: text("网格员在走访中发现,小区大门口存在视线盲区,居民出行存在安全隐患。"),
        location: name("小区大门口"),
        channel: Channel::Patrol,
        reporter: name("网格员"),
        reported_at: datetime!(2023-07-03 09:30 +8),
        contact: None,
    };
    let mut commands = vec![
        C::Report {
            id: issue.clone(),
            report,
        },
        C::Assign {
            id: issue.clone(),
            assignee: name("社区"),
            due_by: date!(2023 - 07 - 20),
        },
    ];
    // Three in four issues are carried to the end; the rest stay open.
    if n % 4 != 3 {
        commands.extend([
            C::SurveySite {
                id: issue.clone(),
                surveyed_with: name("物业"),
                findings: text("视线受阻"),
                surveyed_on: date!(2023 - 07 - 04),
            },
            C::ProposeSolution {
                id: issue.clone(),
                solution: text("设置隔离墩"),
            },
            C::RecordConsent {
                id: issue.clone(),
                summary: text("居民同意"),
            },
            C::Resolve {
                id: issue.clone(),
                action: text("设置4个隔离墩"),
                items: Some(count(4)),
                resolved_at: datetime!(2023-07-15 17:00 +8),
            },
            C::RecordFeedback {
                id: issue.clone(),
                satisfaction: 5,
                comment: text("点赞"),
            },
            C::Close { id: issue.clone() },
        ]);
    }
    commands
}

/// A new issue's stream: its id and its `IssueReported` event, as the decider makes it.
pub fn reported_issue(n: u64) -> (String, Vec<NewEvent>) {
    let cid = id(CommunityId::parse, "c000");
    let issue = id(IssueId::parse, &format!("live{n}"));
    let report = issue_story(&cid, &issue, n as usize).swap_remove(0);
    (
        Issue::stream_id(issue.as_str()),
        decide_all::<Issue>(vec![report]),
    )
}

/// Appends every stream with `concurrency` writers; calls `progress(events so far)`.
pub async fn load(
    store: &EventStore,
    streams: Vec<(String, Vec<NewEvent>)>,
    concurrency: usize,
    progress: impl Fn(u64) + Send + Sync + 'static,
) -> anyhow::Result<u64> {
    let progress = std::sync::Arc::new(progress);
    let queue = std::sync::Arc::new(std::sync::Mutex::new(streams));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (store, queue, done, progress) =
            (store.clone(), queue.clone(), done.clone(), progress.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some((stream, events)) = next else {
                    return anyhow::Ok(());
                };
                let n = events.len() as u64;
                append_new(&store, &stream, events).await?;
                let total = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
                progress(total);
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(done.load(std::sync::atomic::Ordering::Relaxed))
}

/// Appends `communities` communities and `issues` issues, each issue carried through its
/// story, `concurrency` appends at a time; calls `progress(issues so far)`.
///
/// Each stream's events are decided by its aggregate's decider, exactly as the command
/// handlers decide them, and the whole story is appended at once: a million issues load in
/// minutes instead of hours, and the read models see the same events. Streams are made as
/// they are appended, so memory does not grow with `issues`.
pub async fn load_issues(
    store: &EventStore,
    communities: usize,
    issues: usize,
    concurrency: usize,
    progress: impl Fn(u64) + Send + Sync + 'static,
) -> anyhow::Result<()> {
    for c in 0..communities {
        let cid = id(CommunityId::parse, &format!("c{c:03}"));
        let events = decide_all::<Community>(community(&cid));
        append_new(store, &Community::stream_id(cid.as_str()), events).await?;
    }
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let progress = std::sync::Arc::new(progress);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (store, next, progress) = (store.clone(), next.clone(), progress.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= issues {
                    return anyhow::Ok(());
                }
                let cid = id(
                    CommunityId::parse,
                    &format!("c{:03}", n % communities.max(1)),
                );
                let issue = id(IssueId::parse, &format!("i{n:07}"));
                let events = decide_all::<Issue>(issue_story(&cid, &issue, n));
                append_new(&store, &Issue::stream_id(issue.as_str()), events).await?;
                progress(n as u64 + 1);
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// Appends a new stream's events as one command of the street admin.
async fn append_new(store: &EventStore, stream: &str, events: Vec<NewEvent>) -> anyhow::Result<()> {
    store
        .append(
            stream,
            ExpectedVersion::NoStream,
            events,
            metadata("street_admin"),
        )
        .await?;
    Ok(())
}

/// The metadata of one benchmark command by the actor `bench` in `role`: a fresh
/// correlation and command id, no fingerprint.
pub fn metadata(role: &str) -> Metadata {
    Metadata {
        actor_id: "bench".into(),
        actor_role: role.into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        command_id: Some(Uuid::now_v7()),
        command_fingerprint: None,
    }
}
