mod exactly_once;
mod happened;
mod reads;
mod rebuild;
mod replay;
mod wait;
