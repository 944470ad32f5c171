//! The plain fields of an issue on the board: the read-model column each one needs, and how
//! PostgreSQL shows it when a page's JSON goes to the client as PostgreSQL wrote it
//! ([`crate::direct`]). Both the resolvers and the direct pages read this one table.

use std::sync::LazyLock;

use async_graphql::{EnumType, OutputType};
use civic_projections::queries::board_json::Shown;
use civic_projections::queries::stored_name;

use super::issues::Issue;
use crate::enums::{IssueChannel, IssueStatus};

/// A plain field of `Issue`.
pub(crate) struct BoardField {
    /// Its GraphQL name.
    pub name: &'static str,
    /// The name to ask `queries::issues::columns_for` for; `None` for fields every page
    /// reads anyway (`id`, `communityId`, `reportedAt`) and for `__typename`.
    pub column: Option<&'static str>,
    /// How it is shown.
    pub shown: Shown,
}

/// Each GraphQL name of an enum with the name it is stored under, from the domain type.
fn names<T, D>() -> Vec<(String, &'static str)>
where
    T: EnumType + Copy + Into<D>,
    D: serde::Serialize,
{
    T::items()
        .iter()
        .map(|item| (stored_name(&item.value.into()), item.name))
        .collect()
}

static STATUSES: LazyLock<Vec<(String, &'static str)>> =
    LazyLock::new(names::<IssueStatus, civic_domain::issue::IssueStatus>);
static CHANNELS: LazyLock<Vec<(String, &'static str)>> =
    LazyLock::new(names::<IssueChannel, civic_domain::issue::Channel>);
static TYPE_NAME: LazyLock<&'static str> = LazyLock::new(|| {
    Box::leak(
        <Issue as OutputType>::type_name()
            .into_owned()
            .into_boxed_str(),
    )
});

static FIELDS: LazyLock<Vec<BoardField>> = LazyLock::new(|| {
    let column = |name: &'static str, column: &'static str| BoardField {
        name,
        column: Some(column),
        shown: Shown::Column(column),
    };
    let always = |name: &'static str, column: &'static str| BoardField {
        name,
        column: None,
        shown: Shown::Column(column),
    };
    vec![
        BoardField {
            name: "__typename",
            column: None,
            shown: Shown::Text(*TYPE_NAME),
        },
        always("id", "id"),
        always("communityId", "community_id"),
        column("compoundId", "compound_id"),
        column("gridId", "grid_id"),
        column("category", "category"),
        column("title", "title"),
        column("description", "description"),
        column("location", "location"),
        BoardField {
            name: "channel",
            column: Some("channel"),
            shown: Shown::Named {
                column: "channel",
                kind: "issue channel",
                names: &CHANNELS,
            },
        },
        column("reporter", "reporter"),
        BoardField {
            name: "status",
            column: Some("status"),
            shown: Shown::Named {
                column: "status",
                kind: "issue status",
                names: &STATUSES,
            },
        },
        column("assignee", "assignee"),
        column("dueBy", "due_by"),
        column("escalated", "escalated"),
        column("items", "items"),
        column("resolution", "resolution"),
        column("satisfaction", "satisfaction"),
        BoardField {
            name: "reportedAt",
            column: None,
            shown: Shown::Moment {
                column: "reported_at",
                offset: Some("reported_offset"),
            },
        },
        BoardField {
            name: "resolvedAt",
            column: Some("resolved_at"),
            shown: Shown::Moment {
                column: "resolved_at",
                offset: Some("resolved_offset"),
            },
        },
        BoardField {
            name: "closedAt",
            column: Some("closed_at"),
            shown: Shown::Moment {
                column: "closed_at",
                offset: None,
            },
        },
        column("overdue", "overdue"),
    ]
});

/// The keys and renderings of the nodes of a board page that selects `names`, as a direct
/// page asks PostgreSQL for them; `None` if one is not a plain field.
pub fn shown_fields(names: &[&str]) -> Option<Vec<(&'static str, Shown)>> {
    names
        .iter()
        .map(|name| board_field(name).map(|f| (f.name, f.shown)))
        .collect()
}

/// The plain field of `Issue` named `name`, if it is one.
pub(crate) fn board_field(name: &str) -> Option<&'static BoardField> {
    FIELDS.iter().find(|field| field.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_enum_name_is_paired_with_its_graphql_name() {
        let status: Vec<(&str, &str)> = STATUSES.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        assert!(status.contains(&("reported", "REPORTED")), "{status:?}");
        let channel: Vec<(&str, &str)> = CHANNELS.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        assert!(
            channel.contains(&("chat_group", "CHAT_GROUP")),
            "{channel:?}"
        );
        assert_eq!(STATUSES.len(), IssueStatus::items().len());
        assert_eq!(CHANNELS.len(), IssueChannel::items().len());
    }

    #[test]
    fn the_table_names_each_field_once() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        assert_eq!(
            board_field("__typename").map(|f| f.name),
            Some("__typename")
        );
        assert!(board_field("timeline").is_none());
    }
}
