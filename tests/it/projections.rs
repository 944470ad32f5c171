mod exactly_once;
mod happened;
mod issue_rows;
mod reads;
mod rebuild;
mod replay;
mod wait;
