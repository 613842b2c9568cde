#!/usr/bin/env bash
# Start throwaway PostgreSQL (127.0.0.1:55432) and MariaDB (127.0.0.1:53306) servers for pdscan's
# database tests, each with databases `chinook` and `northwind` loaded from the excerpts in
# tests/data/db/ (so a plain clone needs nothing beside it) and a user pdscan / pdscan-test-pw (plus
# pdscan_ro, SELECT only, same password). PostgreSQL gets the tables in snake_case, MariaDB with
# the SQLite names (see scripts/load_test_db.py).
#
#   bash scripts/dbservers.sh         # install if needed, init, start, load; idempotent
#   bash scripts/dbservers.sh stop    # stop both servers (data is kept)
#
# Data, sockets and logs live in $PDSCAN_DB_DIR (default /tmp/pdscan-dbs); delete it for a cold
# start. The URLs are printed and written to $PDSCAN_DB_DIR/urls.env (KEY=VALUE lines that
# `set -a; . urls.env` exports). Needs no systemd: servers are started with pg_ctl and mariadbd.
# As root, PostgreSQL runs as the `postgres` user and MariaDB as `mysql`; as another user, as that
# user (then the apt step needs sudo). The loader needs python3 with sqlalchemy, pymysql and psycopg
# ($PYTHON picks the interpreter; they are pip-installed if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB_DIR=${PDSCAN_DB_DIR:-/tmp/pdscan-dbs}
DATA=$ROOT/tests/data/db
PG_PORT=${PDSCAN_PG_PORT:-55432}
MY_PORT=${PDSCAN_MYSQL_PORT:-53306}
DB_USER=pdscan
DB_PW=pdscan-test-pw
RO_USER=pdscan_ro
PYTHON=${PYTHON:-python3}

PGDATA=$DB_DIR/pg
PGSOCK=$DB_DIR/pgsock
MYDATA=$DB_DIR/mysql
MYRUN=$DB_DIR/mysqlrun            # socket, pid file and error log (writable by the server user)
MYSOCK=$MYRUN/mysql.sock
MYPID=$MYRUN/mysql.pid
MYERR=$MYRUN/mysql.err
URLS=$DB_DIR/urls.env

T0=$SECONDS
log() { printf '[dbservers %4ds] %s\n' "$((SECONDS - T0))" "$*"; }
die() { printf 'dbservers: %s\n' "$*" >&2; exit 1; }

IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
# Run a command as the service user (initdb and postgres refuse to run as root).
as_user() { # as_user USER CMD...
  local u=$1; shift
  if [ "$IS_ROOT" = 1 ]; then (cd / && runuser -u "$u" -- "$@"); else "$@"; fi
}

pg_bin() { # newest installed PostgreSQL's bin dir
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}
my_bin() { # first of the names that exists (Debian ships both mariadb* and mysql* names)
  local n
  for n in "$@"; do
    for p in "/usr/sbin/$n" "/usr/bin/$n"; do [ -x "$p" ] && { echo "$p"; return 0; }; done
  done
  return 1
}

