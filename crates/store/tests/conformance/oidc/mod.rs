mod clients;
mod grants;
