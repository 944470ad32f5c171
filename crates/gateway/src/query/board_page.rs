//! A page of the issue board, resolved in one pass.
//!
//! async-graphql resolves every field of an object as a boxed future of its own, gathered
//! through a `FuturesUnordered`: a page of 50 issues with ten fields each costs some 600
//! allocations and wake-ups whose only work is copying a column, about half of the gateway's
//! time on a board request. [`BoardPage`] and [`BoardNode`] are the same GraphQL types as the
//! connection and [`Issue`] (same names and registration, so the schema does not change).
//! When a selection holds only plain fields (columns, cursors, page info, `__typename`),
//! without fragments, arguments or directives, they build its objects directly. Any other
//! selection (a fragment, `@include`, `timeline`, `reporterContact`, `availableActions`) goes
//! through the general resolvers, a page's or a node's; both paths answer the same, which a
//! test checks field by field.

use std::borrow::Cow;
use std::sync::LazyLock;

use async_graphql::connection::{CursorType, Edge, EmptyFields, PageInfo};
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, EnumType, Name, OutputType, Positioned, ScalarType, ServerResult, Value,
};

use super::issues::{BoardCursor, Issue, IssueConnection};
use crate::enums::{IssueChannel, IssueStatus};

/// An edge of [`IssueConnection`] (for its GraphQL name).
type IssueEdge = Edge<BoardCursor, BoardNode, EmptyFields>;

/// A page of the board.
pub struct BoardPage(pub IssueConnection);

/// An issue on a board page.
pub struct BoardNode(pub Issue);

impl OutputType for BoardPage {
    fn type_name() -> Cow<'static, str> {
        <IssueConnection as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <IssueConnection as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        // `item` is the selection set being resolved, what the derived resolvers read too.
        match page(&self.0, &ctx.item.node) {
            Some(value) => Ok(value),
            None => OutputType::resolve(&self.0, ctx, field).await,
        }
    }
}

impl OutputType for BoardNode {
    fn type_name() -> Cow<'static, str> {
        <Issue as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Issue as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match node(&self.0, &ctx.item.node) {
            Some(value) => Ok(value),
            None => OutputType::resolve(&self.0, ctx, field).await,
        }
    }
}

/// The object `selection` asks of, with each plain field's value from `value_of`; `None` if
/// the selection holds anything else.
fn object(
    selection: &SelectionSet,
    mut value_of: impl FnMut(&str, &SelectionSet) -> Option<Value>,
) -> Option<Value> {
    let mut object = IndexMap::with_capacity(selection.items.len());
    for item in &selection.items {
        let Selection::Field(field) = &item.node else {
            return None;
        };
        let field = &field.node;
        if !field.directives.is_empty() || !field.arguments.is_empty() {
            return None;
        }
        let value = value_of(field.name.node.as_str(), &field.selection_set.node)?;
        // A key selected twice keeps its first value, as the general resolver does.
        object
            .entry(field.response_key().node.clone())
            .or_insert(value);
    }
    Some(Value::Object(object))
}

fn page(page: &IssueConnection, selection: &SelectionSet) -> Option<Value> {
    let cursor = |i: Option<usize>| {
        i.and_then(|i| page.edges.get(i))
            .map_or(Value::Null, |e| Value::String(e.cursor.encode_cursor()))
    };
    object(selection, |name, selection| {
        Some(match name {
            "__typename" => typename(IssueConnection::type_name()),
            "edges" => Value::List(
                page.edges
                    .iter()
                    .map(|edge| {
                        object(selection, |name, selection| {
                            Some(match name {
                                "__typename" => typename(IssueEdge::type_name()),
                                "cursor" => Value::String(edge.cursor.encode_cursor()),
                                "node" => node(&edge.node.0, selection)?,
                                _ => return None,
                            })
                        })
                    })
                    .collect::<Option<_>>()?,
            ),
            "nodes" => Value::List(
                page.edges
                    .iter()
                    .map(|edge| node(&edge.node.0, selection))
                    .collect::<Option<_>>()?,
            ),
            "pageInfo" => object(selection, |name, _| {
                Some(match name {
                    "__typename" => typename(PageInfo::type_name()),
                    "hasPreviousPage" => Value::Boolean(page.has_previous_page),
                    "hasNextPage" => Value::Boolean(page.has_next_page),
                    "startCursor" => cursor((!page.edges.is_empty()).then_some(0)),
                    "endCursor" => cursor(page.edges.len().checked_sub(1)),
                    _ => return None,
                })
            })?,
            _ => return None,
        })
    })
}

fn node(issue: &Issue, selection: &SelectionSet) -> Option<Value> {
    object(selection, |name, _| column(issue, name))
}

/// An enum's GraphQL names, made once: async-graphql's own `enum_value` allocates a new
/// `Name` for every value it answers.
struct EnumNames<T>(Vec<(T, Name)>);

impl<T: EnumType + Copy + Eq> EnumNames<T> {
    fn new() -> Self {
        EnumNames(
            T::items()
                .iter()
                .map(|item| (item.value, Name::new(item.name)))
                .collect(),
        )
    }

    fn of(&self, value: T) -> Value {
        self.0
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(Value::Null, |(_, name)| Value::Enum(name.clone()))
    }
}

static STATUSES: LazyLock<EnumNames<IssueStatus>> = LazyLock::new(EnumNames::new);
static CHANNELS: LazyLock<EnumNames<IssueChannel>> = LazyLock::new(EnumNames::new);

/// The value of an issue's `status` field.
pub(crate) fn status_value(status: IssueStatus) -> Value {
    STATUSES.of(status)
}

/// The value of an issue's `channel` field.
pub(crate) fn channel_value(channel: IssueChannel) -> Value {
    CHANNELS.of(channel)
}

fn typename(name: Cow<'static, str>) -> Value {
    Value::String(name.into_owned())
}

/// The value of a plain field of `Issue`, or `None` for any other name.
pub(crate) fn column(issue: &Issue, name: &str) -> Option<Value> {
    fn text(s: &str) -> Value {
        Value::String(s.to_owned())
    }
    fn optional(value: Option<Value>) -> Value {
        value.unwrap_or(Value::Null)
    }
    Some(match name {
        "__typename" => typename(Issue::type_name()),
        "id" => text(&issue.id),
        "communityId" => text(&issue.community_id),
        "compoundId" => optional(issue.compound_id.as_deref().map(text)),
        "gridId" => optional(issue.grid_id.as_deref().map(text)),
        "category" => text(&issue.category),
        "title" => text(&issue.title),
        "description" => text(&issue.description),
        "location" => text(&issue.location),
        "channel" => channel_value(issue.channel),
        "reporter" => text(&issue.reporter),
        "status" => status_value(issue.status),
        "assignee" => optional(issue.assignee.as_deref().map(text)),
        "dueBy" => optional(issue.due_by.as_ref().map(ScalarType::to_value)),
        "escalated" => Value::Boolean(issue.escalated),
        "items" => optional(issue.items.map(Value::from)),
        "resolution" => optional(issue.resolution.as_deref().map(text)),
        "satisfaction" => optional(issue.satisfaction.map(Value::from)),
        "reportedAt" => issue.reported_at.to_value(),
        "resolvedAt" => optional(issue.resolved_at.as_ref().map(ScalarType::to_value)),
        "closedAt" => optional(issue.closed_at.as_ref().map(ScalarType::to_value)),
        "overdue" => Value::Boolean(issue.overdue),
        _ => return None,
    })
}
