//! A community (社区): registration, profile, leaders, grids, five-star creation.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec, UpcastError};
use crate::happened::Happened;
use crate::values::{CommunityId, Count, GridId, Name};

/// Largest plausible figures for one community's profile.
pub mod limits {
    /// Households.
    pub const HOUSEHOLDS: u32 = 200_000;
    /// Residents.
    pub const RESIDENTS: u32 = 1_000_000;
    /// Compounds.
    pub const COMPOUNDS: u32 = 2_000;
    /// Co-building units.
    pub const UNITS: u32 = 10_000;
    /// Merchants.
    pub const MERCHANTS: u32 = 100_000;
    /// Area in square metres (100 km²).
    pub const AREA_M2: i64 = 100_000_000;
}

/// A leadership role in a community's party organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaderRole {
    /// 书记 (party secretary; 党总支书记 for a general branch).
    PartySecretary,
    /// 第一书记.
    FirstSecretary,
}

/// The kind of worker on a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerKind {
    /// 网格员.
    GridWorker,
    /// 微网格员.
    MicroGridWorker,
}

/// The figures of a community's profile as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The date the figures describe.
    pub as_of: Date,
    /// 户.
    pub households: Count,
    /// 常住居民.
    pub residents: Count,
    /// 小区.
    pub compounds: Count,
    /// 共驻共建单位.
    pub co_building_units: Count,
    /// 商户.
    pub merchants: Count,
}

/// Commands of a community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CommunityCommand {
    /// Register a new community of the street.
    Register {
        /// Its id.
        id: CommunityId,
        /// 社区 name, e.g. 广厦社区.
        name: Name,
        /// 街道, e.g. 杜甫路街道.
        street: Name,
        /// When it was established.
        established_on: Date,
        /// Area in square metres (0.64 km² = 640,000 m²).
        area_m2: i64,
    },
    /// Record the profile figures as of a date.
    RecordProfile {
        /// The community.
        id: CommunityId,
        /// The figures.
        profile: Profile,
    },
    /// Appoint a leader.
    AppointLeader {
        /// The community.
        id: CommunityId,
        /// Which role.
        role: LeaderRole,
        /// Who.
        name: Name,
        /// Since when.
        appointed_on: Date,
    },
    /// Define a grid of the community.
    DefineGrid {
        /// The community.
        id: CommunityId,
        /// The grid.
        grid: GridId,
        /// Its name.
        name: Name,
    },
    /// Assign a worker to a grid.
    AssignGridWorker {
        /// The community.
        id: CommunityId,
        /// The grid.
        grid: GridId,
        /// The worker's name.
        worker: Name,
        /// Grid worker or micro-grid worker.
        kind: WorkerKind,
    },
    /// Aim for a star of the five-star branch creation (五星支部创建).
    AimForStar {
        /// The community.
        id: CommunityId,
        /// The star, e.g. 宜业兴业星.
        star: Name,
    },
    /// Award a star.
    AwardStar {
        /// The community.
        id: CommunityId,
        /// The star.
        star: Name,
        /// When.
        awarded_on: Date,
    },
}

/// Events of a community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CommunityEvent {
    /// A community was registered (schema v2: area in m²; v1 had `area_km2` as text).
    CommunityRegistered {
        /// Its id.
        id: CommunityId,
        /// Name.
        name: Name,
        /// Street.
        street: Name,
        /// Established on.
        established_on: Date,
        /// Area in m².
        area_m2: i64,
    },
    /// Profile figures as of a date.
    CommunityProfileRecorded {
        /// The figures.
        profile: Profile,
    },
    /// A leader was appointed.
    LeaderAppointed {
        /// Role.
        role: LeaderRole,
        /// Name.
        name: Name,
        /// Since.
        appointed_on: Date,
    },
    /// A grid was defined.
    GridDefined {
        /// Grid id.
        grid: GridId,
        /// Name.
        name: Name,
    },
    /// A worker was assigned to a grid.
    GridWorkerAssigned {
        /// Grid id.
        grid: GridId,
        /// Worker's name.
        worker: Name,
        /// Kind.
        kind: WorkerKind,
    },
    /// The community aims for a star.
    StarAimedFor {
        /// The star.
        star: Name,
    },
    /// A star was awarded.
    StarAwarded {
        /// The star.
        star: Name,
        /// When.
        awarded_on: Date,
    },
}

impl EventCodec for CommunityEvent {
    fn schema_version(&self) -> i32 {
        match self {
            CommunityEvent::CommunityRegistered { .. } => 2,
            _ => 1,
        }
    }

    fn current_shape(event_type: &str, version: i32) -> bool {
        match event_type {
            "CommunityRegistered" => version == 2,
            _ => version == 1,
        }
    }

