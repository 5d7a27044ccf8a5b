#!/usr/bin/env bash
# Builds a plain virtualenv from a Pants lockfile, for running pytest without Pants.
#
# Usage: from_lockfile.sh LOCKFILE PYTHON VENV
#
# pex exports the lock as hash-pinned requirements for this interpreter; Pants' lockfiles carry
# a `//` comment header that pex does not read, so it is stripped first. Rebuilt only when the
# lockfile is newer than the virtualenv.
set -euo pipefail
# PEX_VERSION: the pex that ./pants uses, from pants.toml (sourcing the launcher runs nothing).
# shellcheck source=../../pants
source "$(dirname "${BASH_SOURCE[0]}")/../../pants"

if (($# != 3)); then
  echo "usage: $0 LOCKFILE PYTHON VENV" >&2
  exit 2
fi
lockfile="$1" python="$2" venv="$3"
[[ -f "${lockfile}" ]] || { printf '%s: no lockfile at %s.\n    fix: pass a lockfile under 3rdparty/python/.\n' "$0" "${lockfile}" >&2; exit 1; }
command -v "${python}" >/dev/null || { printf '%s: %s not found.\n    fix: install it (e.g. with pyenv), or pass another interpreter.\n' "$0" "${python}" >&2; exit 1; }

if [[ -f "${venv}/.installed" && "${venv}/.installed" -nt "${lockfile}" ]]; then
  exit 0
fi
rm -rf "${venv}"
"${python}" -m venv "${venv}"
pip=("${venv}/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" "pex==${PEX_VERSION}" 2>"${venv}/pip.log"
grep -v '^//' "${lockfile}" >"${venv}/lock.json"
"${venv}/bin/pex3" lock export --format pip "${venv}/lock.json" >"${venv}/requirements.txt"
"${pip[@]}" --no-deps --require-hashes -r "${venv}/requirements.txt" 2>>"${venv}/pip.log"
touch "${venv}/.installed"
