#!/usr/bin/env bash
# Runs the whole test suite from a fresh machine: installs the real peers the tests start
# (mosquitto, mosquitto-clients, influxdb, chromium, redis-server, postgresql) from Debian's packages when they are missing,
# then builds and runs every test project. Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
command -v influx >/dev/null 2>&1 || need+=(influxdb-client)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing from Debian's packages: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); elif command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "test.sh: cannot install ${need[*]}: not root and no sudo. Install them with apt-get and run again." >&2
    exit 3
  fi
  if ! { "${sudo_cmd[@]}" apt-get update -qq && \
         DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/resilience-apt.log 2>&1; }; then
    echo "test.sh: apt-get install ${need[*]} failed; see /tmp/resilience-apt.log" >&2
    tail -20 /tmp/resilience-apt.log >&2 || true
    exit 3
  fi
  # Debian's packages may start system services on the default ports; the tests use their own ports,
  # but the demo wants 1883 and 8086, so stop what the install started.
  for svc in mosquitto influxdb redis-server postgresql; do
    (command -v systemctl >/dev/null 2>&1 && "${sudo_cmd[@]}" systemctl stop "$svc" >/dev/null 2>&1) || true
  done
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required on PATH." >&2
  exit 3
fi

# The dashboard schema check (DashboardSchemaTests) runs node with ajv and the Grafana foundation SDK, pinned by
# dashboards/schema/package-lock.json; installed again only when the lock file changed.
schema=dashboards/schema
if [ ! -f "$schema/node_modules/.package-lock.json" ] || [ "$schema/package-lock.json" -nt "$schema/node_modules/.package-lock.json" ]; then
  echo "test.sh: npm ci in $schema"
  (cd "$schema" && npm ci --no-audit --no-fund --loglevel=error) || { echo "test.sh: npm ci in $schema failed" >&2; exit 3; }
fi

dotnet build Resilience.sln -c Release -nologo -v quiet -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Resilience.sln -c Release --no-build -nologo \
  --blame-hang-timeout 8m "$@" 2>&1 | tee "$log" || status=$?

# One closing line that any CI reader understands: 'tests: N passed, N failed, N skipped'.
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1));
      if ($i == "Failed:") f += $(i+1);
      if ($i == "Passed:") p += $(i+1);
      if ($i == "Skipped:") s += $(i+1);
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
if grep -qE '^\s*Failed! ' "$log" && [ "$status" -eq 0 ]; then status=1; fi
rm -f "$log"
exit "$status"
