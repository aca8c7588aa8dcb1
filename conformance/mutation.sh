#!/usr/bin/env bash
# Mutation testing of a core with the conformance suites alone (PIT), and its score.
#   conformance/mutation.sh consensus        (or: ./oasis mutation consensus)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORE="${1:-}"
THRESHOLD=85
PROFILE=mutation
# Maven output goes to target${OASIS_BUILD_SUFFIX}/ (the parent POM's oasis.buildSuffix), so a mutation run can go on
# next to another build of the same tree. Default: target-mutation/.
SUFFIX="${OASIS_BUILD_SUFFIX--mutation}"
THREADS="${OASIS_MUTATION_THREADS:-2}"

usage() {
  cat <<EOF
usage: conformance/mutation.sh consensus|committee
       ./oasis mutation consensus|committee

Runs PIT (pitest-maven, the 'mutation' profile of conformance/pom.xml) on the consensus core: every class of
dev.oasisj.core.consensus (impl/core/src/main/java/dev/oasisj/core/consensus) is mutated, and against each mutant only the
conformance suites run (the tests of dev.oasisj.conformance, which replay the spec's TLC traces into the core and
check it against the spec; the TLC-based impl trace validation in dev.oasisj.conformance.tracecheck is left out: it
starts TLC per check). No other module's tests run.

In this mode the suites replay the committed golden traces (traces/consensus/) plus every 8th of the traces the build
generates (model-check/target/traces/consensus/); if those are missing they are generated first (./oasis traces).

First runs the named mutants (conformance/named-mutants.sh: each patch in conformance/named-mutants/ must be killed by
the conformance suites with the full corpus; about 2-3 min each). Then prints PIT's progress, then one summary line:
  mutation: consensus killed=K timed-out=T survived=S no-coverage=N total=M score=P% (threshold ${THRESHOLD}%)
where score = (killed + timed-out + other detected) / total. Exit 0 only if score >= ${THRESHOLD}%; 1 below it or if the
run failed; 2 on bad arguments.

committee: every class of dev.oasisj.core.staking, dev.oasisj.core.registry and dev.oasisj.core.scheduler is
mutated (the 'mutation-committee' profile), and against each mutant only the committee conformance suites run
(dev.oasisj.conformance.Committee*: CommitteeTraceConformanceTest, which replays traces/committee/ plus every 8th
generated trace into the three cores with the real sorting hash, CommitteeCoverageTest, CommitteeModelFilesTest; the
TLC-based CommitteeImplTraceValidationTest is left out). Threshold 70%. No named mutants.

Reports: conformance/target${SUFFIX}/pit-reports/ (index.html, mutations.xml).
Environment: OASIS_BUILD_SUFFIX (default "-mutation"), OASIS_MUTATION_THREADS (default 2).
EOF
}

case "$CORE" in
  -h|--help|help) usage; exit 0 ;;
  consensus) ;;
  committee) THRESHOLD=70; PROFILE=mutation-committee ;;
  "") echo "mutation: which core? (known: consensus, committee); see --help" >&2; exit 2 ;;
  *) echo "mutation: unknown core '$1' (known: consensus, committee); see --help" >&2; exit 2 ;;
esac
if [ "$#" -ne 1 ]; then
  echo "mutation: unexpected arguments after '$1': ${*:2}; see --help" >&2
  exit 2
fi

TRACES="$ROOT/model-check/target/traces/$CORE"
count_traces() { find "$TRACES" -maxdepth 1 -name '*.ndjson' 2>/dev/null | wc -l; }
if [ "$(count_traces)" -lt 200 ]; then
  echo "mutation: generated traces missing under $TRACES; generating them (./oasis traces --spec $CORE)..."
  "$ROOT/oasis" traces --spec "$CORE"
fi
named_rc=0
if [ "$CORE" = consensus ]; then
  echo "mutation: named mutants first (conformance/named-mutants.sh): each must be killed by the conformance suites"
  "$ROOT/conformance/named-mutants.sh" | sed -u 's/^/mutation: /' || named_rc=1
  echo "mutation: consensus core, conformance suites only; golden traces + every 8th of $(count_traces) generated traces"
