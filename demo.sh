#!/usr/bin/env bash
# One command from a fresh machine: builds, starts a local InfluxDB when one is installed or installable,
# starts the silo with its embedded MQTT broker and the simulators on a realistic scenario (Da Nang typhoon
# and Hanoi smog: the last day backfilled at once, then real time), and prints the URLs. Ctrl-C stops everything it started.
#   ./demo.sh                 defaults: HTTP 127.0.0.1:8080, MQTT 127.0.0.1:1883, InfluxDB 127.0.0.1:8086
#   HTTP_PORT=8081 MQTT_PORT=1884 INFLUX_PORT=8087 ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
http_port=${HTTP_PORT:-8080}
mqtt_port=${MQTT_PORT:-1883}
influx_port=${INFLUX_PORT:-8086}
state=$root/.demo
mkdir -p "$state/logs"
pids=()

cleanup() {
  trap - EXIT INT TERM
  echo; echo "demo.sh: stopping…"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "demo.sh: stopped. Data and logs are in $state"
}
trap cleanup EXIT INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

command -v dotnet >/dev/null 2>&1 || { echo "demo.sh: the .NET 10 SDK (dotnet) is required on PATH." >&2; exit 3; }
for p in "$http_port" "$mqtt_port"; do
  if port_busy "$p"; then echo "demo.sh: port $p is in use; set HTTP_PORT / MQTT_PORT to free ones." >&2; exit 3; fi
done

echo "demo.sh: building (Release)…"
dotnet build Resilience.sln -c Release -nologo -v quiet -clp:ErrorsOnly
bin=$root/artifacts/bin

# InfluxDB: use one already listening, else start Debian's influxd (installing it when we may).
influx_url=""
if curl -fsS "http://127.0.0.1:$influx_port/ping" >/dev/null 2>&1; then
  influx_url="http://127.0.0.1:$influx_port"
  echo "demo.sh: using the InfluxDB already answering at $influx_url"
else
  if ! command -v influxd >/dev/null 2>&1; then
    echo "demo.sh: InfluxDB is not installed; trying Debian's package…"
    (as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq influxdb) >"$state/logs/apt.log" 2>&1 \
      || echo "demo.sh: could not install influxdb (see $state/logs/apt.log)"
  fi
  if command -v influxd >/dev/null 2>&1; then
    mkdir -p "$state/influxdb"
    cat >"$state/influxdb/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$((influx_port + 2))"
[meta]
  dir = "$state/influxdb/meta"
[data]
  dir = "$state/influxdb/data"
  wal-dir = "$state/influxdb/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
CONF
    influxd -config "$state/influxdb/influxdb.conf" >"$state/logs/influxd.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$influx_port/ping" >/dev/null 2>&1 && break; sleep 0.2; done
    if curl -fsS "http://127.0.0.1:$influx_port/ping" >/dev/null 2>&1; then
      influx_url="http://127.0.0.1:$influx_port"
      echo "demo.sh: started influxd at $influx_url (data in $state/influxdb)"
    else
      echo "demo.sh: influxd did not start (see $state/logs/influxd.log)"
    fi
  fi
fi
if [ -n "$influx_url" ]; then
  curl -fsS -XPOST "$influx_url/query" --data-urlencode 'q=CREATE DATABASE "resilience"' >/dev/null
else
  echo "demo.sh: running without InfluxDB: readings are spooled under $state/data/spool and replayed when one answers."
fi

# A demo operator for the emergency console (password shown below; never use it in production).
operator_hash=$(printf 'demo-operator\n' | timeout 60 dotnet "$bin/Resilience.Silo/release/Resilience.Silo.dll" hash-password 2>/dev/null | tail -1 || true)
case "$operator_hash" in pbkdf2-sha256\$*) ;; *)
  operator_hash=$(python3 -c 'import hashlib,os,base64;s=os.urandom(16);i=600000;print("pbkdf2-sha256$%d$%s$%s"%(i,base64.b64encode(s).decode(),base64.b64encode(hashlib.pbkdf2_hmac("sha256",b"demo-operator",s,i)).decode()))');;
