mod exactly_once;
mod reads;
mod rebuild;
mod replay;
mod wait;
