mod authorization;
mod concurrency;
mod replay;
mod story;
