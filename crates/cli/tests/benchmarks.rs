//! The benchmark commands, run small through the real binary: each loads its data, measures
//! every side it compares, checks what it reports on (answers without errors, a gapless and
//! verified log) and prints a JSON report with a figure for every cell. What is asserted is
//! that the measurements happened and were correct, never how fast they were.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/refused.rs"]
mod refused;

use std::process::Command;

use civic_tests::TestDb;
use refused::refused;
use serde_json::Value;

/// `civic bench …` against `db`'s cluster (each benchmark works in scratch databases of its
/// own, which it drops); its JSON report.
fn bench(db: &TestDb, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_civic"))
        .arg("bench")
        .args(args)
        .arg("--json")
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed\n{stdout}\n{stderr}");
    // Nothing of a measurement outlives its scratch database, to reconnect to it once it
    // is dropped.
    assert!(!stderr.contains("does not exist"), "{args:?}\n{stderr}");
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn number(value: &Value, key: &str) -> f64 {
    value[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {value}"))
}

#[tokio::test]
async fn the_gateway_benchmark_measures_every_size_without_an_error() {
    let db = TestDb::empty().await;
    let report = bench(
        &db,
        &[
            "gateway",
            "--issues",
            "300,600",
            "--concurrency",
            "4",
            "--seconds",
            "0.5",
        ],
    );
    let sizes = report.as_array().unwrap();
    assert_eq!(sizes.len(), 2);
    for (size, issues) in sizes.iter().zip([300, 600]) {
        assert_eq!(size["issues"], issues);
        for measure in [
            "dashboard_gateway",
            "dashboard_plain",
            "board_gateway",
            "board_plain",
            "dashboard_at_500_rps",
            "dashboard_alternating",
        ] {
            let m = &size[measure];
            assert_eq!(m["errors"], 0, "{measure}: {m}");
            assert!(number(m, "answered") > 0.0, "{measure}: {m}");
            assert!(number(m, "p99_ms") >= number(m, "p50_ms"), "{measure}: {m}");
        }
        // The admin app's board document is answered without the executor, every page.
        assert_eq!(
            size["board_direct_pages"],
            size["board_gateway"]["answered"]
        );
        for figure in ["ratio", "board_ratio", "extra_ms", "board_extra_ms"] {
            assert!(number(size, figure).is_finite(), "{figure}: {size}");
        }
        // Two slices a side at least, so both ratios have a standard error.
        for figure in ["ratio_error", "board_ratio_error"] {
            let error = number(size, figure);
            assert!(error.is_finite() && error >= 0.0, "{figure}: {size}");
        }
        assert!(number(size, "mutations_per_s") > 0.0, "{size}");
    }
    db.cleanup().await;
}

#[tokio::test]
async fn the_gateway_benchmark_refuses_more_clients_than_the_server_accepts() {
    let db = TestDb::empty().await;
    // A thousand clients for each of two sizes: more than the server's `max_connections`.
    let out = Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(["bench", "gateway", "--issues", "300,600"])
        .args(["--concurrency", "1000", "--json"])
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains("2 sizes at 1000 clients need about")
            && stderr.contains("raise max_connections"),
        "{stderr}"
    );
    // It stopped before loading anything: no progress, no projector was started.
    assert!(!stderr.contains("driving projector"), "{stderr}");
    db.cleanup().await;
}

#[test]
fn the_benchmarks_refuse_counts_of_zero_and_times_that_cannot_be_waited_for() {
    for args in [
        &["bench", "append", "--concurrency", "1,0"][..],
        &["bench", "append", "--batch", "0"],
        &["bench", "append", "--seconds=-1"],
        &["bench", "gateway", "--issues", "300,0"],
        &["bench", "gateway", "--concurrency", "0"],
        &["bench", "gateway", "--seconds", "NaN"],
        &["bench", "projections", "--events", "0"],
        &["bench", "projections", "--seconds", "3601"],
    ] {
        let stderr = refused(args);
        assert!(
            stderr.contains("must be at least 1") || stderr.contains("must be above 0"),
            "{args:?}: {stderr}"
        );
    }
}

#[tokio::test]
async fn the_projection_benchmark_rebuilds_every_projector_and_follows_live_appends() {
    let db = TestDb::empty().await;
    let report = bench(
        &db,
        &[
            "projections",
            "--events",
            "3000",
            "--seconds",
            "0.5",
            "--rebuilds",
            "2",
        ],
    );
    assert!(number(&report, "events") >= 3000.0, "{report}");
    // Every rebuild is reported, and the figures are one of theirs.
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{report}");
    assert!(
        runs.iter()
            .any(|r| r["ratio"] == report["ratio"]
                && r["rebuild_seconds"] == report["rebuild_seconds"]),
        "{report}"
    );
    for figure in ["rebuild_eps", "baseline_scan_eps", "ratio", "floor_ratio"] {
        assert!(number(&report, figure) > 0.0, "{figure}: {report}");
    }
    assert!(number(&report, "floor_rows") > 0.0, "{report}");
    // Each table copied alone: the same rows as side by side, costliest first.
    let tables = report["floor_tables"].as_array().unwrap();
    let rows: f64 = tables.iter().map(|t| t[1].as_f64().unwrap()).sum();
    assert_eq!(rows, number(&report, "floor_rows"), "{report}");
    let seconds: Vec<f64> = tables.iter().map(|t| t[2].as_f64().unwrap()).collect();
    assert!(seconds.windows(2).all(|w| w[0] >= w[1]), "{seconds:?}");
    // Where the rebuild's CPU time went: readings, never negative, and an idle share.
    for figure in ["rebuild_cpu_civic", "rebuild_cpu_rest"] {
        assert!(number(&report, figure) >= 0.0, "{figure}: {report}");
    }
    assert!(
        (0.0..=1.0).contains(&number(&report, "rebuild_idle_share")),
        "{report}"
    );
    // Every projector's time applying, by name.
    let busy = report["busy_seconds"].as_array().unwrap();
    let mut names: Vec<&str> = busy.iter().map(|b| b[0].as_str().unwrap()).collect();
    names.sort_unstable();
    let mut every: Vec<&str> = civic_projections::all_projectors()
        .iter()
        .map(|p| p.name())
        .collect();
    every.sort_unstable();
    assert_eq!(names, every);
    // The rebuild's phases in order, none longer than the rebuild.
    let phases = report["phase_seconds"].as_array().unwrap();
    let phase_names: Vec<&str> = phases.iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(
        phase_names,
        ["prepare", "bulk", "settle", "swap"],
        "{report}"
    );
    let spent: f64 = phases.iter().map(|p| p[1].as_f64().unwrap()).sum();
    assert!(spent <= number(&report, "rebuild_seconds"), "{report}");
    assert!(number(&report, "lag_samples") > 0.0, "{report}");
    db.cleanup().await;
}

#[tokio::test]
async fn the_append_benchmark_measures_every_cell_and_leaves_a_verified_gapless_log() {
    let db = TestDb::empty().await;
    let report = bench(
        &db,
        &[
            "append",
            "--seconds",
            "0.3",
            "--batch",
            "1,10",
            "--concurrency",
            "1,4",
        ],
    );
    assert_eq!(report["chain_verified"], true, "{report}");
    assert_eq!(report["gapless"], true, "{report}");
    assert!(number(&report, "events_appended") > 0.0, "{report}");
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4, "{report}");
    for run in runs {
        for side in ["store_eps", "baseline_eps", "ordered_baseline_eps"] {
            assert!(run[side].as_f64().unwrap() > 0.0, "{side}: {run}");
        }
        assert!(run["ordered_ratio"].as_f64().unwrap().is_finite(), "{run}");
        // Two slices a side at least, so every ratio has a standard error.
        for name in ["ratio_error", "ordered_ratio_error"] {
            let error = number(run, name);
            assert!(error.is_finite() && error >= 0.0, "{name}: {run}");
        }
    }
    db.cleanup().await;
}