    fn upcast<'a>(
        event_type: &str,
        version: i32,
        payload: &'a serde_json::Value,
    ) -> Result<Cow<'a, serde_json::Value>, UpcastError> {
        if Self::current_shape(event_type, version) {
            return Ok(Cow::Borrowed(payload));
        }
        match (event_type, version) {
            // v1 stored the area as text in km², e.g. "0.64".
            ("CommunityRegistered", 1) => {
                let mut payload = payload.clone();
                let km2 = payload["area_km2"].as_str().unwrap_or_default().to_owned();
                let area_m2 = km2_text_to_m2(&km2).ok_or_else(|| UpcastError::BadPayload {
                    event_type: event_type.to_owned(),
                    reason: format!("area_km2 {km2:?} is not a decimal number"),
                })?;
                if let Some(object) = payload.as_object_mut() {
                    object.remove("area_km2");
                    object.insert("area_m2".into(), area_m2.into());
                }
                Ok(Cow::Owned(payload))
            }
            _ => Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}

/// "0.64" km² → 640000 m², exactly (no floating point).
fn km2_text_to_m2(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 6 || whole.is_empty() {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<6}").parse().ok()?
    };
    Some(whole * 1_000_000 + fraction)
}

/// What a community's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CommunityState {
    /// Set once registered.
    pub id: Option<CommunityId>,
    /// When it was established.
    pub established_on: Option<Date>,
    /// Latest profile.
    pub profile: Option<Profile>,
    /// Current leaders by role.
    pub leaders: BTreeMap<LeaderRole, Name>,
    /// Grids and their workers.
    pub grids: BTreeMap<GridId, BTreeSet<Name>>,
    /// Stars aimed for.
    pub aims: BTreeSet<Name>,
    /// Stars awarded.
    pub stars: BTreeSet<Name>,
}

/// The rules a community command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommunityError {
    /// Registering an id twice.
    #[error("the community is already registered")]
    CommunityAlreadyRegistered,
    /// Acting on a community that does not exist.
    #[error("the community is not registered")]
    CommunityNotRegistered,
    /// An area of zero or beyond 100 km².
    #[error("the area of {0} m² is not plausible for a community")]
    ImplausibleArea(i64),
    /// A profile figure beyond its plausible maximum.
    #[error("{field} = {value} is not plausible for one community (at most {max})")]
    ImplausibleFigure {
        /// The figure.
        field: &'static str,
        /// Its value.
        value: u32,
        /// The maximum.
        max: u32,
    },
    /// A profile dated before the community existed.
    #[error("a profile cannot be dated before the community was established")]
    ProfileBeforeEstablishment,
    /// Defining a grid id twice.
    #[error("grid {0} is already defined")]
    GridAlreadyDefined(String),
    /// Assigning a worker to a grid that does not exist.
    #[error("grid {0} is not defined")]
    GridNotDefined(String),
    /// Assigning the same worker to the same grid twice.
    #[error("{0} already works on this grid")]
    WorkerAlreadyAssigned(String),
    /// Awarding a star twice.
    #[error("the star {0} was already awarded")]
    StarAlreadyAwarded(String),
    /// Aiming for a star twice.
    #[error("the community already aims for the star {0}")]
    StarAlreadyAimedFor(String),
}

/// The community aggregate.
#[derive(Debug)]
pub struct Community;

impl Aggregate for Community {
    type State = CommunityState;
    type Command = CommunityCommand;
    type Event = CommunityEvent;
    type Error = CommunityError;
    const PREFIX: &'static str = "community";

    fn target(command: &CommunityCommand) -> &str {
        use CommunityCommand::*;
        match command {
            Register { id, .. }
            | RecordProfile { id, .. }
            | AppointLeader { id, .. }
            | DefineGrid { id, .. }
            | AssignGridWorker { id, .. }
            | AimForStar { id, .. }
            | AwardStar { id, .. } => id.as_str(),
        }
    }

    fn creates(command: &CommunityCommand) -> bool {
        matches!(command, CommunityCommand::Register { .. })
    }

    fn community(command: &CommunityCommand, _state: &CommunityState) -> Option<CommunityId> {
        CommunityId::parse(Self::target(command)).ok()
    }

