#!/usr/bin/env bash
# Make sure Azurite (Microsoft's Azure Storage emulator, npm package `azurite`) is there for the abfs://
# tests (tests/sources/test_remote.py starts its blob service on a loopback port). Idempotent: when
# $PDSCAN_AZURITE names an azurite-blob executable, or the cache already holds one, nothing is done;
# otherwise the pinned version is installed with npm into the cache directory
# ($PDSCAN_AZURITE_DIR, default ~/.cache/pdscan/azurite), where tests/emulators.py looks for it.
#
#   bash scripts/azurite.sh     # prints the path of azurite-blob (progress goes to stderr)
#
# Where npm is missing or fails, this says so and exits 0: the abfs:// tests then skip with the
# reason on a developer's machine, and fail in CI (CI=true), where they must run.
set -euo pipefail

VERSION=${PDSCAN_AZURITE_VERSION:-3.35.0}
DIR=${PDSCAN_AZURITE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pdscan/azurite}
BIN="$DIR/node_modules/.bin/azurite-blob"
T0=$SECONDS
log() { printf '[azurite %4ds] %s\n' "$((SECONDS - T0))" "$*" >&2; }

if [ -n "${PDSCAN_AZURITE:-}" ] && [ -x "$PDSCAN_AZURITE" ]; then
  log "found $PDSCAN_AZURITE"
  echo "$PDSCAN_AZURITE"
  exit 0
fi
# The version is part of what is cached: a bumped pin installs anew.
if [ -x "$BIN" ] && [ "$(cat "$DIR/.version" 2>/dev/null)" = "$VERSION" ]; then
  log "found $BIN ($VERSION)"
  echo "$BIN"
  exit 0
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  # Debian's Node.js where this machine has none and apt-get can install it (CI starts empty).
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "node or npm is missing: installing Debian's nodejs and npm with apt-get"
    APTLOG=$(mktemp)
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$APTLOG" 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends nodejs npm \
         >>"$APTLOG" 2>&1; then
      rm -f "$APTLOG"
    else
      tail -n 20 "$APTLOG" >&2
      log "apt-get failed (log: $APTLOG)"
    fi
  fi
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    log "node or npm is missing: the abfs:// tests will be skipped (and fail under CI=true)"
    exit 0
  fi
fi

log "installing azurite@$VERSION with npm into $DIR"
mkdir -p "$DIR"
NPMLOG=$(mktemp)
if npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "azurite@$VERSION" >"$NPMLOG" 2>&1 \
   && [ -x "$BIN" ]; then
  rm -f "$NPMLOG"
  echo "$VERSION" >"$DIR/.version"
  log "installed $BIN"
  echo "$BIN"
else
  tail -n 20 "$NPMLOG" >&2
  log "npm install failed (log: $NPMLOG): the abfs:// tests will be skipped (and fail under CI=true)"
fi
