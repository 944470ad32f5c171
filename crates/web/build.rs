//! Builds the admin app (`web/`) into `$OUT_DIR/dist`, which `civic-web` embeds.
//!
//! With Node.js and npm on the machine it installs the npm dependencies when
//! `package-lock.json` is newer than the installed tree (`npm ci`), then runs Vite. Cargo
//! runs this again only when the app's sources change. Without npm the binary still builds:
//! the embedded page says how to build the app. A failing app build fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const SOURCES: &[&str] = &[
    "src",
    "index.html",
    "graphiql.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("../../web");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("dist");
    for source in SOURCES {
        println!("cargo:rerun-if-changed={}", web.join(source).display());
    }
    println!("cargo:rerun-if-env-changed=CIVIC_WEB_NPM");
    let npm = std::env::var("CIVIC_WEB_NPM").unwrap_or_else(|_| "npm".into());
    if !works(&npm) {
        println!("cargo:warning=npm was not found: the binary serves a page that says how to build the admin app");
        placeholder(&out);
        return;
    }
    let installed = web.join("node_modules/.package-lock.json");
    if modified(&installed) < modified(&web.join("package-lock.json")) {
        run(Command::new(&npm)
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&web));
    }
    run(Command::new(&npm)
        .args([
            "exec",
            "--",
            "vite",
            "build",
            "--logLevel",
            "warn",
            "--outDir",
        ])
        .arg(&out)
        .current_dir(&web));
}

fn works(npm: &str) -> bool {
    Command::new(npm)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

fn run(command: &mut Command) {
    let status = command.status().expect("npm could not be started");
    assert!(
        status.success(),
        "building the admin app failed: {command:?}"
    );
}

fn placeholder(out: &Path) {
    std::fs::create_dir_all(out).expect("OUT_DIR is writable");
    std::fs::write(
        out.join("index.html"),
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>社区治理台账</title>\
         <body><h1>管理界面尚未构建 · The admin app was not built</h1>\
         <p>安装 Node.js 20 与 npm 后重新构建：<code>cargo build --release</code></p>\
         <p>Install Node.js 20 and npm, then build again: <code>cargo build --release</code>.</p>\
         <p>GraphQL: <code>POST /graphql</code></p></body></html>",
    )
    .expect("OUT_DIR is writable");
}
