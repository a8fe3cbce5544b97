#!/usr/bin/env bash
# Sign-in throughput vs raw argon2id on this machine. Extra arguments go to
# the bench, e.g. --seconds 20 --concurrency 8 --database-url postgres://...
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p latchkey
exec cargo bench -p latchkey-bench --bench signin -- --latchkey "$PWD/target/release/latchkey" "$@"
