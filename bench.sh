#!/usr/bin/env bash
# The project's benchmark: a real influxd, the real silo (embedded broker, grains, writer, alerts) and the
# load generator as separate processes on this machine (see docs/architecture.md, "Benchmarks").
# Usage: ./bench.sh [--sensors 10000] [--seconds 20] [--samples 50] [--background-rate 10000]
# Its last line:
# bench: msgs_per_s=<n> alert_p50_ms=<n> alert_p99_ms=<n> rss_mb=<n> sensors=<n> lost=<n>
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v influxd >/dev/null 2>&1; then
  echo "bench.sh: influxd is required; ./test.sh installs it (apt-get install influxdb)." >&2
  exit 3
fi
dotnet build Resilience.sln -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet artifacts/bin/Resilience.Benchmarks/release/Resilience.Benchmarks.dll e2e "$@"
