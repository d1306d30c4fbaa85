#!/usr/bin/env bash
# Runs the CreditRisk loop locally on embedded defaults: starts the infrastructure (Redis, PostgreSQL,
# the development Kafka broker), builds and starts every service that exists, loads the reference
# credit dataset through ingestion, and says exactly what it started.
#
#   tools/run.sh          start (idempotent: what already runs is left running)
#   tools/run.sh stop     stop the services and the infrastructure
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
RUN="$DATA/run"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$RUN"

# name | project | HTTP port (health, metrics) | gRPC port
SERVICES=(
  "ingestion|services/Ingestion/CreditRisk.Ingestion.csproj|5010|5011"
  "features|services/Features/CreditRisk.Features.csproj|5020|5021"
  "registry|services/Registry/CreditRisk.Registry.csproj|5030|5031"
)

log() { printf '[run] %s\n' "$*"; }

stop_all() {
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    if [ -f "$RUN/$name.pid" ]; then
      kill "$(cat "$RUN/$name.pid")" 2>/dev/null && log "$name stopped" || true
      rm -f "$RUN/$name.pid"
    fi
  done
  "$ROOT/deploy/local/infra.sh" down
}

if [ "${1:-}" = "stop" ]; then stop_all; exit 0; fi

"$ROOT/deploy/local/infra.sh" up redis postgres broker

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/health/ready"; }

# Every service refuses calls without an API key; a local admin key is generated once and kept in .data/.
if [ ! -f "$RUN/api-key" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$RUN/api-key"
fi
API_KEY="$(cat "$RUN/api-key")"

started=()
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name project http grpc <<<"$entry"
  [ -f "$ROOT/$project" ] || continue
  if ready "$http"; then started+=("$name|$http|$grpc|already running"); continue; fi
  out="$DATA/bin/$name"
  log "building $name"
  dotnet build "$ROOT/$project" -c Release -nologo -v quiet -o "$out" >"$RUN/$name-build.log" 2>&1 \
    || { cat "$RUN/$name-build.log" >&2; exit 1; }
  # Content root = the output folder, where appsettings.json is; the environment points at local infra.
  # exec: the pid file holds the service's own pid, and no shell keeps this script's output open.
  (cd "$out" && exec env \
      Kafka__BootstrapServers="127.0.0.1:${KAFKA_PORT:-9092}" \
      ConnectionStrings__Postgres="Host=127.0.0.1;Port=${POSTGRES_PORT:-5432};Username=creditrisk;Database=creditrisk" \
      Redis__Configuration="127.0.0.1:${REDIS_PORT:-6379}" \
      ApiKeys__local__Key="$API_KEY" \
      ApiKeys__local__Roles="admin" \
      Registry__Artifacts__RootPath="$DATA/registry-artifacts" \
      dotnet "$(basename "$project" .csproj).dll") </dev/null >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  deadline=$((SECONDS + 120))
  until ready "$http"; do
    if ! kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$RUN/$name.log" >&2; log "error: $name did not become ready"; exit 1
    fi
    sleep 0.5
  done
  started+=("$name|$http|$grpc|started")
done

# Load the reference dataset once: applications, outcomes and synthetic customer behaviour.
if [ -f "$RUN/ingestion.pid" ] || ready 5010; then
  if [ ! -f "$RUN/dataset-imported" ]; then
    log "building the data import tool"
    dotnet build "$ROOT/tools/CreditRisk.DataImport/CreditRisk.DataImport.csproj" -c Release -nologo -v quiet -o "$DATA/bin/dataimport" \
      >"$RUN/dataimport-build.log" 2>&1 || { cat "$RUN/dataimport-build.log" >&2; exit 1; }
    log "importing data/credit_data.csv through ingestion (gRPC)"
    CREDITRISK_API_KEY="$API_KEY" dotnet "$DATA/bin/dataimport/CreditRisk.DataImport.dll" --file "$ROOT/data/credit_data.csv" --target grpc://127.0.0.1:5011 \
      | tee "$RUN/import.log" | tail -n 5
    touch "$RUN/dataset-imported"
  fi
fi

echo
echo "Infrastructure:"
echo "  Redis               127.0.0.1:${REDIS_PORT:-6379}   (online feature store)"
echo "  PostgreSQL          127.0.0.1:${POSTGRES_PORT:-5432}   (offline store, registry; database creditrisk)"
echo "  Kafka dev broker    127.0.0.1:${KAFKA_PORT:-9092}   (Kafka__BootstrapServers)"
echo "Services (HTTP: /health/ready, /metrics; gRPC h2c):"
for entry in "${started[@]}"; do
  IFS='|' read -r name http grpc state <<<"$entry"
  printf '  %-18s  http 127.0.0.1:%s  grpc 127.0.0.1:%s  (%s, log .data/run/%s.log)\n' "$name" "$http" "$grpc" "$state" "$name"
done
echo "API key of every service (x-api-key, role admin): $API_KEY"
echo "Not built yet: training, scoring, drift (open issues)."
echo
echo "Stop with: tools/run.sh stop"
