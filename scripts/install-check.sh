#!/usr/bin/env bash
# install-check.sh: prove that `go install github.com/rotation-dev/rotation@VERSION`
# works as it does for a user, from a module proxy on disk built from this
# checkout's HEAD: the .info, .mod and .zip that `go mod download` would
# fetch, under a pseudo-version of the commit. It installs from an empty
# directory with GOFLAGS clear, then runs the binary's --version, which must
# name that version. The Go module cache serves the dependencies, falling
# back to the usual proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
module=github.com/rotation-dev/rotation

# go install refuses a module whose go.mod replaces or excludes anything.
if grep -nE '^[[:space:]]*(replace|exclude)\b' go.mod; then
  echo "go.mod holds a replace or exclude directive: 'go install $module@latest' would refuse it"
  exit 1
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
stamp=$(TZ=UTC git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd)
version=v0.0.0-$stamp-$(git rev-parse --short=12 HEAD)
at="$work/proxy/$module/@v"
mkdir -p "$at"
echo "$version" >"$at/list"
printf '{"Version":"%s","Time":"%s"}\n' "$version" \
  "$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd)" >"$at/$version.info"
git show HEAD:go.mod >"$at/$version.mod"
git archive --format=zip --prefix="$module@$version/" -o "$at/$version.zip" HEAD

mkdir "$work/empty"
cd "$work/empty"
env GOFLAGS= GOBIN="$work/bin" GOMODCACHE="$work/modcache" GONOSUMDB="$module" \
  GOPROXY="file://$work/proxy,file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
  go install "$module@$version"
got=$("$work/bin/rotation" --version)
echo "$got"
case "$got" in
  "rotation $version "*) echo "go install $module@$version: ok" ;;
  *) echo "the installed binary says '$got', not version $version"; exit 1 ;;
esac
