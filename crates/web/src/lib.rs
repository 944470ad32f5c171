//! The admin app's static files, built from `web/` and embedded: `index.html` (the app),
//! `graphiql.html` (GraphiQL) and the hashed bundles under `assets/`.

use std::borrow::Cow;

#[derive(rust_embed::RustEmbed)]
#[folder = "$OUT_DIR/dist"]
struct Files;

/// An embedded file.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its bytes.
    pub bytes: Cow<'static, [u8]>,
    /// Its media type, from its extension.
    pub mime: String,
}

/// The file at `path` (relative, e.g. `assets/main-abc.js`), if the app has it.
pub fn get(path: &str) -> Option<Asset> {
    Files::get(path).map(|file| Asset {
        mime: file.metadata.mimetype().to_owned(),
        bytes: file.data,
    })
}

/// Whether the app was built (false: only the page that says how to build it).
pub fn built() -> bool {
    Files::get("graphiql.html").is_some()
}
