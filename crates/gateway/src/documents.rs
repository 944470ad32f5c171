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

static KEPT: LazyLock<Mutex<LruCache<Box<str>, Arc<Checked>>>> =
    LazyLock::new(|| Mutex::new(LruCache::new(CAPACITY)));

/// The checked document of `text`, if it is kept.
pub(crate) fn get(text: &str) -> Option<Arc<Checked>> {
    KEPT.lock().ok()?.get(text).cloned()
}

/// Keeps `checked` as the document of `text` (if it is not too long to keep).
pub(crate) fn keep(text: &str, checked: Checked) -> Arc<Checked> {
    let checked = Arc::new(checked);
    if text.len() <= LARGEST {
        if let Ok(mut kept) = KEPT.lock() {
            kept.put(text.into(), checked.clone());
        }
    }
    checked
}
