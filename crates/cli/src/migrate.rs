use std::process::ExitCode;

use crate::database::Database;

pub async fn run(db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&db.pool)
        .await?;
    println!("migrations applied: {applied}");
    Ok(ExitCode::SUCCESS)
}
