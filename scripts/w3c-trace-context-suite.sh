#!/usr/bin/env bash
# Runs the official W3C Trace Context test suite (test/test.py of github.com/w3c/trace-context) against a service
# built on @lanes/trace-context (packages/trace-context/conformance/w3c-test-service.js), both on loopback.
# Usage and expected results: docs/gateway.md, "W3C Trace Context conformance".
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: scripts/w3c-trace-context-suite.sh <w3c-trace-context-checkout> [--level 1|2] [--strict 1|2] [-- <test names>]
  <checkout>   a clone of https://github.com/w3c/trace-context (the suite is its test/ folder)
  --level      Trace Context level of our service (default 2)
  --strict     the suite's STRICT_LEVEL: 1 skips its strict tests, 2 runs them all (default 2)
  <test names> passed on to test.py, e.g. TraceContextTest.test_tracestate_duplicated_keys
Needs Python 3 with aiohttp (Debian: apt-get install python3-aiohttp) and a build (npx tsc -b).
USAGE
  exit 2
}

[[ $# -ge 1 && $1 != -* ]] || usage
checkout=$1
shift
level=2
strict=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --level) [[ ${2:-} =~ ^[12]$ ]] || usage; level=$2; shift 2 ;;
    --strict) [[ ${2:-} =~ ^[12]$ ]] || usage; strict=$2; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
suite=$checkout/test
python=${PYTHON:-python3}
service=$root/packages/trace-context/conformance/w3c-test-service.js

[[ -f $suite/test.py ]] || { echo "no test/test.py under $checkout: clone https://github.com/w3c/trace-context" >&2; exit 2; }
[[ -f $root/packages/trace-context/dist/index.js ]] || { echo "packages/trace-context is not built: run npx tsc -b" >&2; exit 2; }
"$python" -c 'import aiohttp' 2>/dev/null || { echo "$python has no aiohttp: apt-get install python3-aiohttp (or pip install aiohttp)" >&2; exit 2; }

out=$(mktemp)
node "$service" --port 0 --level "$level" >"$out" &
service_pid=$!
trap 'kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; rm -f "$out"' EXIT

# Wait for the service's "listening <url>" line (it picks a free port), giving up if it exits.
url=
for _ in $(seq 1 100); do
  url=$(awk '/^listening /{print $2; exit}' "$out")
  [[ -n $url ]] && break
  kill -0 "$service_pid" 2>/dev/null || { echo "the test service exited before listening" >&2; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { echo "the test service did not start listening" >&2; exit 1; }

# The harness listens too; give it a free port instead of its fixed 7777.
harness_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "service $url (Trace Context Level $level), suite STRICT_LEVEL=$strict, harness port $harness_port" >&2
cd "$suite"
STRICT_LEVEL=$strict HARNESS_PORT=$harness_port "$python" test.py "$url" "$@"
