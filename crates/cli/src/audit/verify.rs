use std::process::ExitCode;

use civic_store::verify::{verify_log, VerifyError};

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
}

pub async fn run(args: VerifyArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let (head, _) = civic_store::read_head(&db.pool).await?;
    let last = args.to.unwrap_or(head).min(head);
    let total = u64::try_from(last - args.from.max(1) + 1).unwrap_or(0);
    let bar = progress::bar(total, "verifying");
    let outcome = verify_log(&db.pool, args.from, args.to, |checked| {
        bar.set_position(checked)
    })
    .await;
    bar.finish_and_clear();
    match outcome {
        Ok(report) => {
            println!("events checked: {}", report.checked);
            println!("head position:  {}", report.last_position);
            println!("head hash:      {}", hex::encode(report.last_hash));
            println!("chain: OK");
            Ok(ExitCode::SUCCESS)
        }
        Err(VerifyError::Broken(error)) => {
            println!("chain: BROKEN");
            println!("{error}");
            Ok(ExitCode::FAILURE)
        }
        Err(VerifyError::Store(error)) => Err(error.into()),
    }
}
