#!/bin/bash
# Starts FreeSWITCH with hotline's configuration (./conf) and the deployment's values from the environment
# (.env, see docker-compose.yml): it writes them as preprocessor variables into /tmp/hotline-freeswitch/,
# which conf/freeswitch.xml includes after conf/vars.xml. This starts a FreeSWITCH that is already
# installed (the drachtio/drachtio-freeswitch-mrf image); it builds nothing.
set -euo pipefail

CONF_DIR="$(cd "$(dirname "$0")" && pwd)/conf"
RUNTIME_DIR=/tmp/hotline-freeswitch
FS_BIN="${FREESWITCH_BIN:-$(command -v freeswitch || echo /usr/local/freeswitch/bin/freeswitch)}"
FS_BASE="${FREESWITCH_BASE:-/usr/local/freeswitch}"

if [[ -z "${FREESWITCH_SECRET:-}" ]]; then
  echo "start-freeswitch: FREESWITCH_SECRET is not set (the event-socket password; see .env.example)" >&2
  exit 64
fi
# The value goes into an XML attribute and FreeSWITCH's preprocessor: keep it to characters that mean nothing there.
safe='^[A-Za-z0-9._~+-]{12,128}$'
if ! [[ "$FREESWITCH_SECRET" =~ $safe ]]; then
  echo "start-freeswitch: FREESWITCH_SECRET must be 12-128 characters of A-Z a-z 0-9 . _ ~ + -" >&2
  exit 64
fi

mkdir -p "$RUNTIME_DIR" "$FS_BASE/log" "$FS_BASE/db" "$FS_BASE/recordings"
# The data volume shared with the app (recordings written here are read by the app, which runs as uid 1000
# and writes its event log there too): created by whichever container mounts it first, so set its owner.
if [[ -d /var/lib/hotline ]]; then
  chown "${HOTLINE_DATA_OWNER:-1000:1000}" /var/lib/hotline
fi
{
  echo '<include>'
  echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_es_password=${FREESWITCH_SECRET}\"/>"
  [[ -n "${FREESWITCH_PORT:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_es_port=${FREESWITCH_PORT}\"/>"
  [[ -n "${FREESWITCH_LISTEN_IP:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_es_listen_ip=${FREESWITCH_LISTEN_IP}\"/>"
  [[ -n "${HOTLINE_APP_CIDR:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_app_cidr=${HOTLINE_APP_CIDR}\"/>"
  [[ -n "${FREESWITCH_SIP_PORT:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_sip_port=${FREESWITCH_SIP_PORT}\"/>"
  [[ -n "${HOTLINE_RTP_IP:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_rtp_ip=${HOTLINE_RTP_IP}\"/>"
  [[ -n "${HOTLINE_EXT_RTP_IP:-${HOTLINE_RTP_IP:-}}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_ext_rtp_ip=${HOTLINE_EXT_RTP_IP:-${HOTLINE_RTP_IP}}\"/>"
  [[ -n "${HOTLINE_RTP_PORT_MIN:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_rtp_start=${HOTLINE_RTP_PORT_MIN}\"/>"
  [[ -n "${HOTLINE_RTP_PORT_MAX:-}" ]] && echo "  <X-PRE-PROCESS cmd=\"set\" data=\"hotline_rtp_end=${HOTLINE_RTP_PORT_MAX}\"/>"
  echo '</include>'
} > "$RUNTIME_DIR/runtime-vars.xml"
chmod 600 "$RUNTIME_DIR/runtime-vars.xml"

# -nonat -nonatmap: no NAT detection, no UPnP/NAT-PMP port mapping (nothing sent off the machine by itself).
# -nf -nc: stay in the foreground without a console (the container's main process).
exec "$FS_BIN" -nonat -nonatmap -nf -nc \
  -conf "$CONF_DIR" -log "$FS_BASE/log" -db "$FS_BASE/db" "$@"
