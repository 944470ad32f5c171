//! Which documents a direct board page can answer, and what it needs to answer them.
//!
//! Only a document that async-graphql's validation is sure to accept as it stands (given
//! variables of the declared types, which [`super::answer`] checks) gets a plan: one query,
//! no fragments, directives or aliases, the one root field `issues` with every argument a
//! variable of exactly the argument's type, and below it only `__typename`, `pageInfo` and
//! `nodes` with plain fields. Anything else has no plan and goes to the executor.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Pos, Positioned};
use async_graphql_value::Value;

use civic_projections::queries::issues::{selection_for, Selection as SelectList};

use crate::query::{board_field, BoardField};

/// An argument of `issues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Argument {
    Filter,
    First,
    After,
    Last,
    Before,
    AtLeastPosition,
}

impl Argument {
    fn named(name: &str) -> Option<(Argument, &'static str)> {
        Some(match name {
            "filter" => (Argument::Filter, "IssueFilter"),
            "first" => (Argument::First, "Int"),
            "after" => (Argument::After, "String"),
            "last" => (Argument::Last, "Int"),
            "before" => (Argument::Before, "String"),
            "atLeastPosition" => (Argument::AtLeastPosition, "Int"),
            _ => return None,
        })
    }
}

/// An argument given by a variable.
#[derive(Debug)]
pub(crate) struct Bound {
    pub argument: Argument,
    pub variable: Name,
    /// The variable is declared non-null (`Int!`): it must have a value.
    pub required: bool,
}

/// A field of `PageInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InfoField {
    Typename,
    HasPreviousPage,
    HasNextPage,
    StartCursor,
    EndCursor,
}

/// A field of the connection, in the order selected.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PageField {
    Typename,
    PageInfo(Vec<InfoField>),
    Nodes,
}

/// How a node field is written.
#[derive(Debug)]
pub(crate) struct Written {
    /// Its key and the colon after it, as the executor writes them.
    pub key: String,
    /// Where its column is among the selection's, for a field copied as PostgreSQL wrote
    /// it (`BoardField::as_written`).
    pub column: Option<usize>,
}

/// What answering a document needs.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The operation's name, which a request may name.
    pub operation: Option<Name>,
    /// Where the root field is, for an error's location.
    pub root: Pos,
    /// The arguments given, each by its variable.
    pub arguments: Vec<Bound>,
    /// The connection's fields.
    pub page: Vec<PageField>,
    /// Each node's fields, in the order selected (without aliases, their names are the keys).
    pub nodes: Vec<&'static BoardField>,
    /// The select list of the read-model fields the nodes need.
    pub selection: SelectList,
    /// How each node field is written, in the order of `nodes`.
    pub written: Vec<Written>,
    /// The complexity of the connection's selection, which the page size multiplies.
    pub child_complexity: usize,
}

