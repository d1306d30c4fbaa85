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
  "training|services/Training/CreditRisk.Training.csproj|5040|5041"
  "drift|services/Drift/CreditRisk.Drift.Service.csproj|5060|5061"
)
# Started once the first pipeline registered a champion: scoring is ready only with a model loaded.
SCORING="scoring|services/Scoring/CreditRisk.Scoring.csproj|5050|5051"

log() { printf '[run] %s\n' "$*"; }

stop_all() {
  local name pid pids=() deadline
  for entry in "${SERVICES[@]}" "$SCORING"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    if [ -f "$RUN/$name.pid" ]; then
      pid="$(cat "$RUN/$name.pid")"
      kill "$pid" 2>/dev/null && pids+=("$name|$pid") || true
      rm -f "$RUN/$name.pid"
    fi
  done
  # The infrastructure stays up until the services have exited, so they close their Kafka clients cleanly.
  deadline=$((SECONDS + 45))
  for entry in "${pids[@]}"; do
    IFS='|' read -r name pid <<<"$entry"
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; log "$name killed (did not stop in time)"; else log "$name stopped"; fi
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
# Builds and starts one "name|project|http|grpc" entry unless it already answers, and waits until it is ready.
start_service() {
  local name project http grpc out deadline
  IFS='|' read -r name project http grpc <<<"$1"
  [ -f "$ROOT/$project" ] || return 0
  if ready "$http"; then started+=("$name|$http|$grpc|already running"); return 0; fi
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
      Services__Features__Address="http://127.0.0.1:5021" Services__Features__ApiKey="$API_KEY" \
      Services__Registry__Address="http://127.0.0.1:5031" Services__Registry__ApiKey="$API_KEY" \
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
}

for entry in "${SERVICES[@]}"; do start_service "$entry"; done

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

psql_count() { psql -h 127.0.0.1 -p "${POSTGRES_PORT:-5432}" -U creditrisk -d creditrisk -tAc "$1" 2>/dev/null || echo 0; }

# The import's count of one kind of event ("application", "outcome"), from its summary table.
imported() { awk -v kind="$1" '$1 == kind { print $2 }' "$RUN/import.log"; }

# The first training pipeline: once the features service has every application and training every outcome.
if [ -f "$RUN/training.pid" ] && [ -f "$RUN/import.log" ]; then
  applications="$(imported application)"; outcomes="$(imported outcome)"
  log "waiting for the stores: $applications applications in the feature store, $outcomes outcomes in training's labels"
  deadline=$((SECONDS + 600))
  until [ "$(psql_count "SELECT count(DISTINCT entity_id) FROM feature_store.feature_rows WHERE feature_view = 'application'")" -ge "$applications" ] \
     && [ "$(psql_count "SELECT count(DISTINCT application_id) FROM training.loan_outcomes")" -ge "$outcomes" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "error: the stores did not fill within 10 minutes"; exit 1; }
    sleep 1
  done
  # One request id per data set: running this script again shows the same run instead of starting another.
  request_id="run.sh:$(sha256sum "$ROOT/data/credit_data.csv" | cut -c1-16)"
  log "starting the training pipeline of credit_default (request $request_id)"
  run_json="$(curl -fsS -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
    -d "{\"modelName\": \"credit_default\", \"requestId\": \"$request_id\"}" http://127.0.0.1:5040/api/training/runs)"
  run_id="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["runId"])' <<<"$run_json")"
  shown=""
  while :; do
    run_json="$(curl -fsS -H "x-api-key: $API_KEY" "http://127.0.0.1:5040/api/training/runs/$run_id")"
    state="$(python3 -c '
import json, sys
run = json.load(sys.stdin)
short = lambda status, prefix: status.removeprefix(prefix).lower()
steps = " ".join(step["name"] + ":" + short(step["status"], "PIPELINE_STEP_STATUS_") for step in run["steps"])
print(short(run["status"], "PIPELINE_RUN_STATUS_"), steps)' <<<"$run_json")"
    [ "$state" = "$shown" ] || { log "training run $run_id: $state"; shown="$state"; }
    case "$state" in succeeded*|failed*|cancelled*) break ;; esac
    sleep 1
  done
  printf '%s' "$run_json" >"$RUN/training-run.json"
  python3 - "$run_id" "$RUN/training-run.json" >"$RUN/training-summary.txt" <<'PY' || true
