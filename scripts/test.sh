#!/usr/bin/env bash
# The README's test command: on a fresh machine it installs pdscan (non-editable, as users get it)
# with its test dependencies into .venv, starts real PostgreSQL and MariaDB servers loaded with the
# Chinook and Northwind excerpts in tests/data/db/, and runs the whole test suite against the
# installed package. It also installs headless Chromium (Debian's package, scripts/chromium.sh) for
# the browser tests of the HTML report, and Azurite (npm, into a cache directory: scripts/azurite.sh) for
# the abfs:// tests. It needs nothing beside the checkout. Extra arguments go to
# pytest; with `-m "not db"` (or PDSCAN_SKIP_DB_TESTS=1) the database servers are not started, with
# `-m "not browser"` (or PDSCAN_SKIP_BROWSER_TESTS=1) Chromium is not installed, with PDSCAN_SKIP_AZURITE=1
# Azurite is not.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${PDSCAN_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ".[test]"

# Are the tests marked $1 deselected (`-m "not db"`, alone or joined by `and`)? Then no servers.
deselects() {
  local wanted=$1 marker="" arg part
  shift
  while [ $# -gt 0 ]; do
    arg=$1; shift
    case $arg in
      -m) marker=${1:-}; shift || true ;;
      -m*) marker=${arg#-m} ;;
    esac
  done
  while read -r part; do
    [ "$(echo "$part" | xargs)" = "not $wanted" ] && return 0
  done < <(echo "$marker" | sed 's/ and /\n/g')
  return 1
}

if [ "${PDSCAN_SKIP_DB_TESTS:-0}" != "1" ] && ! deselects db "$@"; then
  PATH="$PWD/$VENV/bin:$PATH" bash scripts/dbservers.sh
  set -a
  # shellcheck disable=SC1091
  . "${PDSCAN_DB_DIR:-/tmp/pdscan-dbs}/urls.env"
  set +a
fi

if [ "${PDSCAN_SKIP_BROWSER_TESTS:-0}" != "1" ] && ! deselects browser "$@"; then
  bash scripts/chromium.sh >/dev/null   # idempotent; where it cannot install, the browser tests skip
fi

if [ "${PDSCAN_SKIP_AZURITE:-0}" != "1" ]; then
  bash scripts/azurite.sh >/dev/null   # idempotent, cached; without npm the abfs:// tests skip (fail under CI=true)
fi

# The installed pdscan is what is tested: run pytest from the venv, not `python -m pytest`,
# which would put the checkout (with no built catalog package) first on sys.path.
exec "$VENV/bin/pytest" "$@"
