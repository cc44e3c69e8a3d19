#!/bin/sh
# Fetches the pinned axe-core build (MPL-2.0, kept unmodified with its notice; the source
# is the npm package) for the accessibility browser test, checks its published integrity
# and writes it here. The result is committed; run by hand to update.
set -eu
VERSION=4.14.1
INTEGRITY=sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$VERSION" >/dev/null)
got="sha512-$(openssl dgst -sha512 -binary "$tmp/axe-core-$VERSION.tgz" | base64 -w0)"
[ "$got" = "$INTEGRITY" ] || { echo "axe-core@$VERSION integrity mismatch: $got" >&2; exit 1; }
tar -xzf "$tmp/axe-core-$VERSION.tgz" -C "$tmp"
cp "$tmp/package/axe.min.js" axe.min.js
cp "$tmp/package/LICENSE" axe-core-LICENSE
echo "vendored axe-core@$VERSION"