else
  echo "mutation: committee cores (staking, registry, scheduler), committee conformance suites only; golden traces +" \
    "every 8th of $(count_traces) generated traces"
fi

MODULE="$ROOT/conformance"
REPORTS="$MODULE/target$SUFFIX/pit-reports"
LOG="$MODULE/target$SUFFIX/mutation.log"
mkdir -p "$MODULE/target$SUFFIX"
rm -f "$REPORTS/mutations.xml"
start=$(date +%s)
echo "mutation: building and running PIT (${THREADS} threads; full log: $LOG)"
# -Dmaven.test.skip.exec: surefire runs no tests in any module (PIT's own test runs are not affected);
# -Dmodelcheck.skip: the model-check module does not run TLC. PIT's own threshold check is off here
# (-Dmutation.threshold=0) so that the score below is printed from the report either way.
set +e
(cd "$ROOT" && mvn -B -P"$PROFILE" -pl conformance -am \
    -Dmodelcheck.skip=true -Dmaven.test.skip.exec=true \
    -Doasis.buildSuffix="$SUFFIX" -Dmutation.threshold=0 -Dmutation.threads="$THREADS" verify) >"$LOG" 2>&1 &
mvn_pid=$!
# progress: PIT's own INFO/WARNING lines as they come, plus a heartbeat every minute
( tail --pid="$mvn_pid" -n +1 -F "$LOG" 2>/dev/null | grep --line-buffered -E 'PIT >> (INFO|WARNING)|BUILD (SUCCESS|FAILURE)|\[ERROR\]' \
    | sed -u 's/^/mutation: /' ) &
tail_pid=$!
( while kill -0 "$mvn_pid" 2>/dev/null; do sleep 60
    kill -0 "$mvn_pid" 2>/dev/null && echo "mutation: ... running, $(( $(date +%s) - start )) s so far"; done ) &
beat_pid=$!
wait "$mvn_pid"
rc=$?
kill "$beat_pid" 2>/dev/null
wait "$tail_pid" "$beat_pid" 2>/dev/null
set -e
elapsed=$(( $(date +%s) - start ))

XML="$REPORTS/mutations.xml"
if [ ! -s "$XML" ]; then
  echo "mutation: the run failed (maven exit $rc) and wrote no report; last lines of $LOG:" >&2
  tail -n 30 "$LOG" >&2
  exit 1
fi
status_count() { { grep -o "status='$1'" "$XML" || true; } | wc -l; }
killed=$(status_count KILLED)
timed=$(status_count TIMED_OUT)
memory=$(status_count MEMORY_ERROR)
runerr=$(status_count RUN_ERROR)
survived=$(status_count SURVIVED)
nocov=$(status_count NO_COVERAGE)
total=$({ grep -o "<mutation " "$XML" || true; } | wc -l)
detected=$({ grep -o "detected='true'" "$XML" || true; } | wc -l)
if [ "$total" -eq 0 ]; then
  echo "mutation: the report lists no mutants" >&2
  exit 1
fi
score_x10=$(( detected * 1000 / total ))
score="$(( score_x10 / 10 )).$(( score_x10 % 10 ))"
killed_x10=$(( killed * 1000 / total ))
killed_only="$(( killed_x10 / 10 )).$(( killed_x10 % 10 ))"
if [ "$rc" -ne 0 ]; then
  echo "mutation: warning: maven exited with $rc (see $LOG); the report is scored anyway" >&2
fi
echo "mutation: report $REPORTS/index.html; $(( elapsed / 60 )) min $(( elapsed % 60 )) s"
echo "mutation: $CORE killed=$killed timed-out=$timed other-detected=$(( memory + runerr )) survived=$survived" \
  "no-coverage=$nocov total=$total score=${score}% (threshold ${THRESHOLD}%)"
echo "mutation: (score counts timed-out mutants as detected, as PIT does; killed by a failing test alone: ${killed_only}%)"
if [ "$named_rc" -ne 0 ]; then
  echo "mutation: a named mutant survived (see the named-mutants lines above)" >&2
  exit 1
fi
if [ "$rc" -ne 0 ] || [ $(( detected * 100 )) -lt $(( THRESHOLD * total )) ]; then
  exit 1
fi
exit 0
