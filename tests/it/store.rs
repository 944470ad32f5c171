mod append;
mod before_command_marks;
mod copy_read;
mod embedded;
mod integrity;
mod order;
mod subscribe;
