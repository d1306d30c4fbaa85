#!/usr/bin/env bash
# Runs the CreditRisk loop locally on embedded defaults: starts Redis and PostgreSQL, builds and starts
# the development Kafka broker and every service as resources of one .NET Aspire app host
# (tools/CreditRisk.AppHost, its dashboard the trace viewer), loads the reference credit dataset through
# ingestion, trains the first champion, scores a few applications, and says exactly what it started.
#
#   tools/run.sh          start (idempotent: what already runs is left running)
#   tools/run.sh stop     stop the services and the infrastructure
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
RUN="$DATA/run"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$RUN"

# name | HTTP port (health, metrics) | gRPC port: the services tools/CreditRisk.AppHost starts.
SERVICES=(
  "ingestion|5010|5011"
  "features|5020|5021"
  "registry|5030|5031"
  "training|5040|5041"
  "drift|5060|5061"
)
# Ready only once the first pipeline registered a champion and scoring loaded it.
SCORING="scoring|5050|5051"
DASHBOARD="http://127.0.0.1:18888"

log() { printf '[run] %s\n' "$*"; }

stop_all() {
  local pid deadline
  if [ -f "$RUN/apphost.pid" ]; then
    pid="$(cat "$RUN/apphost.pid")"
    # The app host stops every resource it started (the broker, the services) before it exits.
    kill "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; log "app host killed (did not stop in time)"; fi
    rm -f "$RUN/apphost.pid"
    # Aspire's orchestrator (dcp) stops the resources after the app host has gone, some seconds later.
    deadline=$((SECONDS + 90))
    while pgrep -f "$ROOT/(services|tools)/.*/bin/" >/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
    if pgrep -f "$ROOT/(services|tools)/.*/bin/" >/dev/null; then
      pkill -9 -f "$ROOT/(services|tools)/.*/bin/" || true; log "services killed (did not stop in time)"
    else
      log "app host and its services stopped"
    fi
  fi
  # The infrastructure stays up until the services have exited, so they close their Kafka clients cleanly.
  "$ROOT/deploy/local/infra.sh" down
}

if [ "${1:-}" = "stop" ]; then stop_all; exit 0; fi

"$ROOT/deploy/local/infra.sh" up redis postgres

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/health/ready"; }

