# Sourced by the step scripts: the readme-guard arguments from the FILES and CONFIG inputs.
# FILES is split on whitespace with globbing off, so no input is ever evaluated as shell.
set -f
# shellcheck disable=SC2206
files=(${FILES:-})
set +f
options=()
if [ -n "${CONFIG:-}" ]; then
  options=(--config "$CONFIG")
fi
