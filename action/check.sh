#!/usr/bin/env bash
# Write SARIF when asked, then check with annotations and the job summary (`--format github`).
# On a pull request only the findings it introduced are reported (`--changed-since` its base
# commit, read from the event file), and with `suggest: true` the fixes on its lines are posted
# as one review of suggestions. Findings do not fail this step: the status goes to the step
# output `status` and the last step fails, so the fix check still runs. Usage, config and input
# errors (exit 2) stop here.
set -uo pipefail
. "$GITHUB_ACTION_PATH/action/common.sh"

# The base (and head) commit of a pull request, from the event file, as 40 or 64 hex digits.
event_commit() {
  local python
  python=$(command -v python3 || command -v python) || return 0
  "$python" - "$1" "${GITHUB_EVENT_PATH:-}" <<'PY'
import json, re, sys
try:
    with open(sys.argv[2], encoding="utf-8") as stream:
        sha = json.load(stream)["pull_request"][sys.argv[1]]["sha"]
except (OSError, ValueError, KeyError, TypeError, IndexError):
    sys.exit(0)
if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
    print(sha)
PY
}

# A shallow checkout lacks the commits to compare with: fetch each one alone.
ensure_commit() {
  git cat-file -e "$1^{commit}" 2>/dev/null ||
    git fetch --no-tags --quiet --depth=1 origin "$1" ||
    echo "::warning title=readme-guard::cannot fetch commit $1"
}

# What to report and what fails: not for SARIF, where code scanning wants every finding.
filters=()
case "${FAIL_ON:-error}" in
  error | warning) filters+=(--fail-on "${FAIL_ON:-error}") ;;
  *)
    echo "::error title=readme-guard::input 'fail-on' must be error or warning"
    exit 2
    ;;
esac
if [ -n "${BASELINE:-}" ]; then
  filters+=(--baseline "$BASELINE")
fi
since="${CHANGED_SINCE:-}"
if [ -z "$since" ]; then
  since=$(event_commit base)
  [ -z "$since" ] || ensure_commit "$since"
fi
review=()
if [ -n "$since" ]; then
  filters+=(--changed-since "$since")
  if [ "${SUGGEST:-false}" = "true" ]; then
    head=$(event_commit head)
    [ -z "$head" ] || ensure_commit "$head"
    review=(--post-suggestions)
  fi
elif [ "${SUGGEST:-false}" = "true" ]; then
  echo "readme-guard: suggestions are for pull requests; none posted."
fi

if [ -n "${SARIF_FILE:-}" ]; then
  mkdir -p "$(dirname -- "$SARIF_FILE")"
  "$READMEGUARD" check --format sarif --output "$SARIF_FILE" --exit-zero \
    "${options[@]}" -- "${files[@]}" || exit $?
  echo "Wrote $SARIF_FILE"
fi

"$READMEGUARD" check --format github "${options[@]}" "${filters[@]}" "${review[@]}" \
  -- "${files[@]}"
status=$?
echo "status=$status" >>"$GITHUB_OUTPUT"
[ "$status" -le 1 ] || exit "$status"
