#!/usr/bin/env bash
# Runs one Jazzer fuzz target of the fuzz module for real (coverage-guided), for a bounded time.
#   fuzz/fuzz.sh TARGET [--duration 60s]       (or: ./oasis fuzz TARGET [--duration 60s])
# Without this script the same targets run in regression mode (committed inputs only) in every `mvn test`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/fuzz"
RESOURCES="$MODULE/src/test/resources/dev/oasisj/fuzz"

# short name -> test class and @FuzzTest method (package dev.oasisj.fuzz)
declare -A TARGETS=(
  [tx-decode]="TransactionDecodingFuzzTest#decode"
  [consensus-decode]="ConsensusMessageDecodingFuzzTest#decode"
  [tx-handling]="TransactionHandlingFuzzTest#applyProgram"
  [node-input]="NodeInputFuzzTest#applyInputs"
  [block-decode]="WireDecodingFuzzTest#block"
  [peer-decode]="WireDecodingFuzzTest#peerMessage"
  [evidence-decode]="WireDecodingFuzzTest#evidence"
  [journal-decode]="WireDecodingFuzzTest#nodeInput"
  [journal-record]="JournalFuzzTest#record"
  [journal-limits]="JournalFuzzTest#inputAtItsLimit"
  [frame-decode]="FrameDecoderFuzzTest#frames"
  [vrf-verify]="EcVrfFuzzTest#verify"
  [envelope-decode]="TransactionEnvelopeFuzzTest#decode"
  [envelope-body]="TransactionEnvelopeFuzzTest#body"
  [services-tx]="ServicesHandlingFuzzTest#services"
  [staking-tx]="ServicesHandlingFuzzTest#staking"
  [registry-tx]="ServicesHandlingFuzzTest#registry"
  [beacon-tx]="ServicesHandlingFuzzTest#beacon"
  [services-snapshot]="ServicesSnapshotFuzzTest#restore"
)
ORDER=(tx-decode consensus-decode tx-handling node-input block-decode peer-decode evidence-decode journal-decode journal-record
  journal-limits frame-decode vrf-verify envelope-decode envelope-body services-tx staking-tx registry-tx beacon-tx
  services-snapshot)
# libFuzzer's -max_len where the default (4 KiB, or the longest committed input) would stop short of the limit under
# test: one byte past the largest journal record (4,194,296 bytes), and a largest frame (4,194,286 + 4) with a
# second length prefix after it; one byte past the largest transaction envelope (16,645 bytes), and a method selector
# byte plus the largest body (16,384 bytes). Jazzer 0.30's @FuzzTest has no length option; it takes libFuzzer
# arguments from the configuration parameters jazzer.internal.arg.N (N = 0 is argv[0]).
declare -A MAX_LEN=(
  [journal-decode]=4194297
  [journal-record]=4194297
  [frame-decode]=4194298
  [envelope-decode]=16646
  [envelope-body]=16385
)

