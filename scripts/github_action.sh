#!/usr/bin/env bash
# The step action.yml runs: lint with GitHub annotations (and a job summary,
# written by the github format when GITHUB_STEP_SUMMARY is set), optionally
# write one more report and verify each Dockerfile's build, publish counts as
# step outputs, and exit with dockerlint's exit code.
#
# Inputs come as INPUT_* variables (see action.yml); DOCKERLINT names the
# executable (default: dockerlint on PATH). No input, path or build output
# can add a line to $GITHUB_OUTPUT or start a workflow command: inputs that
# must be one line are refused otherwise, messages are escaped as the runner
# decodes them, and build output is printed with workflow commands stopped.
set -uo pipefail

dockerlint=${DOCKERLINT:-dockerlint}
workspace=${GITHUB_WORKSPACE:-$PWD}
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dockerlint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The message of a workflow command, escaped as actions/runner decodes it (% first).
escape_data() {
  local s=$1
  s=${s//'%'/%25}; s=${s//$'\r'/%0D}; s=${s//$'\n'/%0A}
  printf '%s' "$s"
}
fail() {
  echo "::error title=dockerlint::$(escape_data "$1")"
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=2" >>"$GITHUB_OUTPUT"
  exit 2
}
one_line() {
  case "${2:-}" in *$'\n'*|*$'\r'*) fail "the $1 input must be a single line" ;; esac
}
one_line output-file "${INPUT_OUTPUT_FILE:-}"
one_line format "${INPUT_FORMAT:-}"
one_line config "${INPUT_CONFIG:-}"
one_line failure-threshold "${INPUT_FAILURE_THRESHOLD:-}"

cd "$workspace" || fail "cannot enter GITHUB_WORKSPACE $workspace"

# Paths: one per line when the input has several lines (so a path may contain
# spaces), else separated by spaces.
entries=()
if [[ "${INPUT_PATHS:-}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}; line=${line%"${line##*[![:space:]]}"}  # trim
    [ -n "$line" ] && entries+=("$line")
  done <<<"$INPUT_PATHS"
else
  read -r -a entries <<<"${INPUT_PATHS:-}"
fi
[ ${#entries[@]} -gt 0 ] || entries=(.)

# Globs (`services/*/Dockerfile`, `**/*.Dockerfile`) are expanded here, the same
# way on every runner (macOS's bash 3.2 has no globstar): a pattern that matches
# nothing is an error, as a missing path is.
paths=()
for entry in "${entries[@]}"; do
  case "$entry" in
    *'*'*|*'?'*|*'['*)
      before=${#paths[@]}
      while IFS= read -r -d '' match; do paths+=("$match"); done < <(python3 -c '
import glob, sys
sys.stdout.write("".join(m + "\0" for m in sorted(glob.glob(sys.argv[1], recursive=True))))' "$entry")
      [ ${#paths[@]} -gt "$before" ] || fail "no file matches the paths pattern '$entry'"
      ;;
    *) paths+=("$entry") ;;
  esac
done

options=()
[ -n "${INPUT_CONFIG:-}" ] && options+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FAILURE_THRESHOLD:-}" ] && options+=(--failure-threshold "$INPUT_FAILURE_THRESHOLD")
verify=false
case "${INPUT_VERIFY_BUILD:-false}" in
  true|True|TRUE|1|yes) verify=true ;;
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
    *) fail "unknown format '$format' (allowed: github, sarif, json, gitlab, checkstyle, junit, gnu, tty)" ;;
  esac
  report=${INPUT_OUTPUT_FILE:-dockerlint.$extension}
  formats+=(--format "$format" --output "$report")
fi
formats+=(--format github)

# An error exit (bad config, unreadable file) also becomes an annotation, not only a stderr line.
run_and_annotate() {
  "$@" 2> >(tee "$tmp/stderr" >&2)
  local code=$?
  wait  # for tee
  if [ "$code" -eq 2 ] && [ -s "$tmp/stderr" ]; then
    echo "::error title=dockerlint::$(escape_data "$(tail -n 1 "$tmp/stderr")")"
  fi
  return "$code"
}

# ${options[@]+...}: an empty array is "unbound" to `set -u` in bash < 4.4.
run_and_annotate "$dockerlint" "${formats[@]}" ${options[@]+"${options[@]}"} -- "${paths[@]}"
status=$?

# verify-build: each Dockerfile the paths name (directories are searched as for linting),
# one job summary section each. The build's own output is printed with workflow commands
# stopped, so a RUN step cannot inject `::add-mask::` or `::error` lines into the log.
if [ "$verify" = true ] && [ "$status" -ne 2 ]; then
  "$dockerlint" --show-files ${options[@]+"${options[@]}"} -- "${paths[@]}" >"$tmp/files" 2>"$tmp/stderr"
  [ $? -eq 0 ] || fail "verify-build: $(tail -n 1 "$tmp/stderr")"
  [ -s "$tmp/files" ] || fail "verify-build: no Dockerfile found in the paths"
  token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  while IFS= read -r dockerfile; do
    "$dockerlint" verify --format github -- "$dockerfile" >"$tmp/verify.out" 2>"$tmp/verify.err"
    code=$?
    echo "::stop-commands::$token"
    cat "$tmp/verify.err" >&2
    echo "::$token::"
    cat "$tmp/verify.out"
    if [ "$code" -eq 2 ]; then
      echo "::error title=dockerlint verify::$(escape_data "$dockerfile: $(tail -n 1 "$tmp/verify.err")")"
    fi
    if [ "$code" -eq 2 ] || { [ "$code" -eq 1 ] && [ "$status" -eq 0 ]; }; then
      status=$code
    fi
  done <"$tmp/files"
fi

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
