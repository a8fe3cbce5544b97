/// mimalloc: the token endpoint allocates many small short-lived buffers
/// (rows, JSON, JWTs); see docs/benchmarks.md for what it changed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    latchkey::cli::main()
}
