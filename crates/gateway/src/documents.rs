//! Documents that passed the boundary's checks, kept by their text.
//!
//! Clients send the same few documents over and over: the admin app's queries are fixed
//! text whose variables change. Parsing one with async-graphql's parser costs more than a
//! board page's SQL decoding, so a document that parsed and passed [`crate::boundary`] is
//! kept here, and the next request with the same text takes a copy of the parsed document
//! instead. The key is the whole text (no hash collision can hand one client another's
//! document); only documents up to [`LARGEST`] bytes are kept, at most [`CAPACITY`] of them,
//! the least recently used leaving first. What is kept depends only on the text, so one
//! cache serves every schema and transport of the process.
//!
//! A document is kept the second time it is checked, not the first: a client that sends a
//! stream of documents each once (generated text, or an attempt to push the admin app's
//! documents out) only passes through [`SEEN`] hashes of texts, never through the documents
//! kept. (A hash collision there only keeps a document one sighting early.)

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock, Mutex};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::Pos;
use lru::LruCache;

/// Documents kept at most.
const CAPACITY: NonZeroUsize = match NonZeroUsize::new(512) {
    Some(n) => n,
    None => unreachable!(),
};

/// Texts seen once remembered at most (by hash), waiting for a second sighting.
const SEEN: NonZeroUsize = match NonZeroUsize::new(4096) {
    Some(n) => n,
    None => unreachable!(),
};

/// Longest document text kept, in bytes.
const LARGEST: usize = 16 * 1024;

/// A document that passed the checks, with what the limits are compared against.
pub(crate) struct Checked {
    pub document: ExecutableDocument,
    /// The most fields one of its operations selects with fragments expanded, and where
    /// that operation starts.
    pub fields: (u64, Pos),
    /// How to answer it as a direct board page, if it is one.
    pub board: Option<crate::direct::Plan>,
}

/// Kept documents of type `T`, and the hashes of texts seen once.
struct Kept<T> {
    documents: LruCache<Box<str>, Arc<T>>,
    seen: LruCache<u64, ()>,
}

impl<T> Kept<T> {
    fn new(capacity: NonZeroUsize, seen: NonZeroUsize) -> Self {
        Kept {
            documents: LruCache::new(capacity),
            seen: LruCache::new(seen),
        }
    }

    fn get(&mut self, text: &str) -> Option<Arc<T>> {
        self.documents.get(text).cloned()
    }

    /// Keeps `checked` as the document of `text` if `text` was seen before, else remembers
    /// that it was seen.
    fn offer(&mut self, text: &str, checked: &Arc<T>) {
        let mut hasher = DefaultHasher::new();
        text.hash(&mut hasher);
        let hash = hasher.finish();
        if self.seen.pop(&hash).is_some() {
            self.documents.put(text.into(), checked.clone());
        } else {
            self.seen.put(hash, ());
        }
    }
}

static KEPT: LazyLock<Mutex<Kept<Checked>>> =
    LazyLock::new(|| Mutex::new(Kept::new(CAPACITY, SEEN)));

/// The checked document of `text`, if it is kept.
pub(crate) fn get(text: &str) -> Option<Arc<Checked>> {
    KEPT.lock().ok()?.get(text)
}

/// Offers `checked` as the document of `text`: kept from its second check on (if it is not
/// too long to keep).
pub(crate) fn keep(text: &str, checked: Checked) -> Arc<Checked> {
    let checked = Arc::new(checked);
    if text.len() <= LARGEST {
        if let Ok(mut kept) = KEPT.lock() {
            kept.offer(text, &checked);
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;
    use std::sync::Arc;

    use super::Kept;

    fn n(value: usize) -> NonZeroUsize {
        NonZeroUsize::new(value).expect("not zero")
    }

    #[test]
    fn a_document_is_kept_from_its_second_check_and_one_offs_do_not_push_it_out() {
        let mut kept: Kept<&str> = Kept::new(n(4), n(16));
        let board = "query Board { issues { nodes { id } } }";
        kept.offer(board, &Arc::new("board"));
        assert!(kept.get(board).is_none(), "kept at its first check");
        kept.offer(board, &Arc::new("board"));
        assert_eq!(kept.get(board).as_deref(), Some(&"board"));
        // A flood of documents, each sent once.
        for i in 0..10_000 {
            let text = format!("{{ a{i}: issues {{ nodes {{ id }} }} }}");
            kept.offer(&text, &Arc::new("one-off"));
            assert!(kept.get(&text).is_none());
        }
        assert_eq!(kept.get(board).as_deref(), Some(&"board"));
        // Documents sent again are kept, the least recently used leaving first.
        for i in 0..4 {
            let text = format!("{{ b{i} }}");
            kept.offer(&text, &Arc::new("again"));
            kept.offer(&text, &Arc::new("again"));
        }
        assert!(kept.get(board).is_none());
    }
}
