#!/usr/bin/env bash
# Named implementation mutants of the consensus core, each of which the conformance suites alone must kill.
#   conformance/named-mutants.sh [NAME...]      (also run by ./oasis mutation consensus, before PIT)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/conformance/named-mutants"

usage() {
  cat <<EOF
usage: conformance/named-mutants.sh [NAME...]

Each file conformance/named-mutants/NAME.patch is a small, named bug in the consensus core (a guard or a threshold the
conformance suites once let through, see conformance/README.md). For each (or only the NAMEs given): the tracked
source tree is copied to a scratch folder (\${TMPDIR:-/tmp}/oasis-named-mutants/NAME/), the patch is applied there, and
the conformance suites (ConsensusTraceConformanceTest, ConsensusSpecSemanticsConformanceTest, SpecDefinitions-
ConformanceTest; not the TLC-based trace validation) run against the mutated core with the full trace corpus (the
committed golden traces and model-check/target/traces, generated first if missing). A mutant is KILLED when a suite
fails, and SURVIVED when all pass. One line per mutant, then:
  named-mutants: killed=K survived=S total=N
Exit 0 only if every mutant is killed; 1 otherwise; 2 on bad arguments. The working tree is never modified.
EOF
}

case "${1:-}" in -h|--help|help) usage; exit 0 ;; esac
names=()
if [ "$#" -eq 0 ]; then
  for p in "$DIR"/*.patch; do names+=("$(basename "$p" .patch)"); done
else
  for n in "$@"; do
    [ -f "$DIR/$n.patch" ] || { echo "named-mutants: no mutant '$n' (known: $(ls "$DIR" | sed 's/\.patch$//' | tr '\n' ' '))" >&2; exit 2; }
    names+=("$n")
  done
fi

TRACES="$ROOT/model-check/target/traces/consensus"
if [ "$(find "$TRACES" -maxdepth 1 -name '*.ndjson' 2>/dev/null | wc -l)" -lt 200 ]; then
  echo "named-mutants: generated traces missing under $TRACES; generating them (./oasis traces --spec consensus)..."
  "$ROOT/oasis" traces --spec consensus
fi

# Outside the repository: `git apply` inside a repository's subfolder silently skips paths outside that subfolder.
SCRATCH="${TMPDIR:-/tmp}/oasis-named-mutants"
killed=0; survived=0
for n in "${names[@]}"; do
  start=$(date +%s)
  work="$SCRATCH/$n"
  rm -rf "$work"; mkdir -p "$work"
  (cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$work")
  mkdir -p "$work/model-check/target"
  ln -s "$ROOT/model-check/target/traces" "$work/model-check/target/traces"
  if ! (cd "$work" && git apply "$DIR/$n.patch" && git apply --check -R "$DIR/$n.patch"); then
    echo "named-mutants: $n: the patch does not apply to this tree (regenerate it)" >&2
    exit 1
  fi
  log="$work/conformance.log"
  set +e
  (cd "$work" && mvn -B -q -o -pl conformance -am test -Dmodelcheck.skip=true \
      -Dtest='ConsensusTraceConformanceTest,ConsensusSpecSemanticsConformanceTest,SpecDefinitionsConformanceTest' \
      -Dsurefire.failIfNoSpecifiedTests=false) >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  if grep -q "COMPILATION ERROR" "$log"; then
    echo "named-mutants: $n: the mutated core does not compile (see $log)" >&2
    exit 1
  fi
  if [ "$rc" -ne 0 ]; then
    killed=$((killed + 1))
    first=$(grep -m1 -E "^\[ERROR\] +[A-Za-z]+ConformanceTest\.|conformance mismatch|AssertionFailed" "$log" | cut -c1-160 || true)
    echo "named-mutants: $n KILLED (${secs} s) by: ${first:-see $log}"
  else
    survived=$((survived + 1))
    echo "named-mutants: $n SURVIVED (${secs} s): the conformance suites pass on the mutated core"
  fi
done
echo "named-mutants: killed=$killed survived=$survived total=${#names[@]}"
[ "$survived" -eq 0 ]
