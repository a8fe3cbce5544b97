mod email;
mod sessions;
mod users;