/// The plan of `document`, if it is a plain board page.
pub(crate) fn plan(document: &ExecutableDocument) -> Option<Plan> {
    if !document.fragments.is_empty() {
        return None;
    }
    let (name, operation) = match &document.operations {
        DocumentOperations::Single(operation) => (None, operation),
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            let (name, operation) = operations.iter().next()?;
            (Some(name.clone()), operation)
        }
        DocumentOperations::Multiple(_) => return None,
    };
    let operation = &operation.node;
    if operation.ty != OperationType::Query || !operation.directives.is_empty() {
        return None;
    }
    let mut declared: HashMap<&Name, (&str, bool)> = HashMap::new();
    for definition in &operation.variable_definitions {
        let definition = &definition.node;
        let BaseType::Named(ty) = &definition.var_type.node.base else {
            return None;
        };
        if definition.default_value.is_some()
            || !definition.directives.is_empty()
            || declared
                .insert(
                    &definition.name.node,
                    (ty.as_str(), !definition.var_type.node.nullable),
                )
                .is_some()
        {
            return None;
        }
    }
    let [root] = operation.selection_set.node.items.as_slice() else {
        return None;
    };
    let Selection::Field(Positioned { pos: root_pos, .. }) = &root.node else {
        return None;
    };
    let root_pos = *root_pos;
    let root = plain(root)?;
    if root.name.node != "issues" {
        return None;
    }
    let mut arguments: Vec<Bound> = Vec::new();
    for (name, value) in &root.arguments {
        let (argument, ty) = Argument::named(&name.node)?;
        let Value::Variable(variable) = &value.node else {
            return None;
        };
        let (declared_ty, required) = declared.remove(variable)?;
        if declared_ty != ty || arguments.iter().any(|b| b.argument == argument) {
            return None;
        }
        arguments.push(Bound {
            argument,
            variable: variable.clone(),
            required,
        });
    }
    // A variable declared and not used is an error the executor reports.
    if !declared.is_empty() {
        return None;
    }
    let mut page = Vec::new();
    let mut nodes = Vec::new();
    let mut columns = Vec::new();
    let mut child_complexity = 0;
    for item in leaves_or_sets(&root.selection_set.node)? {
        let field = item;
        let selected = match field.name.node.as_str() {
            "__typename" if is_leaf(field) => PageField::Typename,
            "pageInfo" => {
                let mut info = Vec::new();
                for field in leaves(&field.selection_set.node)? {
                    info.push(match field.name.node.as_str() {
                        "__typename" => InfoField::Typename,
                        "hasPreviousPage" => InfoField::HasPreviousPage,
                        "hasNextPage" => InfoField::HasNextPage,
                        "startCursor" => InfoField::StartCursor,
                        "endCursor" => InfoField::EndCursor,
                        _ => return None,
                    });
                }
                child_complexity += 1 + info.len();
                PageField::PageInfo(info)
            }
            "nodes" => {
                for field in leaves(&field.selection_set.node)? {
                    let known = board_field(&field.name.node)?;
                    nodes.push(known);
                    columns.extend(known.column);
                }
                child_complexity += 1 + nodes.len();
                PageField::Nodes
            }
            _ => return None,
        };
        if selected == PageField::Typename {
            child_complexity += 1;
        }
        page.push(selected);
    }
    let selection = selection_for(columns.iter().copied());
    let written = nodes
        .iter()
        .map(|field| {
            Some(Written {
                key: format!("{}:", serde_json::to_string(field.name).ok()?),
                column: field
                    .as_written
                    .and_then(|key| selection.names.iter().position(|name| *name == key)),
            })
        })
        .collect::<Option<_>>()?;
    Some(Plan {
        operation: name,
        root: root_pos,
        arguments,
        page,
        nodes,
        selection,
        written,
        child_complexity,
    })
}

/// The field of `item` if it is a field with no alias and no directive.
fn plain(item: &Positioned<Selection>) -> Option<&Field> {
    match &item.node {
        Selection::Field(field)
            if field.node.alias.is_none() && field.node.directives.is_empty() =>
        {
            Some(&field.node)
        }
        _ => None,
    }
}

fn is_leaf(field: &Field) -> bool {
    field.arguments.is_empty() && field.selection_set.node.items.is_empty()
}

/// The fields of `set`, each plain, without arguments and named once; `None` otherwise.
fn leaves_or_sets(set: &SelectionSet) -> Option<Vec<&Field>> {
    let mut fields: Vec<&Field> = Vec::with_capacity(set.items.len());
    for item in &set.items {
        let field = plain(item)?;
        if !field.arguments.is_empty() || fields.iter().any(|f| f.name.node == field.name.node) {
            return None;
        }
        fields.push(field);
    }
    Some(fields)
}

