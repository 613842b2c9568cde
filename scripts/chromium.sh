#!/usr/bin/env bash
# Make sure a headless Chromium is there for the browser tests (tests/reporters/test_html_browser.py
# opens the HTML report in it). Idempotent: when `chromium` is on PATH (or $PDSCAN_CHROMIUM names a
# browser) nothing is done; otherwise Debian's `chromium` package is installed with apt-get, as
# scripts/dbservers.sh installs the database servers (as root directly, else with sudo).
#
#   bash scripts/chromium.sh     # prints the browser's path (progress goes to stderr)
#
# Where apt-get is missing or fails, this says so and exits 0: the browser tests then skip with
# the reason, and the rest of the suite runs.
set -euo pipefail

T0=$SECONDS
log() { printf '[chromium %4ds] %s\n' "$((SECONDS - T0))" "$*" >&2; }

find_browser() {
  if [ -n "${PDSCAN_CHROMIUM:-}" ] && [ -x "$PDSCAN_CHROMIUM" ]; then echo "$PDSCAN_CHROMIUM"; return 0; fi
  command -v chromium || command -v chromium-browser || return 1
}

if browser=$(find_browser); then
  log "found $browser"
  echo "$browser"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  log "chromium is missing and apt-get is not available: the browser tests will be skipped"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null; then
    log "chromium is missing and installing it needs root (no sudo): the browser tests will be skipped"
    exit 0
  fi
  SUDO="sudo"
fi

log "installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
APTLOG=$(mktemp)
if { $SUDO apt-get update -qq &&
     $SUDO apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends chromium fonts-dejavu-core; } \
     >"$APTLOG" 2>&1; then
  rm -f "$APTLOG"
else
  tail -n 20 "$APTLOG" >&2
  log "apt-get failed (log: $APTLOG): the browser tests will be skipped"
  exit 0
fi
if browser=$(find_browser); then
  log "installed $browser"
  echo "$browser"
else
  log "apt-get succeeded but no chromium on PATH: the browser tests will be skipped"
fi
