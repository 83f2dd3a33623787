#!/usr/bin/env bash
# Write SARIF when asked, then check with annotations and the job summary (`--format github`).
# Findings do not fail this step: the status goes to the step output `status` and the last
# step fails, so the fix check still runs. Usage, config and input errors (exit 2) stop here.
set -uo pipefail
. "$GITHUB_ACTION_PATH/action/common.sh"

if [ -n "${SARIF_FILE:-}" ]; then
  mkdir -p "$(dirname -- "$SARIF_FILE")"
  "$READMEGUARD" check --format sarif --output "$SARIF_FILE" --exit-zero \
    "${options[@]}" -- "${files[@]}" || exit $?
  echo "Wrote $SARIF_FILE"
fi

"$READMEGUARD" check --format github "${options[@]}" -- "${files[@]}"
status=$?
echo "status=$status" >>"$GITHUB_OUTPUT"
[ "$status" -le 1 ] || exit "$status"
