//! The admin app (`web/`) in a real browser: Playwright drives Debian's Chromium against a
//! real `civic serve --demo` per journey (see `web/e2e/`). Also the app's own checks: its
//! GraphQL types match `schema.graphql`, it type-checks, and its unit tests pass.
//!
//! Chromium is installed from Debian's packages when it is missing and this runs as root;
//! otherwise the test fails and says how to get it. Nothing here is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

/// One npm install at a time (tests of this file run in parallel).
static NPM: Mutex<()> = Mutex::new(());

fn npm(args: &[&str]) -> Command {
    let _ = Command::new("npm").arg("--version").output().unwrap_or_else(|_| {
        panic!("the admin app's tests need Node.js 20 and npm (Debian: apt-get install nodejs npm)")
    });
    let guard = NPM.lock().unwrap_or_else(|e| e.into_inner());
    let lock = web().join("package-lock.json");
    let installed = web().join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed) < modified(&lock) {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(web()));
    }
    drop(guard);
    let mut command = Command::new("npm");
    command.args(args).current_dir(web());
    command
}

fn run(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("{command:?} could not start: {e}"));
    assert!(status.success(), "{command:?} failed: {status}");
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// Debian's Chromium (and CJK fonts, so that screenshots show the Chinese text).
fn chromium() -> String {
    let path = std::env::var("CIVIC_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let missing: Vec<&str> = ["chromium", "fonts-noto-cjk"]
        .into_iter()
        .filter(|p| !installed(p))
        .collect();
    if !Path::new(&path).exists() || (!missing.is_empty() && root) {
        assert!(
            root,
            "the browser tests need Debian's Chromium at {path}: run `sudo apt-get install chromium fonts-noto-cjk` (or set CIVIC_CHROMIUM)"
        );
        run(Command::new("apt-get").args(["update", "-qq"]));
        run(Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"));
    }
    path
}

#[test]
fn the_apps_graphql_types_match_the_schema_and_type_check() {
    run(&mut npm(&["run", "--silent", "codegen:check"]));
    run(&mut npm(&["run", "--silent", "typecheck"]));
}

#[test]
fn the_apps_unit_tests_pass() {
    run(&mut npm(&["test", "--silent"]));
}

#[test]
fn every_user_journey_in_a_real_browser() {
    let chromium = chromium();
    run(npm(&["exec", "--", "playwright", "test"])
        .env("CIVIC_BIN", env!("CARGO_BIN_EXE_civic"))
        .env("CIVIC_CHROMIUM", chromium));
}
