#!/usr/bin/env bash
# Run by the postgres image on its first start (/docker-entrypoint-initdb.d): one role per
# process, each owning its own schema only (roles.psql). The passwords come from the compose file.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v gateway_password="$SBE_DB_PASSWORD_GATEWAY" \
    -v registry_password="$SBE_DB_PASSWORD_REGISTRY" \
    -v monitoring_password="$SBE_DB_PASSWORD_MONITORING" \
    -v evaluation_password="$SBE_DB_PASSWORD_EVALUATION" \
    -v events_password="$SBE_DB_PASSWORD_EVENTS" \
    -f /docker-entrypoint-initdb.d/roles.psql
