#!/usr/bin/env bash
# Runs CreditRisk locally on embedded defaults: starts the infrastructure (Redis, PostgreSQL, the
# development Kafka broker) and then every service that exists, and says exactly what it started.
# Stop everything with: deploy/local/infra.sh down
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

"$ROOT/deploy/local/infra.sh" up redis postgres broker

services=()
for project in "$ROOT"/services/*/*.csproj; do
  [ -e "$project" ] && services+=("$project")
done

echo
echo "Started:"
echo "  Redis               127.0.0.1:${REDIS_PORT:-6379}   (online feature store)"
echo "  PostgreSQL          127.0.0.1:${POSTGRES_PORT:-5432}   (offline store, registry; database creditrisk)"
echo "  Kafka dev broker    127.0.0.1:${KAFKA_PORT:-9092}   (Kafka__BootstrapServers)"
if [ "${#services[@]}" -eq 0 ]; then
  echo
  echo "Services: none exist yet. Ingestion, features, training, registry, scoring and drift"
  echo "are built by the open issues; until then only the infrastructure above runs."
fi
echo
echo "Stop with: deploy/local/infra.sh down"