    fn decide(
        command: &CommunityCommand,
        state: &CommunityState,
    ) -> Result<Vec<CommunityEvent>, CommunityError> {
        use CommunityCommand as C;
        use CommunityError as E;
        use CommunityEvent as V;
        match command {
            C::Register {
                id,
                name,
                street,
                established_on,
                area_m2,
            } => {
                if state.id.is_some() {
                    return Err(E::CommunityAlreadyRegistered);
                }
                if !(1..=limits::AREA_M2).contains(area_m2) {
                    return Err(E::ImplausibleArea(*area_m2));
                }
                Ok(vec![V::CommunityRegistered {
                    id: id.clone(),
                    name: name.clone(),
                    street: street.clone(),
                    established_on: *established_on,
                    area_m2: *area_m2,
                }])
            }
            _ if state.id.is_none() => Err(E::CommunityNotRegistered),
            C::RecordProfile { profile, .. } => {
                if state.established_on.is_some_and(|d| profile.as_of < d) {
                    return Err(E::ProfileBeforeEstablishment);
                }
                check_profile(profile)?;
                Ok(vec![V::CommunityProfileRecorded {
                    profile: profile.clone(),
                }])
            }
            C::AppointLeader {
                role,
                name,
                appointed_on,
                ..
            } => Ok(vec![V::LeaderAppointed {
                role: *role,
                name: name.clone(),
                appointed_on: *appointed_on,
            }]),
            C::DefineGrid { grid, name, .. } => {
                if state.grids.contains_key(grid) {
                    return Err(E::GridAlreadyDefined(grid.to_string()));
                }
                Ok(vec![V::GridDefined {
                    grid: grid.clone(),
                    name: name.clone(),
                }])
            }
            C::AssignGridWorker {
                grid, worker, kind, ..
            } => {
                let workers = state
                    .grids
                    .get(grid)
                    .ok_or_else(|| E::GridNotDefined(grid.to_string()))?;
                if workers.contains(worker) {
                    return Err(E::WorkerAlreadyAssigned(worker.to_string()));
                }
                Ok(vec![V::GridWorkerAssigned {
                    grid: grid.clone(),
                    worker: worker.clone(),
                    kind: *kind,
                }])
            }
            C::AimForStar { star, .. } => {
                if state.aims.contains(star) {
                    return Err(E::StarAlreadyAimedFor(star.to_string()));
                }
                Ok(vec![V::StarAimedFor { star: star.clone() }])
            }
            C::AwardStar {
                star, awarded_on, ..
            } => {
                if state.stars.contains(star) {
                    return Err(E::StarAlreadyAwarded(star.to_string()));
                }
                Ok(vec![V::StarAwarded {
                    star: star.clone(),
                    awarded_on: *awarded_on,
                }])
            }
        }
    }

    fn happened(event: &CommunityEvent) -> Option<Happened> {
        use CommunityEvent as E;
        Some(Happened::On(match event {
            E::CommunityRegistered { established_on, .. } => *established_on,
            E::CommunityProfileRecorded { profile } => profile.as_of,
            E::LeaderAppointed { appointed_on, .. } => *appointed_on,
            E::StarAwarded { awarded_on, .. } => *awarded_on,
            E::GridDefined { .. } | E::GridWorkerAssigned { .. } | E::StarAimedFor { .. } => {
                return None
            }
        }))
    }

    fn evolve(mut state: CommunityState, event: &CommunityEvent) -> CommunityState {
        use CommunityEvent as V;
        match event {
            V::CommunityRegistered {
                id, established_on, ..
            } => {
                state.id = Some(id.clone());
                state.established_on = Some(*established_on);
            }
            V::CommunityProfileRecorded { profile } => state.profile = Some(profile.clone()),
            V::LeaderAppointed { role, name, .. } => {
                state.leaders.insert(*role, name.clone());
            }
            V::GridDefined { grid, .. } => {
                state.grids.entry(grid.clone()).or_default();
            }
            V::GridWorkerAssigned { grid, worker, .. } => {
                state
                    .grids
                    .entry(grid.clone())
                    .or_default()
                    .insert(worker.clone());
            }
            V::StarAimedFor { star } => {
                state.aims.insert(star.clone());
            }
            V::StarAwarded { star, .. } => {
                state.stars.insert(star.clone());
            }
        }
        state
    }
}

