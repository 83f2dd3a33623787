#!/usr/bin/env bash
# Fail the action when the check found problems or fix would change a file.
set -euo pipefail
if [ "${CHECK_STATUS:-0}" != "0" ]; then
  echo "readme-guard found problems: see the annotations and the job summary."
  exit 1
fi
if [ "${FIX_STATUS:-0}" != "0" ]; then
  echo "readme-guard fix would change files: run \`readme-guard fix\` and commit the result."
  exit 1
fi
echo "readme-guard: all checks passed."
