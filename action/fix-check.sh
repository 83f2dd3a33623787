#!/usr/bin/env bash
# With `fix-check: true`: would `readme-guard fix` change a file? The answer goes to the step
# output `status` (0 no, 1 yes) and, when yes, a line in the job summary.
set -uo pipefail
if [ "${FIX_CHECK:-false}" != "true" ]; then
  echo "fix-check is off"
  exit 0
fi
. "$GITHUB_ACTION_PATH/action/common.sh"

"$READMEGUARD" fix --check "${options[@]}" -- "${files[@]}"
status=$?
echo "status=$status" >>"$GITHUB_OUTPUT"
if [ "$status" -eq 1 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  printf "%s\n\n" "**readme-guard fix** would change files: apply the suggestions of the review (or of the diffs above), or run \`readme-guard fix\` and commit the result." \
    >>"$GITHUB_STEP_SUMMARY"
fi
[ "$status" -le 1 ] || exit "$status"
