#!/usr/bin/env bash
# Runs every test of the solution against real infrastructure: starts Redis and PostgreSQL (from
# Debian packages, data under .data/), installs the command-line clients the tests drive, then
# runs the tests. Kafka tests start their own development broker in-process, on a free port.
# Exits non-zero when any test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/.data/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

"$ROOT/deploy/local/infra.sh" up redis postgres clients
# Tests find the servers the way services do; these follow the ports the infra script used.
export Redis__Configuration="${Redis__Configuration:-127.0.0.1:${REDIS_PORT:-6379}}"
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-Host=127.0.0.1;Port=${POSTGRES_PORT:-5432};Username=creditrisk;Database=creditrisk}"

rm -rf "$RESULTS"
status=0
dotnet test "$ROOT/CreditRisk.Services.sln" -c Release \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$RESULTS" || status=$?

# One closing line over all test projects, from their TRX result files.
python3 - "$RESULTS" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    # xunit reports skipped tests as neither executed nor failed.
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
