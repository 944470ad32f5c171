use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use civic_store::export;
use civic_store::LogFilter;

use crate::database::Database;
use crate::progress;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON event a line; verifiable on its own by `civic audit verify --file`.
    Jsonl,
    /// Comma-separated, payload as JSON text.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// First position.
    #[arg(long, default_value_t = 1)]
    from: i64,
    /// Last position.
    #[arg(long)]
    to: Option<i64>,
    /// Only this stream.
    #[arg(long)]
    stream: Option<String>,
    /// Only this actor.
    #[arg(long)]
    actor: Option<String>,
    /// Only this event type.
    #[arg(long = "type")]
    event_type: Option<String>,
    /// Write here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

const PAGE: i64 = 5_000;

pub async fn run(args: ExportArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let head = civic_store::read_head(&db.pool).await?.0;
    let filter = LogFilter {
        stream_id: args.stream.clone(),
        actor_id: args.actor.clone(),
        event_type: args.event_type.clone(),
        to_position: args.to,
        recorded_until: None,
        positions: None,
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // The csv crate quotes and escapes every field.
    let mut csv = match args.format {
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(export::CSV_HEADER)?;
            out = Box::new(std::io::sink());
            Some(csv)
        }
        Format::Jsonl => None,
    };
    let bar = progress::bar(
        u64::try_from(args.to.unwrap_or(head).min(head)).unwrap_or(0),
        "exporting",
    );
    let mut after = args.from.max(1) - 1;
    let mut written = 0u64;
    loop {
        let page = civic_store::read_log(&db.pool, after, PAGE, &filter).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        for event in &page {
            match csv.as_mut() {
                None => writeln!(out, "{}", export::jsonl_line(event)?)?,
                Some(csv) => csv.write_record(export::csv_row(event))?,
            }
        }

        written += page.len() as u64;
        after = last;
        bar.set_position(u64::try_from(last).unwrap_or(0));
    }
    match csv.as_mut() {
        Some(csv) => csv.flush()?,
        None => out.flush()?,
    }
    bar.finish_and_clear();
    eprintln!("exported {written} events");
    Ok(ExitCode::SUCCESS)
}
