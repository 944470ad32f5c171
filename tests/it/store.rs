mod append;
mod embedded;
mod integrity;
mod order;
mod subscribe;