import json, sys
run = json.load(open(sys.argv[2]))
values = {step["name"]: step.get("outputValues", {}) for step in run["steps"]}
if run["status"] != "PIPELINE_RUN_STATUS_SUCCEEDED":
    print(f"  training failed: {run.get('failureReason', '')}")
    sys.exit(0)
train, evaluate, register, promote = (values.get(name, {}) for name in ("train", "evaluate", "register", "promote"))
print(f"  model               {register.get('model_name')} version {register.get('model_version')} ({promote.get('decision')}: {promote.get('reason')})")
print(f"  winner              {train.get('winner')}, cross-validated ROC AUC {float(train.get('cv_roc_auc', 'nan')):.4f} on {train.get('training_rows')} rows")
print(f"  out-of-time ROC AUC {float(evaluate.get('oot_roc_auc', 'nan')):.4f} on the latest {evaluate.get('oot_rows')} applications")
print(f"  evaluation report   http://127.0.0.1:5040/api/training/runs/{sys.argv[1]}/blobs/evaluate/report.html (header x-api-key)")
PY
fi

if grep -q "^  model .*(champion" "$RUN/training-summary.txt" 2>/dev/null || [ -f "$RUN/scoring.pid" ]; then
  start_service "$SCORING"
  # A few applications scored over gRPC, as a loan system would call: probability, grade, decision, top reasons.
  log "building the scoring sample tool"
  if dotnet build "$ROOT/tools/CreditRisk.Scoring.Bench/CreditRisk.Scoring.Bench.csproj" -c Release -nologo -v quiet -o "$DATA/bin/scoringbench" \
      >"$RUN/scoringbench-build.log" 2>&1; then
    log "scoring 5 applications of data/credit_data.csv (reason codes in log-odds)"
    dotnet "$DATA/bin/scoringbench/CreditRisk.Scoring.Bench.dll" sample --target grpc://127.0.0.1:5051 --api-key "$API_KEY" \
      --file "$ROOT/data/credit_data.csv" --count 5 | tee "$RUN/scoring-sample.txt" || log "warning: the sample scores failed (see above)"
  else
    cat "$RUN/scoringbench-build.log" >&2; log "warning: the scoring sample tool did not build"
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
if [ -f "$RUN/training-summary.txt" ]; then
  echo "First training pipeline:"
  cat "$RUN/training-summary.txt"
fi
if [ -f "$RUN/scoring.pid" ]; then
  # The served model as the sample's answers name it ("credit_default v3 (champion)").
  served="$(grep -m1 -o '[^ ]* v[0-9]* ([^)]*)' "$RUN/scoring-sample.txt" 2>/dev/null || true)"
  [ -n "$served" ] || served="the champion of credit_default"
  echo "Scoring serves $served at grpc 127.0.0.1:5051 (creditrisk.scoring.v1.ScoringService and the"
  echo "  Open Inference Protocol's inference.GRPCInferenceService, x-api-key); sample scores in .data/run/scoring-sample.txt."
fi
if [ -f "$RUN/drift.pid" ] || ready 5060; then
  counted="$(psql_count "SELECT count(*) FROM drift.predictions")"
  reports="$(psql_count "SELECT count(*) FROM drift.windows WHERE status = 'reported'")"
  echo "Drift monitoring compares every window of 2,000 predictions (Drift__WindowSize) of each model version with its training"
  echo "  reference: $counted predictions counted, $reports reports so far. Reports: http://127.0.0.1:5060/drift/ (HTML, header"
  echo "  x-api-key), http://127.0.0.1:5060/api/drift/reports (JSON), grpc 127.0.0.1:5061 creditrisk.drift.v1.DriftService."
fi
echo
echo "Stop with: tools/run.sh stop"