pg_running() { [ -f "$PGDATA/PG_VERSION" ] && as_user postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
my_running() { [ -S "$MYSOCK" ] && "$MYADMIN" --no-defaults --socket="$MYSOCK" -uroot ping >/dev/null 2>&1; }

find_bins() {
  PGBIN=$(pg_bin || true)
  MYSQLD=$(my_bin mariadbd mysqld || true)
  MYINSTALL=$(my_bin mariadb-install-db mysql_install_db || true)
  MYADMIN=$(my_bin mariadb-admin mysqladmin || true)
  MYCLI=$(my_bin mariadb mysql || true)
}

stop_all() {
  find_bins
  if [ -n "$PGBIN" ] && pg_running; then
    as_user postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && log "PostgreSQL stopped"
  else
    log "PostgreSQL not running"
  fi
  if [ -n "$MYADMIN" ] && my_running; then
    "$MYADMIN" --no-defaults --socket="$MYSOCK" -uroot shutdown
    for _ in $(seq 60); do [ -e "$MYPID" ] || break; sleep 0.5; done
    log "MariaDB stopped"
  else
    log "MariaDB not running"
  fi
}

if [ "${1:-start}" = stop ]; then stop_all; exit 0; fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

for f in chinook.sql northwind.sql; do [ -r "$DATA/$f" ] || die "missing $DATA/$f"; done

# ---------------------------------------------------------------- install
find_bins
if [ -z "$PGBIN" ] || [ -z "$MYSQLD" ] || [ -z "$MYINSTALL" ] || [ -z "$MYCLI" ] || ! command -v psql >/dev/null; then
  SUDO=""; [ "$IS_ROOT" = 1 ] || SUDO="sudo"
  log "installing postgresql and mariadb-server with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  APTLOG=$(mktemp)
  { $SUDO apt-get update -qq &&
    $SUDO apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends \
      postgresql mariadb-server mariadb-client; } >"$APTLOG" 2>&1 \
    || { tail -n 30 "$APTLOG" >&2; die "apt-get failed (log: $APTLOG)"; }
  rm -f "$APTLOG"
  find_bins
  [ -n "$PGBIN" ] && [ -n "$MYSQLD" ] && [ -n "$MYINSTALL" ] && [ -n "$MYCLI" ] || die "install failed"
  log "apt-get install done"
fi
if [ "$IS_ROOT" = 1 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  id mysql >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /bin/false mysql
fi

if ! "$PYTHON" -c 'import sqlalchemy, pymysql, psycopg' 2>/dev/null; then
  log "pip-installing sqlalchemy, pymysql and psycopg into $PYTHON"
  "$PYTHON" -m pip install --quiet sqlalchemy pymysql 'psycopg[binary]'
fi

mkdir -p "$DB_DIR"
[ "$IS_ROOT" = 1 ] && chmod 755 "$DB_DIR"   # the service users must reach their data dirs

# ---------------------------------------------------------------- PostgreSQL
PSQL_SU=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PG_PORT" -U postgres)
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  log "initdb $PGDATA"
  mkdir -p "$PGDATA" "$PGSOCK"
  [ "$IS_ROOT" = 1 ] && chown postgres: "$PGDATA" "$PGSOCK"
  chmod 700 "$PGDATA"
  as_user postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$DB_DIR/pg-initdb.log" 2>&1 \
    || { cat "$DB_DIR/pg-initdb.log" >&2; die "initdb failed"; }
  cat >>"$PGDATA/postgresql.conf" <<EOF

# pdscan test instance (scripts/dbservers.sh)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGSOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi
if pg_running; then
  log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
else
  mkdir -p "$PGSOCK"; [ "$IS_ROOT" = 1 ] && chown postgres: "$PGSOCK"
  [ "$IS_ROOT" = 1 ] && { touch "$DB_DIR/pg.log"; chown postgres: "$DB_DIR/pg.log"; }
  as_user postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$DB_DIR/pg.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$DB_DIR/pg.log" >&2; die "PostgreSQL did not start"; }
  log "PostgreSQL started on 127.0.0.1:$PG_PORT"
fi

"${PSQL_SU[@]}" -d postgres <<EOF
SELECT 'CREATE ROLE $DB_USER LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER')\gexec
SELECT 'CREATE ROLE $RO_USER LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$RO_USER')\gexec
ALTER ROLE $DB_USER PASSWORD '$DB_PW';
ALTER ROLE $RO_USER PASSWORD '$DB_PW';
EOF

PG_URL="postgresql+psycopg://$DB_USER:$DB_PW@127.0.0.1:$PG_PORT"
for db in chinook northwind; do
  echo "SELECT 'CREATE DATABASE $db OWNER $DB_USER ENCODING ''UTF8'' TEMPLATE template0' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\gexec" |
    "${PSQL_SU[@]}" -d postgres
  # As the owner, in one transaction (a failed load keeps the old tables; the next run retries).
  "$PYTHON" "$ROOT/scripts/load_test_db.py" "$DATA/$db.sql" "$PG_URL/$db" | sed 's/^/    PostgreSQL /'
  "${PSQL_SU[@]}" -d "$db" <<EOF
GRANT CONNECT ON DATABASE $db TO $RO_USER;
GRANT USAGE ON SCHEMA public TO $RO_USER;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $RO_USER;
EOF
done
log "PostgreSQL loaded"