# Every service refuses calls without an API key; a local admin key is generated once and kept in .data/.
if [ ! -f "$RUN/api-key" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$RUN/api-key"
fi
API_KEY="$(cat "$RUN/api-key")"

started=()
# Waits until the service on HTTP port $2 is ready; $1 names it, $3 is the deadline in seconds.
wait_ready() {
  local deadline=$((SECONDS + $3))
  until ready "$2"; do
    if ! kill -0 "$(cat "$RUN/apphost.pid")" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$RUN/apphost.log" >&2; log "error: $1 did not become ready (its log is in the dashboard, $DASHBOARD)"; exit 1
    fi
    sleep 0.5
  done
}

# Builds one of the loop's tools into .data/bin/$2; $1 is its project under tools/.
build_tool() {
  dotnet build "$ROOT/tools/$1/$1.csproj" -c Release -nologo -v quiet -o "$DATA/bin/$2" >"$RUN/$2-build.log" 2>&1 \
    || { cat "$RUN/$2-build.log" >&2; log "error: $1 did not build"; exit 1; }
}

# One .NET Aspire app host runs the dev broker and every service as its resources, and its dashboard shows their
# traces, logs and metrics (they export OTLP to it).
if [ -f "$RUN/apphost.pid" ] && kill -0 "$(cat "$RUN/apphost.pid")" 2>/dev/null; then
  platform="already running"
else
  log "building the services, their app host and the loop's tools"
  dotnet build "$ROOT/tools/CreditRisk.AppHost/CreditRisk.AppHost.csproj" -c Release -nologo -v quiet >"$RUN/apphost-build.log" 2>&1 \
    || { cat "$RUN/apphost-build.log" >&2; exit 1; }
  build_tool CreditRisk.DataImport dataimport
  build_tool CreditRisk.Scoring.Bench scoringbench
  build_tool CreditRisk.Scenario scenario
  built_at=$SECONDS
  log "starting the app host: the dev broker and every service"
  # exec: the pid file holds the app host's own pid, and no shell keeps this script's output open.
  (cd "$ROOT/tools/CreditRisk.AppHost" && exec env \
      CREDITRISK_API_KEY="$API_KEY" KAFKA_PORT="${KAFKA_PORT:-9092}" POSTGRES_PORT="${POSTGRES_PORT:-5432}" REDIS_PORT="${REDIS_PORT:-6379}" \
      ASPNETCORE_URLS="$DASHBOARD" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:18889" \
      ASPIRE_ALLOW_UNSECURED_TRANSPORT=true DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
      dotnet bin/Release/net10.0/CreditRisk.AppHost.dll) </dev/null >"$RUN/apphost.log" 2>&1 &
  echo $! >"$RUN/apphost.pid"
  platform="started"
fi
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name http grpc <<<"$entry"
  wait_ready "$name" "$http" 180
  started+=("$name|$http|$grpc|$platform")
done

# Load the reference dataset once: applications, outcomes and synthetic customer behaviour.
if ready 5010; then
  if [ ! -f "$RUN/dataset-imported" ]; then
    [ -f "$DATA/bin/dataimport/CreditRisk.DataImport.dll" ] || build_tool CreditRisk.DataImport dataimport
    log "step 1/7 importing data/credit_data.csv through ingestion (gRPC): applications, outcomes, behaviour up to today"
    CREDITRISK_API_KEY="$API_KEY" dotnet "$DATA/bin/dataimport/CreditRisk.DataImport.dll" --file "$ROOT/data/credit_data.csv" --target grpc://127.0.0.1:5011 \
      | tee "$RUN/import.log" | tail -n 5
    touch "$RUN/dataset-imported"
  fi
fi

psql_count() { psql -h 127.0.0.1 -p "${POSTGRES_PORT:-5432}" -U creditrisk -d creditrisk -tAc "$1" 2>/dev/null || echo 0; }

# The import's count of one kind of event ("application", "outcome"), from its summary table.
imported() { awk -v kind="$1" '$1 == kind { print $2 }' "$RUN/import.log"; }

# The first training pipeline: once the features service has every application and training every outcome.
if ready 5040 && [ -f "$RUN/import.log" ]; then
  applications="$(imported application)"; outcomes="$(imported outcome)"
  log "step 1/7 waiting for the stores: $applications applications in the feature store, $outcomes outcomes in training's labels"
  deadline=$((SECONDS + 600))
  until [ "$(psql_count "SELECT count(DISTINCT entity_id) FROM feature_store.feature_rows WHERE feature_view = 'application'")" -ge "$applications" ] \
     && [ "$(psql_count "SELECT count(DISTINCT application_id) FROM training.loan_outcomes")" -ge "$outcomes" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "error: the stores did not fill within 10 minutes"; exit 1; }
    sleep 1
  done
  # One request id per data set: running this script again shows the same run instead of starting another.
  request_id="run.sh:$(sha256sum "$ROOT/data/credit_data.csv" | cut -c1-16)"
  log "step 2/7 starting the training pipeline of credit_default (request $request_id)"
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

if grep -q "^  model .*(champion" "$RUN/training-summary.txt" 2>/dev/null || ready 5050; then
  log "step 2/7 waiting for scoring (two replicas) to load the champion"
  wait_ready scoring 5050 120
  started+=("scoring|5050|5051|$platform")
  # A few applications scored over gRPC, as a loan system would call: probability, grade, decision, top reasons.
  [ -f "$DATA/bin/scoringbench/CreditRisk.Scoring.Bench.dll" ] || build_tool CreditRisk.Scoring.Bench scoringbench
  log "scoring 5 applications of data/credit_data.csv (reason codes in log-odds)"
  dotnet "$DATA/bin/scoringbench/CreditRisk.Scoring.Bench.dll" sample --target grpc://127.0.0.1:5051 --api-key "$API_KEY" \
    --file "$ROOT/data/credit_data.csv" --count 5 | tee "$RUN/scoring-sample.txt" || log "warning: the sample scores failed (see above)"
fi

# Steps 3-7 once: live traffic with an experiment, the population's shift, drift, the retrain and its promotion
# decision, the swap under load, and the summary (kept in .data/run/scenario-summary.txt and shown again on later runs).
if ready 5050 && ready 5060 && [ ! -f "$RUN/scenario-summary.txt" ]; then
  [ -f "$DATA/bin/scenario/CreditRisk.Scenario.dll" ] || build_tool CreditRisk.Scenario scenario
  log "running the scenario: traffic, shift, drift, retrain, promotion (tools/CreditRisk.Scenario)"
  set +e
  # Its traces go to the dashboard, sampled as the app host samples the services' (PlatformResources.cs).
  CREDITRISK_API_KEY="$API_KEY" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:18889" \
    OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.2 \
    dotnet "$DATA/bin/scenario/CreditRisk.Scenario.dll" --file "$ROOT/data/credit_data.csv" --dashboard "$DASHBOARD" | tee "$RUN/scenario.log"
  scenario_status=${PIPESTATUS[0]}
  set -e
  # Kept only when the scenario reached its summary, so an interrupted one runs again next time.
  if grep -q 'step 7/7 summary' "$RUN/scenario.log"; then sed -n '/step 7\/7 summary/,$p' "$RUN/scenario.log" >"$RUN/scenario-summary.txt"; fi
  [ "$scenario_status" -eq 0 ] || log "warning: the scenario did not complete cleanly (exit $scenario_status, see above)"
  [ -z "${built_at:-}" ] || log "the loop took $((SECONDS - built_at)) s after the build"
fi

echo
echo "Infrastructure:"
echo "  Redis               127.0.0.1:${REDIS_PORT:-6379}   (online feature store)"
echo "  PostgreSQL          127.0.0.1:${POSTGRES_PORT:-5432}   (offline store, registry; database creditrisk)"
echo "  Kafka dev broker    127.0.0.1:${KAFKA_PORT:-9092}   (Kafka__BootstrapServers)"
echo "Services (HTTP: /health/ready, /metrics; gRPC h2c):"
for entry in "${started[@]}"; do
  IFS='|' read -r name http grpc state <<<"$entry"
  printf '  %-18s  http 127.0.0.1:%s  grpc 127.0.0.1:%s  (%s)\n' "$name" "$http" "$grpc" "$state"
done
echo "Aspire dashboard (every service's traces, logs and metrics): $DASHBOARD   (app host log .data/run/apphost.log)"
echo "API key of every service (x-api-key, role admin): $API_KEY"
if [ -f "$RUN/training-summary.txt" ]; then
  echo "First training pipeline:"
  cat "$RUN/training-summary.txt"
fi
if ready 5050; then
  # The served model as the sample's answers name it ("credit_default v3 (champion)").
  served="$(grep -m1 -o '[^ ]* v[0-9]* ([^)]*)' "$RUN/scoring-sample.txt" 2>/dev/null || true)"
  [ -n "$served" ] || served="the champion of credit_default"
  echo "Scoring serves $served at grpc 127.0.0.1:5051 (creditrisk.scoring.v1.ScoringService and the"
  echo "  Open Inference Protocol's inference.GRPCInferenceService, x-api-key); sample scores in .data/run/scoring-sample.txt."
fi
if ready 5060; then
  counted="$(psql_count "SELECT count(*) FROM drift.predictions")"
  reports="$(psql_count "SELECT count(*) FROM drift.windows WHERE status = 'reported'")"
  echo "Drift monitoring compares every window of 2,000 predictions (Drift__WindowSize) of each model version with its training"
  echo "  reference: $counted predictions counted, $reports reports so far. Reports: http://127.0.0.1:5060/drift/ (HTML, header"
  echo "  x-api-key), http://127.0.0.1:5060/api/drift/reports (JSON), grpc 127.0.0.1:5061 creditrisk.drift.v1.DriftService."
fi
if [ -s "$RUN/scenario-summary.txt" ]; then
  echo "The scenario (.data/run/scenario.log):"
  sed -n '2,$p' "$RUN/scenario-summary.txt"
fi
echo
echo "Stop with: tools/run.sh stop"
