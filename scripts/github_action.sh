#!/usr/bin/env bash
# The step action.yml runs: lint with GitHub annotations (and a job summary,
# written by the github format when GITHUB_STEP_SUMMARY is set), optionally
# write one more report, publish counts as step outputs, and exit with
# dockerlint's exit code.
#
# Inputs come as INPUT_* variables (see action.yml); DOCKERLINT names the
# executable (default: dockerlint on PATH).
set -uo pipefail

dockerlint=${DOCKERLINT:-dockerlint}
workspace=${GITHUB_WORKSPACE:-$PWD}
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dockerlint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cd "$workspace" || { echo "::error title=dockerlint::cannot enter GITHUB_WORKSPACE $workspace"; exit 2; }

# Paths: one per line when the input has several lines (so a path may contain
# spaces), else separated by spaces.
paths=()
if [[ "${INPUT_PATHS:-}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}; line=${line%"${line##*[![:space:]]}"}  # trim
    [ -n "$line" ] && paths+=("$line")
  done <<<"$INPUT_PATHS"
else
  read -r -a paths <<<"${INPUT_PATHS:-}"
fi
[ ${#paths[@]} -gt 0 ] || paths=(.)

options=()
[ -n "${INPUT_CONFIG:-}" ] && options+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FAILURE_THRESHOLD:-}" ] && options+=(--failure-threshold "$INPUT_FAILURE_THRESHOLD")
case "${INPUT_VERIFY_BUILD:-false}" in
  true|True|TRUE|1|yes) options+=(--verify-build) ;;
esac

# --format/--output pair in order, and a format without --output goes to stdout:
# files first, the annotations last.
formats=(--format json --output "$tmp/counts.json")
report=""
format=${INPUT_FORMAT:-}
if [ -n "$format" ] && [ "$format" != github ]; then
  case "$format" in  # (no associative arrays: macOS runners have bash 3.2)
    sarif) extension=sarif ;;
    json|gitlab) extension=json ;;
    checkstyle|junit) extension=xml ;;
    gnu|tty) extension=txt ;;
    *) echo "::error title=dockerlint::unknown format '$format' (allowed: github, sarif, json, gitlab, checkstyle, junit, gnu, tty)"
       exit 2 ;;
  esac
  report=${INPUT_OUTPUT_FILE:-dockerlint.$extension}
  formats+=(--format "$format" --output "$report")
fi
formats+=(--format github)

# ${options[@]+...}: an empty array is "unbound" to `set -u` in bash < 4.4.
"$dockerlint" "${formats[@]}" ${options[@]+"${options[@]}"} -- "${paths[@]}"
status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    [ -n "$report" ] && [ -f "$report" ] && echo "report=$report"
    if [ -s "$tmp/counts.json" ]; then
      python3 - "$tmp/counts.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
print(f"findings={sum(summary[s] for s in ('error', 'warning', 'info', 'style'))}")
print(f"errors={summary['error']}")
PY
    fi
  } >>"$GITHUB_OUTPUT"
fi
exit "$status"
