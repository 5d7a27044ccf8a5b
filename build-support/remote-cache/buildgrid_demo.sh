#!/usr/bin/env bash
# Shows the remote cache at work (README: "Sharing results: a remote cache").
#
#   1. installs BuildGrid (pinned, from PyPI, into its own virtualenv under a cache dir) if missing;
#   2. starts a BuildGrid server on loopback, on a free port, with a throw-away disk CAS;
#   3. runs the unit tier with pants.remote.toml from one EMPTY local cache (run 1: writes);
#   4. runs it again from a SECOND empty local cache (run 2: should read everything back);
#   5. checks that every unit test target of run 2 reports `(cached remotely)`, prints the
#      counts, and exits non-zero otherwise. The server is always stopped.
#
# "Empty local cache" = a fresh `--local-store-dir` (in Pants 2.17 the local process cache
# lives in the local store) and a fresh `--pants-workdir`, with `--no-pantsd` (nothing memoized
# in memory). Named caches (pip/pex downloads) stay shared: they hold inputs, not results.
#
# Usage: build-support/remote-cache/buildgrid_demo.sh [--keep]
#   --keep   keep the temp dir (server config and log, both Pants logs, the CAS) for inspection
# Environment:
#   BUILDGRID_DEMO_CACHE   where BuildGrid's virtualenv lives
#                          (default: ~/.cache/tiered-pants-launcher/buildgrid)
#   BUILDGRID_PYTHON       the Python for that virtualenv (default: python3.11)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly ROOT="${PWD}"

readonly BUILDGRID_VERSION="0.4.4"
readonly INSTANCE="main"
readonly CACHE_DIR="${BUILDGRID_DEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tiered-pants-launcher/buildgrid}"
readonly VENV="${CACHE_DIR}/buildgrid-${BUILDGRID_VERSION}"
readonly PYTHON="${BUILDGRID_PYTHON:-python3.11}"
readonly TIER="unit"

keep=0
case "${1:-}" in
  "") ;;
  --keep) keep=1 ;;
  *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

# die PROBLEM FIX: the project's one message shape, then exit 1.
die() {
  printf 'buildgrid_demo: %s\n    fix: %s\n' "$1" "$2" >&2
  exit 1
}
log() {
  printf 'buildgrid_demo: %s\n' "$*" >&2
}

