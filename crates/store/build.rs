//! `sqlx::migrate!` embeds the migrations when this crate compiles; without this, a migration
//! added to `migrations/` would not rebuild the crate, and binaries would run without it.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
