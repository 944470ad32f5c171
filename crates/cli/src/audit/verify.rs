use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use civic_store::chain::GENESIS;
use civic_store::verify::{verify_log, ChainBreak, ChainVerifier, VerifyError, VerifyReport};
use civic_store::RecordedEvent;

use super::checkpoint::Checkpoint;
use crate::database::Database;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// First position to verify (the hash before it is taken from the log).
    #[arg(long, default_value_t = 1)]
    from: i64,
    /// Last position to verify (default: the head).
    #[arg(long)]
    to: Option<i64>,
    /// A signed checkpoint: prove the log still holds exactly the prefix it names.
    #[arg(long, conflicts_with = "file")]
    checkpoint: Option<PathBuf>,
    /// Verify a JSONL export instead of the database (no database needed).
    #[arg(long)]
    file: Option<PathBuf>,
}

impl VerifyArgs {
    pub fn is_offline(&self) -> bool {
        self.file.is_some()
    }
}

fn ok(report: &VerifyReport) -> ExitCode {
    println!("events checked: {}", report.checked);
    println!("head position:  {}", report.last_position);
    println!("head hash:      {}", hex::encode(report.last_hash));
    println!("chain: OK");
    ExitCode::SUCCESS
}

fn broken(error: &ChainBreak) -> ExitCode {
    println!("chain: BROKEN");
    println!("{error}");
    ExitCode::FAILURE
}

pub async fn run(args: VerifyArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let (head, _) = civic_store::read_head(&db.pool).await?;
    let checkpoint = args
        .checkpoint
        .as_deref()
        .map(Checkpoint::read)
        .transpose()?;
    if let Some(c) = &checkpoint {
        c.check_signature()?;
        println!(
            "checkpoint: position {} signed by {} at {}",
            c.position, c.public_key, c.taken_at
        );
    }
    let last = args.to.unwrap_or(head).min(head);
    let total = u64::try_from(last - args.from.max(1) + 1).unwrap_or(0);
    let bar = progress::bar(total, "verifying");
    let outcome = verify_log(&db.pool, args.from, args.to, |checked| {
        bar.set_position(checked)
    })
    .await;
    bar.finish_and_clear();
    let report = match outcome {
        Ok(report) => report,
        Err(VerifyError::Broken(error)) => {
            record(db, false, &error.to_string()).await;
            return Ok(broken(&error));
        }
        Err(VerifyError::Store(error)) => return Err(error.into()),
    };
    if let Some(c) = checkpoint {
        // The checkpoint's event must still be there with the same hash: every event before
        // it is then fixed by the chain.
        let at = civic_store::read_log(&db.pool, c.position - 1, 1, &Default::default()).await?;
        let error = match at.first() {
            Some(e) if e.position == c.position && hex::encode(e.hash) == c.hash => None,
            Some(e) if e.position == c.position => Some(ChainBreak::HashMismatch {
                position: c.position,
                stream_id: e.stream_id.clone(),
            }),
            other => Some(ChainBreak::Missing {
                position: c.position,
                found: other.map_or(0, |e| e.position),
            }),
        };
        if let Some(error) = error {
            println!("the log no longer holds the checkpoint's prefix");
            record(db, false, &error.to_string()).await;
            return Ok(broken(&error));
        }
        println!("checkpoint prefix: intact");
    }
    record(db, true, "chain verified").await;
    Ok(ok(&report))
}

/// Keeps the outcome for the auditors' integrity status (a failure to record is only logged).
async fn record(db: &Database, passed: bool, message: &str) {
    let head = civic_store::read_head(&db.pool)
        .await
        .map(|h| h.0)
        .unwrap_or(0);
    if let Err(error) =
        civic_store::verify::record_verification(&db.pool, head, passed, message).await
    {
        tracing::warn!(%error, "could not record the verification");
    }
}

/// Verifies a JSONL export on its own.
pub fn run_file(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let Some(path) = args.file else {
        anyhow::bail!("--file is required")
    };
    let file = std::fs::File::open(&path)
        .map_err(|e| anyhow::anyhow!("failed to open {}: {e}", path.display()))?;
    let mut verifier: Option<ChainVerifier> = None;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let event: RecordedEvent = serde_json::from_str(&line)
            .map_err(|e| anyhow::anyhow!("line {}: not an exported event: {e}", n + 1))?;
        match &mut verifier {
            Some(v) => {
                if let Err(error) = v.check(&event) {
                    return Ok(broken(&error));
                }
            }
            None if event.position == 1 => {
                let mut v = ChainVerifier::new(1, GENESIS);
                if let Err(error) = v.check(&event) {
                    return Ok(broken(&error));
                }
                verifier = Some(v);
            }
            None => {
                // An export that starts later is anchored on its first event's stored hash.
                println!(
                    "export starts at position {}: its first hash is taken as given",
                    event.position
                );
                verifier = Some(ChainVerifier::new(event.position + 1, event.hash));
            }
        }
    }
    match verifier {
        Some(v) => Ok(ok(&v.report())),
        None => anyhow::bail!("{} holds no events", path.display()),
    }
}
