# Civic Ledger: every recipe is a command the README documents.

# List the recipes.
default:
    @just --list

# Run the service with demo data (embedded PostgreSQL unless DATABASE_URL is set).
run:
    cargo run --release --bin civic -- serve --demo

# Run every test.
test:
    cargo test --workspace

# What CI runs: format, lints, tests.
ci:
    bash .ci/run

# Measure appends against plain INSERTs.
bench-append:
    cargo run --release --bin civic -- bench append

# Measure a full rebuild against a sequential scan, and live lag.
bench-projections:
    cargo run --release --bin civic -- bench projections

# Measure the gateway against a plain axum handler.
bench-gateway:
    cargo run --release --bin civic -- bench gateway

# Verify the hash chain.
verify:
    cargo run --release --bin civic -- audit verify

# Measure the admin app: JavaScript per screen and sign-in to data on screen.
budget-web:
    cargo build --bin civic
    npm --prefix web run budget
