//! Arguments the real binary must refuse while it reads them.

// Each test binary includes this file and uses only part of it.
#![allow(dead_code)]

use std::process::Command;

/// Runs `civic` with `args` and a database nothing listens on, asserts that it exits with
/// clap's usage status (2) before opening any database, and returns its standard error.
pub fn refused(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(args)
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    stderr
}

/// Asserts that `civic <command> <flag> <value>` is refused as an invalid value of `flag`
/// ([`refused`]), for each of `values`.
pub fn refused_values(command: &str, flag: &str, values: &[&str]) {
    for value in values {
        let stderr = refused(&[command, flag, value]);
        assert!(
            stderr.contains("invalid value") && stderr.contains(flag),
            "{flag} {value}: {stderr}"
        );
    }
}
