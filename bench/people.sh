#!/usr/bin/env bash
# The administrators' list of people with 100,000 people on SQLite: first
# page, a deep page and searches against the account page, on the release
# binary. Extra arguments go to the bench, e.g. --people 100000 --rounds 50
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p latchkey
exec cargo bench -p latchkey-bench --bench people -- --latchkey "$PWD/target/release/latchkey" "$@"
