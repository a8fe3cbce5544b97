mod cases;
mod completion;
