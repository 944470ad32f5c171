mod exactly_once;
mod rebuild;
mod wait;
