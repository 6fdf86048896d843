#!/bin/bash
# Runs once inside the influxdb:2.x container, right after its automated `influx setup`
# (DOCKER_INFLUXDB_INIT_MODE=setup exports DOCKER_INFLUXDB_INIT_BUCKET_ID and friends to init scripts).
# 1. Maps database "resilience" (retention policy autogen) to the bucket, so the silo's 1.x /write and
#    Grafana's InfluxQL queries reach it through the v1 compatibility API.
# 2. Creates the read-only v1 user Grafana signs in with ($INFLUX_USER / $INFLUX_PASSWORD).
set -euo pipefail

influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db resilience \
  --rp autogen \
  --default

influx v1 auth create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --username "${INFLUX_USER}" \
  --password "${INFLUX_PASSWORD}" \
  --read-bucket "${DOCKER_INFLUXDB_INIT_BUCKET_ID}"