# ---------------------------------------------------------------- MariaDB
MYSQL_SU=("$MYCLI" --no-defaults --socket="$MYSOCK" -uroot)
if [ ! -d "$MYDATA/mysql" ]; then
  log "mariadb-install-db $MYDATA"
  rm -rf "$MYDATA"; mkdir -p "$MYDATA"
  [ "$IS_ROOT" = 1 ] && chown mysql: "$MYDATA"
  MYUSER=(); [ "$IS_ROOT" = 1 ] && MYUSER=(--user=mysql)
  "$MYINSTALL" --no-defaults --datadir="$MYDATA" "${MYUSER[@]}" --skip-test-db \
    --auth-root-authentication-method=normal >"$DB_DIR/mysql-install.log" 2>&1 \
    || { cat "$DB_DIR/mysql-install.log" >&2; die "mariadb-install-db failed"; }
fi
if my_running; then
  log "MariaDB already running on 127.0.0.1:$MY_PORT"
else
  MYUSER=(); [ "$IS_ROOT" = 1 ] && MYUSER=(--user=mysql)
  rm -f "$MYSOCK"
  mkdir -p "$MYRUN"; [ "$IS_ROOT" = 1 ] && chown mysql: "$MYRUN"
  # Detached, with no inherited stdio, so the server outlives this script and holds no pipe open.
  setsid "$MYSQLD" --no-defaults "${MYUSER[@]}" --datadir="$MYDATA" --socket="$MYSOCK" \
    --port="$MY_PORT" --bind-address=127.0.0.1 --pid-file="$MYPID" --log-error="$MYERR" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 120); do my_running && break; sleep 0.5; done
  my_running || { tail -n 20 "$MYERR" >&2 || true; die "MariaDB did not start"; }
  log "MariaDB started on 127.0.0.1:$MY_PORT"
fi

# Only the password-less socket root (with skip-name-resolve 'localhost' means the socket) and the
# test users may log in: drop anonymous users and mariadb-install-db's root@127.0.0.1/::1/hostname.
"${MYSQL_SU[@]}" -N -e "SELECT CONCAT('DROP USER \`', user, '\`@\`', host, '\`;') FROM mysql.user
  WHERE user = '' OR (user = 'root' AND host <> 'localhost')" | "${MYSQL_SU[@]}"
"${MYSQL_SU[@]}" <<EOF
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED BY '$DB_PW';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PW';
CREATE USER IF NOT EXISTS '$RO_USER'@'%' IDENTIFIED BY '$DB_PW';
CREATE USER IF NOT EXISTS '$RO_USER'@'localhost' IDENTIFIED BY '$DB_PW';
CREATE DATABASE IF NOT EXISTS chinook CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS northwind CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON chinook.* TO '$DB_USER'@'%', '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON northwind.* TO '$DB_USER'@'%', '$DB_USER'@'localhost';
GRANT SELECT, SHOW VIEW ON chinook.* TO '$RO_USER'@'%', '$RO_USER'@'localhost';
GRANT SELECT, SHOW VIEW ON northwind.* TO '$RO_USER'@'%', '$RO_USER'@'localhost';
FLUSH PRIVILEGES;
EOF

MY_URL="mysql+pymysql://$DB_USER:$DB_PW@127.0.0.1:$MY_PORT"
# The loader skips a database whose tables already match the excerpt's row counts.
for db in chinook northwind; do
  "$PYTHON" "$ROOT/scripts/load_test_db.py" "$DATA/$db.sql" "$MY_URL/$db" | sed 's/^/    MariaDB /'
done
log "MariaDB loaded"

# ---------------------------------------------------------------- URLs
cat >"$URLS.tmp" <<EOF
PDSCAN_TEST_PG_URL_CHINOOK=$PG_URL/chinook
PDSCAN_TEST_PG_URL_NORTHWIND=$PG_URL/northwind
PDSCAN_TEST_MYSQL_URL_CHINOOK=$MY_URL/chinook
PDSCAN_TEST_MYSQL_URL_NORTHWIND=$MY_URL/northwind
EOF
mv "$URLS.tmp" "$URLS"
log "ready; URLs written to $URLS"
cat "$URLS"
