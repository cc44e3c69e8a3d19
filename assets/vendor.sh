#!/bin/sh
# Fetches the pinned htmx build from the npm registry, checks its published integrity and
# writes it to vendor/. Run through `go generate ./assets`; the result is committed.
set -eu
VERSION=2.0.11
INTEGRITY=sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$VERSION" >/dev/null)
got="sha512-$(openssl dgst -sha512 -binary "$tmp/htmx.org-$VERSION.tgz" | base64 -w0)"
[ "$got" = "$INTEGRITY" ] || { echo "htmx.org@$VERSION integrity mismatch: $got" >&2; exit 1; }
tar -xzf "$tmp/htmx.org-$VERSION.tgz" -C "$tmp"
mkdir -p vendor
cp "$tmp/package/dist/htmx.min.js" vendor/htmx.min.js
echo "vendored htmx.org@$VERSION"