/// The same, each field a leaf, and at least one (an object's selection is never empty).
fn leaves(set: &SelectionSet) -> Option<Vec<&Field>> {
    let fields = leaves_or_sets(set)?;
    (!fields.is_empty() && fields.iter().all(|f| is_leaf(f))).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Plan> {
        plan(&async_graphql::parser::parse_query(text).ok()?)
    }

    const BOARD: &str = "query Board($filter: IssueFilter, $first: Int, $after: String, $last: Int, \
        $before: String, $atLeastPosition: Int) { issues(filter: $filter, first: $first, after: $after, \
        last: $last, before: $before, atLeastPosition: $atLeastPosition) { pageInfo { hasNextPage \
        hasPreviousPage startCursor endCursor } nodes { id communityId title category status reportedAt \
        assignee dueBy overdue escalated } } }";

    #[test]
    fn the_admin_apps_board_has_a_plan() {
        let plan = of(BOARD).expect("a plan");
        assert_eq!(plan.operation.as_deref(), Some("Board"));
        assert_eq!(plan.arguments.len(), 6);
        assert_eq!(
            plan.page,
            [
                PageField::PageInfo(vec![
                    InfoField::HasNextPage,
                    InfoField::HasPreviousPage,
                    InfoField::StartCursor,
                    InfoField::EndCursor
                ]),
                PageField::Nodes
            ]
        );
        assert_eq!(
            plan.nodes.iter().map(|f| f.name).collect::<Vec<_>>(),
            [
                "id",
                "communityId",
                "title",
                "category",
                "status",
                "reportedAt",
                "assignee",
                "dueBy",
                "overdue",
                "escalated"
            ]
        );
        assert_eq!(
            plan.selection.names,
            [
                "id",
                "community_id",
                "reported_at",
                "reported_offset",
                "title",
                "category",
                "status",
                "assignee",
                "due_by",
                "overdue",
                "escalated"
            ]
        );
        // Copied as written: id, communityId, title, category, assignee, dueBy, overdue and
        // escalated; status and reportedAt are converted.
        assert_eq!(
            plan.written.iter().map(|w| w.column).collect::<Vec<_>>(),
            [
                Some(0),
                Some(1),
                Some(4),
                Some(5),
                None,
                None,
                Some(7),
                Some(8),
                Some(9),
                Some(10)
            ]
        );
        assert_eq!(plan.written[1].key, r#""communityId":"#);
        assert_eq!(plan.child_complexity, 5 + 11);
    }

    #[test]
    fn anything_the_executor_must_judge_has_no_plan() {
        for text in [
            // literals, unknown or mistyped variables, unused ones, defaults
            "{ issues(first: 5) { nodes { id } } }",
            "query($f: Int) { issues(first: $g) { nodes { id } } }",
            "query($f: String) { issues(first: $f) { nodes { id } } }",
            "query($f: Int, $g: Int) { issues(first: $f) { nodes { id } } }",
            "query($f: Int = 5) { issues(first: $f) { nodes { id } } }",
            "query($f: [Int]) { issues(first: $f) { nodes { id } } }",
            "query($f: Int) { issues(first: $f, last: $f) { nodes { id } } }",
            // aliases, directives, fragments, other fields, two roots, mutations
            "query($f: Int) { board: issues(first: $f) { nodes { id } } }",
            "query($f: Int) { issues(first: $f) { nodes { heading: title } } }",
            "query($f: Int) { issues(first: $f) { nodes { id @include(if: true) } } }",
            "query($f: Int) { issues(first: $f) { nodes { ...on Issue { id } } } }",
            "query($f: Int) { issues(first: $f) { nodes { timeline { position } } } }",
            "query($f: Int) { issues(first: $f) { edges { cursor } } }",
            "query($f: Int) { issues(first: $f) { nodes { id id } } }",
            "query($f: Int) { issues(first: $f) { nodes { id } } communities { id } }",
            "query A($f: Int) { issues(first: $f) { nodes { id } } } query B { communities { id } }",
            "mutation($f: Int) { issues(first: $f) { nodes { id } } }",
            "query($f: Int) { issues(first: $f) { pageInfo { hasNextPage { x } } } }",
        ] {
            assert!(of(text).is_none(), "{text}");
        }
        assert!(
            of("query($f: Int!) { issues(first: $f) { __typename nodes { __typename id } } }")
                .is_some_and(|p| p.arguments[0].required && p.child_complexity == 1 + 3)
        );
    }
}