esac

# MQTT logins (the broker refuses anonymous clients): the simulators publish as a gateway for every sensor, and a
# read-only viewer may follow the alerts. New passwords each start, printed once by the silo's device-password command.
mqtt_passwd=$state/mqtt-passwd
silo_dll=$bin/Resilience.Silo/release/Resilience.Silo.dll
simulator_password=$(dotnet "$silo_dll" device-password demo-simulator --file "$mqtt_passwd" 2>/dev/null | tail -1)
viewer_password=$(dotnet "$silo_dll" device-password viewer --file "$mqtt_passwd" 2>/dev/null | tail -1)
[ -n "$simulator_password" ] && [ -n "$viewer_password" ] || { echo "demo.sh: could not create the MQTT logins in $mqtt_passwd" >&2; exit 1; }

echo "demo.sh: starting the silo…"
dotnet "$silo_dll" \
  --urls "http://127.0.0.1:$http_port" \
  --Resilience:DataDirectory="$state/data" \
  --Resilience:Mqtt:Broker:Port="$mqtt_port" \
  --Resilience:Mqtt:Broker:PasswordFile="$mqtt_passwd" \
  --Resilience:Mqtt:Broker:Roles:demo-simulator=Gateway \
  --Resilience:Mqtt:Broker:Roles:viewer=AlertsReader \
  --Resilience:Influx:Url="$influx_url" \
  --Resilience:Web:Operators:0:Username=operator \
  --Resilience:Web:Operators:0:PasswordHash="$operator_hash" \
  >"$state/logs/silo.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1 || { echo "demo.sh: the silo did not start; see $state/logs/silo.log" >&2; tail -30 "$state/logs/silo.log" >&2; exit 1; }

registry=$root/src/Silo/Registry/registry.yaml
# Live simulators: each backfills its scenario's hours before "now" (liveNowAtHours) as fast as the broker takes
# them, then carries on in real time, so every page and panel has current data within the first minute and no
# timestamp is ever in the future. Each drives its own provinces, so every sensor has exactly one source.
for spec in "danang-typhoon:danang,haiphong,hochiminh" "hanoi-smog:hanoi,bacninh"; do
  scenario=${spec%%:*}
  MQTT_PASSWORD="$simulator_password" dotnet "$bin/Resilience.SensorSimulator/release/Resilience.SensorSimulator.dll" \
    --host 127.0.0.1 --port "$mqtt_port" --username demo-simulator --registry "$registry" --scenario "$scenario" --provinces "${spec#*:}" \
    --live --loop --qos 1 --timestamps simulated --client-id "demo-$scenario" \
    >"$state/logs/simulator-$scenario.log" 2>&1 &
  pids+=($!)
done

cat <<INFO

Resilience is running (Ctrl-C stops everything this script started).
  Residents' air quality   http://127.0.0.1:$http_port/
  Emergency console        http://127.0.0.1:$http_port/ops      (login: operator / demo-operator)
  API                      http://127.0.0.1:$http_port/api/sensors  /api/zones  /api/alerts?state=active  /api/air-quality?province=hanoi
  CAP feed                 http://127.0.0.1:$http_port/alerts/feed.atom
  Health, metrics          http://127.0.0.1:$http_port/health  /metrics
  MQTT broker              mqtt://127.0.0.1:$mqtt_port   (try: mosquitto_sub -p $mqtt_port -u viewer -P '$viewer_password' -t 'alerts/#' -v)
  MQTT logins              $mqtt_passwd  (add a device: dotnet $silo_dll device-password <sensorId> --file $mqtt_passwd)
  InfluxDB                 ${influx_url:-none (spooling)}   database "resilience"; Grafana: dashboards/README.md
Scenarios: danang-typhoon and hanoi-smog, live (the last day backfilled, then real time). Logs: $state/logs
INFO
wait -n "${pids[@]}" || true
echo "demo.sh: a process ended; see $state/logs" >&2
