#!/usr/bin/env bash
# Install readme-guard into its own virtual environment (never the runner's Python, which
# may be externally managed) and publish its executable as the step output `executable`.
# VERSION empty: the action's own checkout ($GITHUB_ACTION_PATH), so the tool is the version
# of the action ref. READMEGUARD_EXECUTABLE set: use that readme-guard, install nothing.
set -euo pipefail

if [ -n "${READMEGUARD_EXECUTABLE:-}" ]; then
  echo "Using the pre-installed $READMEGUARD_EXECUTABLE"
  echo "executable=$READMEGUARD_EXECUTABLE" >>"$GITHUB_OUTPUT"
  exit 0
fi

version="${VERSION#v}"
if [ -n "$version" ]; then
  if ! [[ "$version" =~ ^[0-9][0-9A-Za-z.+!-]*$ ]]; then
    echo "::error title=readme-guard::input 'version' is not a version: $VERSION"
    exit 2
  fi
  spec="readme-guard==$version"
else
  spec="$GITHUB_ACTION_PATH"
fi

python=$(command -v python3 || command -v python)
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/readme-guard-venv"
"$python" -m venv "$venv"
bin="$venv/bin"
[ -d "$bin" ] || bin="$venv/Scripts"  # Windows
"$bin/python" -m pip install --disable-pip-version-check --quiet "$spec"
"$bin/readme-guard" --version
echo "executable=$bin/readme-guard" >>"$GITHUB_OUTPUT"
