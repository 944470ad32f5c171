//! The payload of the notifications a writer's announcer sends on [`crate::NOTIFY_CHANNEL`]
//! after its commits (`writer/announce.rs`): the newest position committed and the writer
//! that committed it, as `"<position> <origin>"`.
//!
//! A process ignores notices of its own writer, which announces its commits in memory (the
//! head, once they are in its [`crate::tail::Tail`]) before its announcer sends them: a
//! subscriber woken by its own notice would have nothing new to find.

use uuid::Uuid;

/// The notice of a batch ending at `position`, committed by the writer `origin`.
pub(crate) fn format(position: i64, origin: Uuid) -> String {
    format!("{position} {}", origin.simple())
}

/// The position a notice announces, unless the writer `own` committed it.
pub(crate) fn foreign_position(payload: &str, own: Uuid) -> Option<i64> {
    let (position, origin) = match payload.split_once(' ') {
        Some((position, origin)) => (position, Some(origin)),
        None => (payload, None),
    };
    if origin.and_then(|o| Uuid::parse_str(o).ok()) == Some(own) {
        return None;
    }
    position.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_notices_are_ignored_and_others_give_their_position() {
        let own = Uuid::new_v4();
        let other = Uuid::new_v4();
        assert_eq!(foreign_position(&format(42, own), own), None);
        assert_eq!(foreign_position(&format(42, other), own), Some(42));
        assert_eq!(foreign_position("7", own), Some(7));
        assert_eq!(foreign_position("x y", own), None);
    }
}
