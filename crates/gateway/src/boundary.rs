//! Checks every GraphQL request passes before it runs, on HTTP and WebSocket alike: the
//! size of the query once its fragments are expanded, and no string PostgreSQL cannot store.
//! Errors async-graphql raises itself (unknown fields, wrong types, limits) get the
//! `VALIDATION` code here, so both transports answer with the same codes.
//!
//! These are plain functions the two transports call, not a schema extension: with any
//! extension registered, async-graphql sends every field's resolution through the
//! extension chain, which costs each request more than these checks do.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Pos, Response, ServerError, Value};

use crate::documents::Checked;
use crate::error::Code;

/// A request whose document passed.
pub(crate) struct Passed {
    /// The document and what was learnt of it.
    pub checked: Arc<Checked>,
    /// Whether the request still lacks its parsed document (taken from the kept ones).
    detached: bool,
}

impl Passed {
    /// Gives `request` its parsed document for the executor, unless it has it already.
    pub(crate) fn attach(&self, request: &mut async_graphql::Request) {
        if self.detached {
            request.set_parsed_query(self.checked.document.clone());
        }
    }
}

/// Checks `request`: no NUL in any variable or literal, at most `max_expanded_fields`
/// fields once fragments are expanded. A document whose text passed before is taken from
/// [`crate::documents`], not parsed again; [`Passed::attach`] gives it to the request when
/// the executor is to run it.
pub(crate) fn check(
    request: &mut async_graphql::Request,
    max_expanded_fields: u64,
) -> Result<Passed, ServerError> {
    for (name, value) in request.variables.iter() {
        if let Some(path) = nul_in_variable(value) {
            return Err(invalid(
                None,
                format!("${name}{path} contains a NUL character"),
            ));
        }
    }
    let too_many = |pos| {
        invalid(
            Some(pos),
            format!(
                "the query selects more than {max_expanded_fields} fields once its fragments are expanded"
            ),
        )
    };
    if let Some(known) = crate::documents::get(&request.query) {
        let (fields, pos) = known.fields;
        if fields > max_expanded_fields {
            return Err(too_many(pos));
        }
        return Ok(Passed {
            checked: known,
            detached: true,
        });
    }
    let document = request
        .parsed_query()
        .map_err(|e| invalid(None, format!("malformed GraphQL: {e}")))?;
    let mut sizes = Sizes {
        document,
        known: HashMap::new(),
    };
    let mut largest = (0, Pos::default());
    for (_, operation) in document.operations.iter() {
        let fields = sizes.of(&operation.node.selection_set.node);
        if fields > max_expanded_fields {
            return Err(too_many(operation.pos));
        }
        if fields >= largest.0 {
            largest = (fields, operation.pos);
        }
        if let Some((pos, path)) = nul_in_selection(document, &operation.node.selection_set.node) {
            return Err(invalid(
                Some(pos),
                format!("{path} contains a NUL character"),
            ));
        }
    }
    let checked = Checked {
        document: document.clone(),
        fields: largest,
        board: crate::direct::plan(document),
    };
    Ok(Passed {
        checked: crate::documents::keep(&request.query, checked),
        detached: false,
    })
}

pub(crate) fn invalid(pos: Option<Pos>, message: String) -> ServerError {
    let mut error = ServerError::new(message, pos);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", Code::Validation.as_str());
    error
}

/// Errors without a code of ours come from async-graphql's parser and validator: all of
/// them are about the client's input.
pub(crate) fn stamp(response: &mut Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Code::Validation.as_str());
        }
    }
}

/// The same for a GraphQL error already rendered as JSON (a WebSocket message's payload).
pub(crate) fn stamp_json(error: &mut serde_json::Value) {
    if let Some(error) = error.as_object_mut() {
        let extensions = error
            .entry("extensions")
            .or_insert_with(|| serde_json::json!({}));
        if let Some(extensions) = extensions.as_object_mut() {
            extensions
                .entry("code")
                .or_insert_with(|| Code::Validation.as_str().into());
        }
    }
}

/// Field counts of selection sets with fragments expanded, each fragment counted once
/// (a document of fragments that each spread the next twice expands exponentially, but is
/// measured in linear time). Counts saturate instead of overflowing.
struct Sizes<'a> {
    document: &'a ExecutableDocument,
    known: HashMap<&'a Name, u64>,
}

impl<'a> Sizes<'a> {
    fn of(&mut self, set: &'a SelectionSet) -> u64 {
        set.items.iter().fold(0u64, |total, item| {
            let size = match &item.node {
                Selection::Field(field) => {
                    1u64.saturating_add(self.of(&field.node.selection_set.node))
                }
                Selection::InlineFragment(fragment) => self.of(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total.saturating_add(size)
        })
    }

    fn fragment(&mut self, name: &'a Name) -> u64 {
        if let Some(size) = self.known.get(name) {
            return *size;
        }
        // A cycle counts as nothing here; the validator refuses it.
        self.known.insert(name, 0);
        let size = match self.document.fragments.get(name) {
            Some(fragment) => self.of(&fragment.node.selection_set.node),
            None => 0,
        };
        self.known.insert(name, size);
        size
    }
}

/// The first string argument holding a NUL, as `field(argument.path)`.
fn nul_in_selection(document: &ExecutableDocument, set: &SelectionSet) -> Option<(Pos, String)> {
    let mut pending = vec![set];
    let mut seen = std::collections::HashSet::new();
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        if let Some(path) = nul_in_literal(&value.node) {
                            let path = format!("{}({}{path})", field.node.name.node, name.node);
                            return Some((value.pos, path));
                        }
                    }
                    pending.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    pending.push(&fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name.clone()) {
                        if let Some(fragment) = document.fragments.get(name) {
                            pending.push(&fragment.node.selection_set.node);
                        }
                    }
                }
            }
        }
    }
    None
}

/// Where in a literal argument a string holds a NUL (`""` for the argument itself, else
/// `.field` and `[index]` steps); variables are checked on their own.
fn nul_in_literal(value: &async_graphql_value::Value) -> Option<String> {
    use async_graphql_value::Value as Literal;
    match value {
        Literal::String(text) if text.contains('\0') => Some(String::new()),
        Literal::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in_literal(item).map(|rest| format!("[{i}]{rest}"))),
        Literal::Object(fields) => fields
            .iter()
            .find_map(|(name, item)| nul_in_literal(item).map(|rest| format!(".{name}{rest}"))),
        _ => None,
    }
}

/// The same for a variable's value (another type: variables hold no variables).
fn nul_in_variable(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if text.contains('\0') => Some(String::new()),
        Value::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in_variable(item).map(|rest| format!("[{i}]{rest}"))),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(name, item)| nul_in_variable(item).map(|rest| format!(".{name}{rest}"))),
        _ => None,
    }
}
