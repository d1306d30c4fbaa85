#!/usr/bin/env bash
# Starts, stops and reports the local infrastructure CreditRisk needs, from Debian packages:
# Redis (online store), PostgreSQL (offline store, registry) and the development Kafka broker.
# Idempotent: "up" on a running server only checks that it answers. Data lives in <checkout>/.data
# (git-ignored). Used by tools/run.sh, tools/test.sh and .ci/run alike.
#
#   deploy/local/infra.sh up [redis] [postgres] [broker] [clients]    (default: redis postgres broker)
#   deploy/local/infra.sh down [redis] [postgres] [broker]
#
# "clients" installs the command-line clients tests drive the servers with (kcat, redis-cli, psql).
#   deploy/local/infra.sh status
#
# Ports (environment): REDIS_PORT=6379 POSTGRES_PORT=5432 KAFKA_PORT=9092.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${CREDITRISK_DATA:-$ROOT/.data}"
REDIS_PORT="${REDIS_PORT:-6379}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
PG_DB="creditrisk"
PG_ROLE="creditrisk"
BROKER_PROJECT="$ROOT/tools/CreditRisk.DevBroker/CreditRisk.DevBroker.csproj"

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# Polls until "$@" succeeds or the deadline passes; no fixed sleeps beyond the poll interval.
wait_until() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not answer within ${seconds}s"
    sleep 0.2
  done
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})"
  log "installing ${missing[*]}"
  # RUNLEVEL=1 keeps the packages' own init scripts from starting system-wide servers on our ports.
  # A fresh machine has no package lists yet: the first attempt fails fast, then we update and retry.
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

# ---------- Redis ----------
redis_ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
redis_answers() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1 | grep -qE 'PONG|LOADING'; }

redis_up() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if redis_ping; then log "redis already answering on 127.0.0.1:$REDIS_PORT"; return; fi
  mkdir -p "$DATA/redis"
  # The online store overwrites a small keyspace at a high rate: with the default 64 MB threshold the append-only
  # file was rewritten every few seconds under load (services/Features/README.md has the figures).
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA/redis" \
    --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log" \
    --appendonly yes --save "" --auto-aof-rewrite-min-size 1gb >/dev/null
  wait_until "redis" 30 redis_answers
  # A large append-only file (a benchmark's request ids) takes Redis a while to load; it answers LOADING meanwhile.
  redis_ping || { log "redis is loading its append-only file"; wait_until "redis (loading)" 600 redis_ping; }
  log "redis started on 127.0.0.1:$REDIS_PORT (data $DATA/redis)"
}

redis_down() {
  if redis_ping; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; log "redis stopped"; fi
}

# ---------- PostgreSQL ----------
# PostgreSQL refuses to run as root, so as root the server runs as the "postgres" account.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_data_dir() {
  local dir="$DATA/postgres"
  # The postgres account must be able to reach the checkout; where it cannot (e.g. under /root),
  # keep the cluster in a per-checkout folder it can reach instead.
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    dir="/var/lib/creditrisk/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)/postgres"
  fi
  printf '%s' "$dir"
}

pg_ready() { "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$POSTGRES_PORT" -q; }

pg_up() {
  [ -x "$PG_BIN/initdb" ] || { apt_install postgresql; PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"; }
  if pg_ready; then log "postgresql already answering on 127.0.0.1:$POSTGRES_PORT"; pg_bootstrap; return; fi
  local dir; dir="$(pg_data_dir)"
  mkdir -p "$DATA" "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    # Trust on loopback only: a local development cluster, so no password lives anywhere.
    pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
  fi
  # Durable (fsync, synchronous commit) but sized for append-heavy feature history rather than Debian's
  # 128 MB defaults: random B-tree inserts need their pages cached, and rare checkpoints write fewer full pages.
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $POSTGRES_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=on \
        -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min -c wal_compression=lz4" start >/dev/null
  wait_until "postgresql" 60 pg_ready
  pg_bootstrap
  log "postgresql started on 127.0.0.1:$POSTGRES_PORT (data $dir)"
}

pg_psql() { psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# The application role and database; CREATEDB lets integration tests make throwaway databases.
pg_bootstrap() {
  if [ -z "$(pg_psql -d postgres -c "select 1 from pg_roles where rolname='$PG_ROLE'")" ]; then
    pg_psql -d postgres -c "create role $PG_ROLE login createdb"
  fi
  if [ -z "$(pg_psql -d postgres -c "select 1 from pg_database where datname='$PG_DB'")" ]; then
    pg_psql -d postgres -c "create database $PG_DB owner $PG_ROLE"
  fi
}

pg_down() {
  local dir; dir="$(pg_data_dir)"
  if [ -f "$dir/postmaster.pid" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null && log "postgresql stopped"
  fi
}

# ---------- Development Kafka broker ----------
broker_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; }

broker_up() {
  if broker_answers; then log "kafka broker already listening on 127.0.0.1:$KAFKA_PORT"; return; fi
  [ -f "$BROKER_PROJECT" ] || die "dev broker project not found: $BROKER_PROJECT"
  mkdir -p "$DATA/kafka"
  dotnet build "$BROKER_PROJECT" -c Release -v quiet -nologo -o "$DATA/bin/devbroker" >"$DATA/devbroker-build.log" 2>&1 \
    || { cat "$DATA/devbroker-build.log" >&2; die "dev broker build failed"; }
  nohup dotnet "$DATA/bin/devbroker/CreditRisk.DevBroker.dll" --port "$KAFKA_PORT" --data "$DATA/kafka" \
    >"$DATA/devbroker.log" 2>&1 &
  echo $! >"$DATA/devbroker.pid"
  wait_until "kafka broker" 60 broker_answers
  log "kafka dev broker started on 127.0.0.1:$KAFKA_PORT (data $DATA/kafka, log $DATA/devbroker.log)"
}

broker_down() {
  if [ -f "$DATA/devbroker.pid" ]; then
    kill "$(cat "$DATA/devbroker.pid")" 2>/dev/null && log "kafka dev broker stopped" || true
    rm -f "$DATA/devbroker.pid"
  fi
}

clients_up() {
  apt_install kcat redis-tools postgresql-client
  # The benches' Python baselines (scikit-learn, and a gRPC server for scoring's) and the tests that run them;
  # grpc-tools generates the Python OIP client scoring's tests call the service with.
  apt_install python3-sklearn python3-grpcio python3-grpc-tools
  log "clients: kcat, redis-cli, psql, python3-sklearn, python3-grpcio and python3-grpc-tools installed"
}

status() {
  redis_ping && log "redis: up on 127.0.0.1:$REDIS_PORT" || log "redis: down"
  pg_ready && log "postgresql: up on 127.0.0.1:$POSTGRES_PORT" || log "postgresql: down"
  broker_answers && log "kafka broker: up on 127.0.0.1:$KAFKA_PORT" || log "kafka broker: down"
}

command="${1:-status}"; shift || true
parts=("$@"); [ "${#parts[@]}" -gt 0 ] || parts=(redis postgres broker)
case "$command" in
  up)   for part in "${parts[@]}"; do case "$part" in redis) redis_up ;; postgres) pg_up ;; broker) broker_up ;; clients) clients_up ;; *) die "unknown part: $part" ;; esac; done ;;
  down) for part in "${parts[@]}"; do case "$part" in redis) redis_down ;; postgres) pg_down ;; broker) broker_down ;; *) die "unknown part: $part" ;; esac; done ;;
  status) status ;;
  *) die "usage: $0 up|down|status [redis] [postgres] [broker] [clients]" ;;
esac
