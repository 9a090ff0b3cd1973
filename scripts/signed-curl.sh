#!/usr/bin/env bash
# A device-signed request to the sync server with curl, for trying the API by hand
# (docs/api.md). The signature is HMAC-SHA256 under the device's secret over
#   METHOD \n TARGET \n TIME_MS \n NONCE \n hex(SHA-256(body))
#
#   scripts/signed-curl.sh DEVICE_DIR METHOD TARGET [BODY_FILE]
#   scripts/signed-curl.sh demo-hub/devices/entrance-1 GET '/v1/changes?since=0'
#
# Uses the url, secret and pinned certificate named in DEVICE_DIR/device.toml.
set -euo pipefail
dir=${1:?device folder}; method=${2:?method}; target=${3:?target}; body_file=${4:-/dev/null}
value() { sed -n "s/^$1 *= *\"\\([^\"]*\\)\".*/\\1/p" "$dir/device.toml" | head -n1; }
device=$(value id); url=$(value url); secret=$(tr -d '\n' < "$dir/$(value secret)")
cert="$dir/$(value certificate)"
time_ms=$(( $(date +%s%N) / 1000000 ))
nonce=$(openssl rand -hex 16)
body_hash=$(openssl dgst -sha256 -r "$body_file" | cut -d' ' -f1)
signature=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$target" "$time_ms" "$nonce" "$body_hash" |
            openssl dgst -sha256 -mac HMAC -macopt "hexkey:$secret" -r | cut -d' ' -f1)
tls=(); [[ $url == https://* ]] && tls=(--cacert "$cert")
exec curl -sS "${tls[@]}" -X "$method" "$url$target" \
  -H "Content-Type: application/json" -H "X-Muster-Device: $device" -H "X-Muster-Time: $time_ms" \
  -H "X-Muster-Nonce: $nonce" -H "X-Muster-Signature: $signature" --data-binary "@$body_file"