install_buildgrid() {
  [[ -f "${VENV}/.ready" ]] && return
  command -v "${PYTHON}" >/dev/null \
    || die "${PYTHON} not found (needed to install BuildGrid)." "install it (pyenv install 3.11), or set BUILDGRID_PYTHON."
  log "installing buildgrid==${BUILDGRID_VERSION} from PyPI into ${VENV} (once)."
  rm -rf "${VENV}"
  mkdir -p "${CACHE_DIR}"
  "${PYTHON}" -m venv "${VENV}" || die "could not create a virtualenv at ${VENV} with ${PYTHON}." "install its venv module, or set BUILDGRID_PYTHON to another interpreter."
  # PyPI only: no pip config files, no extra indexes or local wheel directories.
  if ! env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null \
    "${VENV}/bin/python" -m pip install --disable-pip-version-check \
    --index-url https://pypi.org/simple "buildgrid==${BUILDGRID_VERSION}" >"${VENV}/pip.log" 2>&1; then
    tail -n 20 "${VENV}/pip.log" >&2
    die "pip could not install buildgrid==${BUILDGRID_VERSION} into ${VENV} (log: ${VENV}/pip.log)." "check that PyPI is reachable, then re-run."
  fi
  touch "${VENV}/.ready"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_open() {
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$1" 2>/dev/null
}

server_pid=""
pants_pid=""
work=""
cleanup() {
  local status=$?
  if [[ -n "${pants_pid}" ]] && kill -0 "${pants_pid}" 2>/dev/null; then
    kill -INT "${pants_pid}" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "${pants_pid}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pants_pid}" 2>/dev/null || true
    log "stopped the Pants run (pid ${pants_pid})."
  fi
  if [[ -n "${server_pid}" ]] && kill -0 "${server_pid}" 2>/dev/null; then
    kill "${server_pid}" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "${server_pid}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
    log "stopped the BuildGrid server (pid ${server_pid})."
  fi
  if [[ -n "${work}" ]]; then
    if ((keep)); then log "kept ${work}"; else rm -rf "${work}"; fi
  fi
  exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_server() {
  local port="$1"
  # thread-pool-size also caps concurrent RPCs; BuildGrid's default (5 per CPU, 10 here) makes
  # Pants' parallel uploads fail with "Concurrent RPC limit exceeded", so match Pants' default
  # remote_store_rpc_concurrency (128).
  cat >"${work}/buildgrid.yml" <<EOF
thread-pool-size: 128
server:
  - !channel
    address: "127.0.0.1:${port}"
    insecure-mode: true
authorization:
  method: none
storages:
  - !disk-storage &cas
    path: ${work}/cas
caches:
  - !lru-action-cache &ac
    storage: *cas
    max-cached-refs: 100000
    allow-updates: true
    cache-failed-actions: true
instances:
  - name: ${INSTANCE}
    services:
      - !action-cache
        cache: *ac
      - !cas
        storage: *cas
      - !bytestream
        storage: *cas
EOF
  mkdir -p "${work}/cas"
  "${VENV}/bin/bgd" server start "${work}/buildgrid.yml" >"${work}/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 150); do
    if ! kill -0 "${server_pid}" 2>/dev/null; then
      tail -n 20 "${work}/server.log" >&2
      die "the BuildGrid server exited at startup (config ${work}/buildgrid.yml, log above)." "re-run with --keep and inspect the config and log."
    fi
    port_open "${port}" && return
    sleep 0.2
  done
  tail -n 20 "${work}/server.log" >&2
  die "the BuildGrid server did not listen on 127.0.0.1:${port} within 30 s (log above)." "re-run with --keep and inspect its log."
}

# Prints `ADDRESS<TAB>SOURCE` for each test target of the run's summary, reading Pants' summary
# lines: `✓ ADDR succeeded in 1.2s (cached remotely).` or, batched,
# `✓ ADDR and N other files succeeded in 1.2s.` (N+1 targets, one shared source). A batch
# names only its first address, so the others are printed as `ADDR+k`.
summary_targets() {
  python3 - "$1" <<'EOF'
import re, sys
line_re = re.compile(
    r"^[✓✕] (?P<addr>\S+)(?: and (?P<others>\d+) other files)? (?P<status>succeeded|failed)"
    r" in [0-9.]+s(?: \((?P<source>[^)]*)\))?\.$"
)
for line in open(sys.argv[1], encoding="utf-8"):
    m = line_re.match(line.rstrip("\n"))
    if not m:
        continue
    source = m["source"] or "ran"
    if m["status"] == "failed":
        source = "failed"
    for k in range(1 + int(m["others"] or 0)):
        print(f"{m['addr']}{'+' + str(k) if k else ''}\t{source}")
EOF
}

run_tier() {
  local n="$1" address="$2"
  local log_file="${work}/run${n}.log"
  mkdir -p "${work}/store${n}" "${work}/workdir${n}"
  log "run ${n}: ./pants --no-pantsd --tag=${TIER} test :: (overlay pants.remote.toml, remote ${address}, empty local store ${work}/store${n})"
  local start end status=0
  start=$(date +%s.%N)
  PANTS_CONFIG_FILES=pants.remote.toml PANTS_REMOTE_STORE_ADDRESS="${address}" \
    PANTS_REMOTE_INSTANCE_NAME="${INSTANCE}" \
    ./pants --no-pantsd --no-colors --local-store-dir="${work}/store${n}" \
    --pants-workdir="${work}/workdir${n}" --tag="${TIER}" test :: \
    --no-test-report >"${log_file}" 2>&1 &
  # In the background, so that a signal stops the demo (and, in cleanup, Pants) at once.
  pants_pid=$!
  wait "${pants_pid}" || status=$?
  pants_pid=""
  end=$(date +%s.%N)
  RUN_SECONDS=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "${start}" "${end}")
  if ((status != 0)); then
    tail -n 40 "${log_file}" >&2
    die "run ${n} failed (exit ${status}; log ${log_file}, kept with --keep; its tail is above)." "failing tests are never cached: make the tier pass (./pants --tag=${TIER} test ::), then re-run."
  fi
  if grep '\[WARN\]' "${log_file}" | grep -qi 'remote'; then
    grep '\[WARN\]' "${log_file}" | grep -i 'remote' | head -n 5 >&2
    log "run ${n}: Pants warned about the remote cache (above); results may have run locally."
  fi
}

main() {
  install_buildgrid
  work="$(mktemp -d "${TMPDIR:-/tmp}/buildgrid-demo.XXXXXX")"
  local port address
  port="$(free_port)"
  address="grpc://127.0.0.1:${port}"
  start_server "${port}"
  log "BuildGrid ${BUILDGRID_VERSION} serving instance '${INSTANCE}' on ${address} (pid ${server_pid}, CAS ${work}/cas)."

  # The unit test targets Pants will run: python_test targets tagged unit, minus skip_tests.
  local expected
  expected="$(./pants --no-pantsd --tag="${TIER}" --filter-target-type=python_test peek :: 2>"${work}/peek.log" \
    | python3 -c 'import json, sys; print(sum(1 for t in json.load(sys.stdin) if not t.get("skip_tests")))')" \
    || { tail -n 20 "${work}/peek.log" >&2; die "could not list the ${TIER} test targets (./pants peek failed, log above)." "fix what Pants reports, then re-run."; }
  ((expected > 0)) || die "no ${TIER} test targets found." "run the demo from the repository root."

  run_tier 1 "${address}"
  local run1_seconds="${RUN_SECONDS}"
  summary_targets "${work}/run1.log" >"${work}/run1.targets"
  run_tier 2 "${address}"
  local run2_seconds="${RUN_SECONDS}"
  summary_targets "${work}/run2.log" >"${work}/run2.targets"

  local run1_total run2_total run2_remote
  run1_total=$(wc -l <"${work}/run1.targets")
  run2_total=$(wc -l <"${work}/run2.targets")
  run2_remote=$(grep -c $'\tcached remotely$' "${work}/run2.targets" || true)
  local cas_blobs
  cas_blobs=$(find "${work}/cas" -type f | wc -l)

  echo
  echo "== remote cache demo (BuildGrid ${BUILDGRID_VERSION}, ${address}, instance ${INSTANCE})"
  echo "unit test targets (peek, not skip_tests): ${expected}"
  echo "run 1 (empty local store #1): ${run1_seconds} s, ${run1_total} targets reported: $(cut -f2 "${work}/run1.targets" | sort | uniq -c | awk '{n=$1; $1=""; printf "%s%s x%s", sep, substr($0, 2), n; sep=", "}')"
  echo "run 2 (empty local store #2): ${run2_seconds} s, ${run2_total} targets reported: $(cut -f2 "${work}/run2.targets" | sort | uniq -c | awk '{n=$1; $1=""; printf "%s%s x%s", sep, substr($0, 2), n; sep=", "}')"
  echo "blobs in the server's CAS: ${cas_blobs}"
  echo "run 2 summary lines:"
  grep -E '^[✓✕] ' "${work}/run2.log" | sed 's/^/  /'

  if ((run1_total != expected || run2_total != expected)); then
    die "Pants reported ${run1_total} (run 1) and ${run2_total} (run 2) test targets, expected ${expected}." "re-run with --keep and compare ${work}/run*.log."
  fi
  if ((run2_remote != run2_total)); then
    grep -v $'\tcached remotely$' "${work}/run2.targets" >&2
    die "$((run2_total - run2_remote)) of ${run2_total} unit results were not served by the remote cache (above)." "check that every input is hermetic (environment variables, PATH): re-run with --keep and compare the two runs' logs."
  fi
  echo "OK: ${run2_remote} of ${run2_total} unit test targets were served from the remote cache (cached remotely) on the second empty local cache."
}

main
