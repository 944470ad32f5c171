//! The plain fields of an issue on the board and the read-model column each one needs. The
//! resolvers' look-ahead and the direct pages ([`crate::direct`]) read this one table; the
//! value of each field is [`super::board_page::column`]'s, on both paths.

/// A plain field of `Issue`.
pub(crate) struct BoardField {
    /// Its GraphQL name.
    pub name: &'static str,
    /// The name to ask `queries::issues::columns_for` for; `None` for fields every page
    /// reads anyway (`id`, `communityId`, `reportedAt`) and for `__typename`.
    pub column: Option<&'static str>,
}

const fn read(name: &'static str, column: &'static str) -> BoardField {
    BoardField {
        name,
        column: Some(column),
    }
}

const fn always(name: &'static str) -> BoardField {
    BoardField { name, column: None }
}

const FIELDS: [BoardField; 22] = [
    always("__typename"),
    always("id"),
    always("communityId"),
    read("compoundId", "compound_id"),
    read("gridId", "grid_id"),
    read("category", "category"),
    read("title", "title"),
    read("description", "description"),
    read("location", "location"),
    read("channel", "channel"),
    read("reporter", "reporter"),
    read("status", "status"),
    read("assignee", "assignee"),
    read("dueBy", "due_by"),
    read("escalated", "escalated"),
    read("items", "items"),
    read("resolution", "resolution"),
    read("satisfaction", "satisfaction"),
    always("reportedAt"),
    read("resolvedAt", "resolved_at"),
    read("closedAt", "closed_at"),
    read("overdue", "overdue"),
];

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
