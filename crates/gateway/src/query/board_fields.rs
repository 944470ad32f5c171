//! The plain fields of an issue on the board and the read-model column each one needs. The
//! resolvers' look-ahead and the direct pages ([`crate::direct`]) read this one table; the
//! value of each field is [`super::board_page::column`]'s, on both paths.

/// A plain field of `Issue`.
#[derive(Debug)]
pub(crate) struct BoardField {
    /// Its GraphQL name.
    pub name: &'static str,
    /// The name to ask `queries::issues::selection_for` for; `None` for fields every page
    /// reads anyway (`id`, `communityId`, `reportedAt`) and for `__typename`.
    pub column: Option<&'static str>,
    /// The key of the page row's column whose JSON, as PostgreSQL writes it, is this
    /// field's value as the executor writes it, byte for byte: text (both escape the same
    /// characters the same way), numbers, booleans, `null`, dates (`YYYY-MM-DD`). `None`
    /// where the value is converted: stored enum names, times at their written offsets.
    pub as_written: Option<&'static str>,
}

/// A field read from `column` and written on as PostgreSQL writes it.
const fn read(name: &'static str, column: &'static str) -> BoardField {
    BoardField {
        name,
        column: Some(column),
        as_written: Some(column),
    }
}

/// A field read from `column` whose value is converted.
const fn converted(name: &'static str, column: &'static str) -> BoardField {
    BoardField {
        name,
        column: Some(column),
        as_written: None,
    }
}

/// A field every page reads anyway, under the row key `key` if it is written on as it is.
const fn always(name: &'static str, key: Option<&'static str>) -> BoardField {
    BoardField {
        name,
        column: None,
        as_written: key,
    }
}

const FIELDS: [BoardField; 22] = [
    always("__typename", None),
    always("id", Some("id")),
    always("communityId", Some("community_id")),
    read("compoundId", "compound_id"),
    read("gridId", "grid_id"),
    read("category", "category"),
    read("title", "title"),
    read("description", "description"),
    read("location", "location"),
    converted("channel", "channel"),
    read("reporter", "reporter"),
    converted("status", "status"),
    read("assignee", "assignee"),
    read("dueBy", "due_by"),
    read("escalated", "escalated"),
    read("items", "items"),
    read("resolution", "resolution"),
    read("satisfaction", "satisfaction"),
    always("reportedAt", None),
    converted("resolvedAt", "resolved_at"),
    converted("closedAt", "closed_at"),
    read("overdue", "overdue"),
];

/// Every plain field of `Issue`.
#[cfg(test)]
pub(crate) fn board_fields() -> &'static [BoardField] {
    &FIELDS
}

/// The plain field of `Issue` named `name`, if it is one.
pub(crate) fn board_field(name: &str) -> Option<&'static BoardField> {
    FIELDS.iter().find(|field| field.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_plain_field_has_the_value_a_page_shows() {
        let issue = super::super::issues::Issue::default();
        for field in &FIELDS {
            assert!(
                super::super::board_page::column(&issue, field.name).is_some(),
                "{}",
                field.name
            );
        }
    }
}
