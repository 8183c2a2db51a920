#!/usr/bin/env bash
# Regenerates docs/performance.md from one run of every benchmark on this machine (about 20 minutes):
# each bench's output lands in target/perf/NAME.txt and replaces {{NAME}} in docs/performance.template.md.
#   scripts/perf-doc.sh            all of them
#   scripts/perf-doc.sh --reuse    rebuild the page from target/perf/ without running anything
#   scripts/perf-doc.sh NAME...    rerun only those (switch daemon tray models package pull gateway soak reads), reuse the rest
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/perf
mkdir -p "$out"
clean() { sed 's/\x1b\[[0-9;]*m//g' | grep -v '^\s*$' | grep -v '^\[' || true; }
run() {
  local name=$1; shift
  echo "== scripts/bench.sh $*" >&2
  if ! bash scripts/bench.sh "$@" > "$out/$name.raw" 2>&1; then
    echo "perf-doc: scripts/bench.sh $* failed:" >&2; tail -20 "$out/$name.raw" >&2; exit 1
  fi
  # a figure next to a stack trace is not a figure: an exception anywhere fails the page
  if grep -nE '(Exception|Error)(:| in thread)|^[[:space:]]+at [a-zA-Z0-9_.$]+\(' "$out/$name.raw" >&2; then
    echo "perf-doc: scripts/bench.sh $* printed an exception (above); fix it before the page is made" >&2; exit 1
  fi
  clean < "$out/$name.raw" > "$out/$name.txt"
}
declare -A args=([switch]="switch 40" [daemon]="daemon" [tray]="tray" [models]="models-window 500" [package]="package" [pull]="pull 1024" [gateway]="gateway"
                 [soak]="soak --duration 5m" [reads]="reads")
if [ "${1:-}" != "--reuse" ]; then
  names=("$@"); [ ${#names[@]} -gt 0 ] || names=(switch daemon tray models package pull gateway soak reads)
  mvn -B -q -DskipTests -Dpaddock.skipLlamaBuild=true package >/dev/null # launchers/paddock runs target/paddock.jar
  for name in "${names[@]}"; do
    [ -n "${args[$name]:-}" ] || { echo "perf-doc: no bench named $name" >&2; exit 2; }
    run "$name" ${args[$name]}
  done
  if [ -f "$out/reads.txt" ]; then
    grep -E '^(Benchmark|StateReadBenchmark)' "$out/reads.txt" > "$out/reads.kept" || true
    [ -s "$out/reads.kept" ] && mv "$out/reads.kept" "$out/reads.txt" || rm -f "$out/reads.kept"
  fi
fi
for name in switch daemon tray models package pull gateway soak reads; do
  if [ -f "$out/$name.txt" ] && grep -qE '(Exception|Error)(:| in thread)|^[[:space:]]+at [a-zA-Z0-9_.$]+\(' "$out/$name.txt"; then
    echo "perf-doc: target/perf/$name.txt holds an exception; rerun: scripts/perf-doc.sh $name" >&2; exit 1
  fi
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
java_version=$(java -version 2>&1 | head -1)
echo "$(. /etc/os-release && echo "$PRETTY_NAME"), $cpu, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $java_version" > "$out/machine.txt"
date -u +%Y-%m-%d > "$out/date.txt"
cat "$out"/{switch,daemon,tray,models,package,pull,gateway,soak}.txt | grep -E 'target|violations:' | sed 's/^/- /' > "$out/summary.txt"
awk -v dir="$out" '
  /^\{\{(switch|daemon|tray|models|package|pull|gateway|soak|reads)\}\}$/ {
    name = substr($0, 3, length($0) - 4); print "```"
    while ((getline line < (dir "/" name ".txt")) > 0) print line
    print "```"; next
  }
  /^\{\{summary\}\}$/ { while ((getline line < (dir "/summary.txt")) > 0) print line; next }
  {
    while (match($0, /\{\{(machine|date)\}\}/)) {
      key = substr($0, RSTART + 2, RLENGTH - 4); getline value < (dir "/" key ".txt")
      $0 = substr($0, 1, RSTART - 1) value substr($0, RSTART + RLENGTH)
    }
    print
  }' docs/performance.template.md > docs/performance.md.tmp
mv docs/performance.md.tmp docs/performance.md
echo "wrote docs/performance.md" >&2