usage() {
  cat <<EOF
usage: fuzz.sh TARGET [--duration DURATION] [--runs N]
       ./oasis fuzz TARGET [--duration DURATION] [--runs N]

Fuzzes one target with Jazzer (JAZZER_FUZZ=1) until DURATION has passed (default 60s; e.g. 30s, 5m, 1h) or
N inputs have run, or until the first finding.

targets:
EOF
  for t in "${ORDER[@]}"; do
    printf '  %-17s %s\n' "$t" "dev.oasisj.fuzz.${TARGETS[$t]}"
  done
  cat <<EOF

Where results go:
  findings   a crash-<sha1> file in src/test/resources/dev/oasisj/fuzz/<Class>Inputs/<method>/ (git-ignored:
             crash-*), plus the failing assertion or exception and its stack trace in the output.
  corpus     fuzz/.cifuzz-corpus/dev.oasisj.fuzz.<Class>/<method>/ (git-ignored; kept between runs, so a later run
             starts where this one stopped; delete it to start over from the committed inputs).
To make a finding a regression test: rename the crash file (git mv is not needed; it is untracked) to a name that
says what it is, e.g. crash-3f2a... -> overflow-fee-near-max, and commit it; plain \`mvn test\` then runs it.

environment:
  OASIS_BUILD_SUFFIX  build into target<suffix>/ (e.g. -fuzz) so the run does not clash with other builds
EOF
}

if [ $# -eq 0 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ] || [ "$1" = "help" ]; then
  usage
  exit 2
fi

target="$1"
shift
if [ -z "${TARGETS[$target]+set}" ]; then
  echo "fuzz.sh: unknown target '$target'" >&2
  echo "known targets: ${ORDER[*]} (fuzz.sh --help for details)" >&2
  exit 2
fi

duration="60s"
runs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration)
      [ $# -ge 2 ] || { echo "fuzz.sh: --duration needs a value such as 60s, 5m or 1h" >&2; exit 2; }
      duration="$2"; shift 2 ;;
    --duration=*) duration="${1#--duration=}"; shift ;;
    --runs)
      [ $# -ge 2 ] || { echo "fuzz.sh: --runs needs a positive number" >&2; exit 2; }
      runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    -h|--help) usage; exit 2 ;;
    *) echo "fuzz.sh: unknown option '$1' (fuzz.sh --help for usage)" >&2; exit 2 ;;
  esac
done
if [[ "$duration" =~ ^[0-9]+$ ]]; then
  duration="${duration}s"
fi
if ! [[ "$duration" =~ ^[1-9][0-9]*[smh]$ ]]; then
  echo "fuzz.sh: bad duration '$duration' (use a positive number with s, m or h, e.g. 60s, 5m, 1h)" >&2
  exit 2
fi
if [ -n "$runs" ] && ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: bad --runs '$runs' (a positive number)" >&2
  exit 2
fi

spec="${TARGETS[$target]}"
class="${spec%%#*}"
method="${spec##*#}"
if [ ! -f "$MODULE/src/test/java/dev/oasisj/fuzz/$class.java" ]; then
  echo "fuzz.sh: target '$target' ($class) is not written yet in this checkout" >&2
  exit 2
fi
inputs="$RESOURCES/${class}Inputs/$method"
corpus="$MODULE/.cifuzz-corpus/dev.oasisj.fuzz.$class/$method"

echo "fuzz.sh: fuzzing $target = dev.oasisj.fuzz.$class#$method for $duration${runs:+ or $runs runs}"
echo "fuzz.sh: seeds from $inputs"
echo "fuzz.sh: corpus in  $corpus"
echo "fuzz.sh: findings   crash-* files in $inputs/"

# Jazzer (0.30) reads its options from JAZZER_* environment variables as well as from system properties:
# JAZZER_FUZZ=1 switches @FuzzTest from regression mode to fuzzing, JAZZER_MAX_DURATION overrides
# @FuzzTest(maxDuration) and JAZZER_MAX_EXECUTIONS overrides @FuzzTest(maxExecutions). The surefire fork inherits them.
export JAZZER_FUZZ=1
export JAZZER_MAX_DURATION="$duration"
if [ -n "$runs" ]; then
  export JAZZER_MAX_EXECUTIONS="$runs"
fi

start=$(date +%s)
status=0
libfuzzer_args=()
if [ -n "${MAX_LEN[$target]+set}" ]; then
  libfuzzer_args=(-Djazzer.internal.arg.0=fuzz.sh "-Djazzer.internal.arg.1=-max_len=${MAX_LEN[$target]}")
  echo "fuzz.sh: inputs up to ${MAX_LEN[$target]} bytes (-max_len)"
fi
(cd "$ROOT" && mvn -B -q -Doasis.buildSuffix="${OASIS_BUILD_SUFFIX-}" -pl fuzz -am test \
  -Dtest="dev.oasisj.fuzz.$class#$method" -Dsurefire.failIfNoSpecifiedTests=false "${libfuzzer_args[@]}") \
  || status=$?
end=$(date +%s)

echo
echo "fuzz.sh: $target ran $((end - start)) s in total (build and JVM start included), maven exit code $status"
shopt -s nullglob
crashes=("$inputs"/crash-* "$MODULE"/crash-*)
if [ ${#crashes[@]} -gt 0 ]; then
  echo "fuzz.sh: findings (inputs that fail the target):"
  for c in "${crashes[@]}"; do
    echo "  $c"
  done
  echo "fuzz.sh: to keep one as a regression test, rename it to say what it is (crash-* files are git-ignored) and"
  echo "         commit it; to reproduce: mvn -pl fuzz -am test -Dtest='dev.oasisj.fuzz.$class' (regression mode)."
else
  echo "fuzz.sh: no crash files."
fi
if [ -d "$corpus" ]; then
  echo "fuzz.sh: corpus now holds $(find "$corpus" -type f | wc -l) inputs ($corpus)"
fi
exit "$status"