fn check_profile(p: &Profile) -> Result<(), CommunityError> {
    for (field, value, max) in [
        ("households", p.households, limits::HOUSEHOLDS),
        ("residents", p.residents, limits::RESIDENTS),
        ("compounds", p.compounds, limits::COMPOUNDS),
        ("co_building_units", p.co_building_units, limits::UNITS),
        ("merchants", p.merchants, limits::MERCHANTS),
    ] {
        if value.get() > max {
            return Err(CommunityError::ImplausibleFigure {
                field,
                value: value.get(),
                max,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::date;

    fn id() -> CommunityId {
        CommunityId::parse("guangsha").unwrap()
    }
    fn name(s: &str) -> Name {
        Name::parse("name", s).unwrap()
    }
    fn register() -> CommunityCommand {
        CommunityCommand::Register {
            id: id(),
            name: name("广厦社区"),
            street: name("杜甫路街道"),
            established_on: date!(2023 - 07 - 01),
            area_m2: 640_000,
        }
    }
    fn profile(households: u32) -> Profile {
        Profile {
            as_of: date!(2023 - 10 - 01),
            households: Count::parse("households", households.into(), u32::MAX).unwrap(),
            residents: Count::parse("residents", 7013, u32::MAX).unwrap(),
            compounds: Count::parse("compounds", 25, u32::MAX).unwrap(),
            co_building_units: Count::parse("units", 5, u32::MAX).unwrap(),
            merchants: Count::parse("merchants", 76, u32::MAX).unwrap(),
        }
    }

    #[test]
    fn registering_a_community_twice_is_rejected() {
        given::<Community>([register()])
            .when(register())
            .then_rejected(CommunityError::CommunityAlreadyRegistered);
    }

    #[test]
    fn a_zero_area_is_rejected() {
        let mut zero = register();
        if let CommunityCommand::Register { area_m2, .. } = &mut zero {
            *area_m2 = 0;
        }
        given::<Community>([])
            .when(zero)
            .then_rejected(CommunityError::ImplausibleArea(0));
    }

    #[test]
    fn a_profile_of_an_unregistered_community_is_rejected() {
        given::<Community>([])
            .when(CommunityCommand::RecordProfile {
                id: id(),
                profile: profile(2283),
            })
            .then_rejected(CommunityError::CommunityNotRegistered);
    }

    #[test]
    fn an_absurd_household_count_is_rejected() {
        let when = CommunityCommand::RecordProfile {
            id: id(),
            profile: profile(5_000_000),
        };
        assert!(matches!(
            Community::decide(&when, given::<Community>([register()]).state()),
            Err(CommunityError::ImplausibleFigure {
                field: "households",
                ..
            })
        ));
    }

    #[test]
    fn the_story_profile_is_recorded() {
        given::<Community>([register()])
            .when(CommunityCommand::RecordProfile {
                id: id(),
                profile: profile(2283),
            })
            .then(&[CommunityEvent::CommunityProfileRecorded {
                profile: profile(2283),
            }]);
    }

    #[test]
    fn a_profile_dated_before_establishment_is_rejected() {
        let mut early = profile(2283);
        early.as_of = date!(2023 - 06 - 30);
        given::<Community>([register()])
            .when(CommunityCommand::RecordProfile {
                id: id(),
                profile: early,
            })
            .then_rejected(CommunityError::ProfileBeforeEstablishment);
    }

    #[test]
    fn a_worker_on_an_undefined_grid_is_rejected() {
        given::<Community>([register()])
            .when(CommunityCommand::AssignGridWorker {
                id: id(),
                grid: GridId::parse("g1").unwrap(),
                worker: name("网格员甲"),
                kind: WorkerKind::GridWorker,
            })
            .then_rejected(CommunityError::GridNotDefined("g1".into()));
    }

    #[test]
    fn a_star_cannot_be_awarded_twice() {
        let award = CommunityCommand::AwardStar {
            id: id(),
            star: name("宜业兴业星"),
            awarded_on: date!(2024 - 01 - 10),
        };
        given::<Community>([register(), award.clone()])
            .when(award)
            .then_rejected(CommunityError::StarAlreadyAwarded("宜业兴业星".into()));
    }

    #[test]
    fn a_grid_cannot_be_defined_twice() {
        let define = CommunityCommand::DefineGrid {
            id: id(),
            grid: GridId::parse("g1").unwrap(),
            name: name("第一网格"),
        };
        given::<Community>([register(), define.clone()])
            .when(define)
            .then_rejected(CommunityError::GridAlreadyDefined("g1".into()));
    }

    #[test]
    fn a_v1_registration_with_the_area_as_text_still_loads() {
        let v1 = serde_json::json!({
            "id": "guangsha", "name": "广厦社区", "street": "杜甫路街道",
            "established_on": "2023-07-01", "area_km2": "0.64"
        });
        let event = CommunityEvent::decode("CommunityRegistered", 1, &v1).unwrap();
        assert!(matches!(
            event,
            CommunityEvent::CommunityRegistered {
                area_m2: 640_000,
                ..
            }
        ));
        let (t, v2) = event.encode();
        assert_eq!(t, "CommunityRegistered");
        assert_eq!(event.schema_version(), 2);
        assert_eq!(CommunityEvent::decode(&t, 2, &v2).unwrap(), event);
        assert_eq!(
            CommunityEvent::decode_text("CommunityRegistered", 1, &v1.to_string()),
            Ok(event.clone())
        );
        assert_eq!(
            CommunityEvent::decode_text(&t, 2, &v2.to_string()),
            Ok(event)
        );
    }

    #[test]
    fn an_unknown_schema_version_is_a_typed_error() {
        let result = CommunityEvent::decode("StarAwarded", 7, &serde_json::json!({}));
        assert!(matches!(
            result,
            Err(UpcastError::UnknownVersion { version: 7, .. })
        ));
    }
}
