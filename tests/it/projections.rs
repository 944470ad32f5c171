mod exactly_once;
mod rebuild;
mod replay;
mod wait;
