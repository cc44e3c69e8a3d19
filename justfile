# Developer shortcuts. The README's two commands need none of these.

pg := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

# Start Watchpost on the embedded database with demo data.
run:
    go run .

# Run the tests (PostgreSQL and browser tests skip when their tools are missing).
test:
    go test ./...

# Run the tests with PostgreSQL and Chromium required, as CI does.
test-pg:
    WATCHPOST_TEST_POSTGRES_URL="{{pg}}" WATCHPOST_REQUIRE_ALL=1 go test -race -count=1 ./...

# Regenerate templ components and the vendored htmx.
generate:
    go tool templ generate
    go generate ./assets

# Browser tests only, screenshots in ./screenshots.
e2e:
    WATCHPOST_REQUIRE_ALL=1 WATCHPOST_SCREENSHOTS="$PWD/screenshots" go test -count=1 -v ./e2e/

# Benchmarks.
bench:
    go test -run '^$' -bench . -benchtime 2s ./...

# What CI runs.
ci:
    bash .ci/run
