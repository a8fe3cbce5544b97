#!/usr/bin/env bash
# Token endpoint throughput (refresh with rotation, client credentials) vs
# ES256 signing on this machine. Extra arguments go to the bench, e.g.
# --seconds 20 --concurrency 16 --rate 3000 --database-url postgres://...
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p latchkey
# The baseline: node oidc-provider under the same load (skipped without npm).
if [ ! -d bench/node/node_modules ] && command -v npm >/dev/null; then npm ci --prefix bench/node; fi
exec cargo bench -p latchkey-bench --bench token -- --latchkey "$PWD/target/release/latchkey" "$@"
