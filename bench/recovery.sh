#!/usr/bin/env bash
# Self-recovery's timing class: a start and a wrong code for real, unknown,
# disabled and excluded names, on the release binary. Extra arguments go to
# the bench, e.g. --rounds 100 --database-url postgres://...
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p latchkey
exec cargo bench -p latchkey-bench --bench recovery -- --latchkey "$PWD/target/release/latchkey" "$@"
