#!/usr/bin/env bash
# The README's test command: on a fresh machine it installs pdscan (non-editable, as users get it)
# with its test dependencies into .venv, starts real PostgreSQL and MariaDB servers loaded with the
# shared Chinook and Northwind dumps, and runs the whole test suite against the installed package.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -m "not db"`).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${PDSCAN_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ".[test,db]"

if [ "${PDSCAN_SKIP_DB_TESTS:-0}" != "1" ]; then
  PATH="$PWD/$VENV/bin:$PATH" bash scripts/dbservers.sh
  set -a
  # shellcheck disable=SC1091
  . "${PDSCAN_DB_DIR:-/tmp/pdscan-dbs}/urls.env"
  set +a
fi

# The installed pdscan is what is tested: run pytest from the venv, not `python -m pytest`,
# which would put the checkout (with no built catalog package) first on sys.path.
exec "$VENV/bin/pytest" "$@"
