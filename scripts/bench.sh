#!/usr/bin/env bash
# Benchmarks (figures for the notes and docs; never part of the test run).
#   scripts/bench.sh switch [ROUNDS]   switch time vs the bare floor, and state reads during switches
#   scripts/bench.sh reads             JMH: the state read while a load is in flight
#   scripts/bench.sh daemon            start -> ready, idle RSS, `paddock status` end to end, JMX getAttribute latency
#   scripts/bench.sh pull [MiB]        pull throughput vs curl, pull peak memory, GGUF header read time
#   scripts/bench.sh gateway [switch]  added latency, streamed throughput (OpenAI's and Ollama's routes), 64 streams,
#                                      the switch a request causes; `switch`: only that
#   scripts/bench.sh soak [--duration 2h] [--seed N]   the chaos soak (CI runs 5 minutes of it as ChaosSoakTest)
#   scripts/bench.sh tray              tray visible after start, RSS with the tray, click -> menu shows loading
#   scripts/bench.sh models-window [N] the Models window with N (500) models: first paint, event-thread stalls
#   scripts/bench.sh package           the jlink runtime's and the .deb's sizes (scripts/package.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dpaddock.skipLlamaBuild=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
bash scripts/build-llama-server.sh >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
case "${1:-switch}" in
  switch) java -cp "$CP" dev.paddock.bench.SwitchBench "${2:-40}" ;;
  pull) java -Xmx3g -cp "$CP" dev.paddock.bench.PullBench "${2:-1024}" ;;
  gateway) java -cp "$CP" dev.paddock.bench.GatewayBench "${2:-all}" ;;
  daemon) java -Dpaddock.project.dir="$PWD" -cp "$CP" dev.paddock.bench.DaemonBench ;;
  tray)
    if [ -n "${DISPLAY:-}" ]; then java -Dpaddock.project.dir="$PWD" -cp "$CP" dev.paddock.bench.TrayBench
    else xvfb-run -a -s '-screen 0 1280x1024x24' bash -c 'fluxbox >/dev/null 2>&1 & sleep 1; java -Dpaddock.project.dir="$1" -cp "$2" dev.paddock.bench.TrayBench' bash "$PWD" "$CP"; fi ;;
  models-window)
    # the daemon's own JVM flags (launchers/paddock): the window opens inside the daemon
    jvm="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05 -Xss512k -Xms16m -Xmx256m"
    # twice: the first open in a fresh JVM, then as in a running Paddock (after its warm-up at start)
    if [ -n "${DISPLAY:-}" ]; then for mode in fresh daemon; do java $jvm -cp "$CP" dev.paddock.bench.ModelsWindowBench "${2:-500}" $mode; done
    else xvfb-run -a -s '-screen 0 1280x1024x24' bash -c 'fluxbox >/dev/null 2>&1 & sleep 1; for mode in fresh daemon; do java $3 -cp "$1" dev.paddock.bench.ModelsWindowBench "$2" $mode; done' bash "$CP" "${2:-500}" "$jvm"; fi ;;
  package) bash scripts/package.sh ;;
  soak) shift; java -cp "$CP" dev.paddock.soak.ChaosSoak "$@" ;;
  reads) java -cp "$CP" org.openjdk.jmh.Main StateReadBenchmark -rf text -rff target/jmh-state-read.txt ;;
  *) echo "usage: scripts/bench.sh switch [ROUNDS] | reads | daemon | tray | models-window [N] | pull [MiB] | gateway | soak [--duration D] [--seed N]" >&2; exit 2 ;;
esac
