mod append;
mod before_command_marks;
mod embedded;
mod integrity;
mod order;
mod subscribe;
