#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh), installs it with dpkg as a person would, uses the installed copy (version,
# doctor, man paddock, a load on the test llama-server, status, stop), removes it with dpkg -r, and checks that nothing it
# installed is left (only the user's ~/.paddock, which holds their models and settings). Needs root, dpkg and the
# test llama-server (scripts/build-llama-server.sh). CI runs it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/package.sh
deb=$(ls target/installers/paddock_*.deb)
if dpkg-query -W -f='${Status}' paddock 2>/dev/null | grep -q 'ok installed'; then echo "package-check: paddock is installed already; dpkg -r paddock first" >&2; exit 1; fi
dpkg -i "$deb" >/dev/null
work=$(mktemp -d)
export PADDOCK_HOME="$work/home"
# on any failure: stop what the installed copy started, remove it, and the scratch folder
trap 'paddock stop >/dev/null 2>&1 || true; dpkg -r paddock >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
[ "$(command -v paddock)" = /usr/bin/paddock ] || { echo "package-check: paddock is not on PATH" >&2; exit 1; }
for f in /usr/share/bash-completion/completions/paddock /opt/paddock/bin/paddock /usr/share/applications/paddock.desktop \
  /usr/share/pixmaps/paddock.png /usr/share/man/man1/paddock.1.gz; do
  [ -e "$f" ] || { echo "package-check: $f was not installed" >&2; exit 1; }
done
# man finds the page by name and it documents the commands
if command -v man >/dev/null; then
  MANPAGER=cat MANWIDTH=100 man paddock > "$work/man.txt" 2>/dev/null || true
  sed -i 's/.\x08//g' "$work/man.txt" # bold and underline by overstrike, as the terminal shows them
  grep -q "paddock install-server" "$work/man.txt" \
    || { echo "package-check: man paddock does not show the manual page" >&2; exit 1; }
fi

llama=$(bash scripts/build-llama-server.sh)
mvn -B -q -o -Dpaddock.skipLlamaBuild=true test-compile >/dev/null 2>&1 || mvn -B -q -Dpaddock.skipLlamaBuild=true test-compile >/dev/null
java -cp target/test-classes dev.paddock.testing.TinyGguf "$work/qwen2.5-0.5b-instruct-q4_k_m.gguf" "Qwen2.5 0.5B Instruct"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mkdir -p "$PADDOCK_HOME"
printf 'llama-server: %s\njmx: {port: %s}\ngateway: {port: %s}\n' "$llama" "$(free_port)" "$(free_port)" > "$PADDOCK_HOME/config.yaml"
paddock version
# postinst made the class-data archive, and the installed launcher starts from it
[ -f /opt/paddock/lib/app/paddock.jsa ] || { echo "package-check: postinst made no class-data archive" >&2; exit 1; }
PADDOCK_JAVA_OPTS=-Xlog:class+load=info paddock version | grep -q 'shared objects file (top)' \
  || { echo "package-check: /usr/bin/paddock does not load Paddock's classes from its archive" >&2; exit 1; }
# each command its flags: a pull gets the optimising compiler (SHA-256's instructions), the daemon SerialGC and C1
flag() { PADDOCK_JAVA_OPTS=-XX:+PrintFlagsFinal paddock "$1" --help | awk -v f="$2" '$2 == f { print $4 }'; }
[ "$(flag pull TieredStopAtLevel)" = 4 ] || { echo "package-check: paddock pull runs without the optimising compiler" >&2; exit 1; }
[ "$(flag start TieredStopAtLevel)" = 1 ] && [ "$(flag start UseSerialGC)" = true ] \
  || { echo "package-check: paddock start does not get the daemon's flags" >&2; exit 1; }
[ "$(flag status UseG1GC)" = true ] || { echo "package-check: paddock status does not get G1" >&2; exit 1; }
paddock new qwen2.5-0.5b-instruct-q4_k_m --model "$work/qwen2.5-0.5b-instruct-q4_k_m.gguf" --ctx 256 --port auto
paddock doctor
paddock start --no-tray
# the daemon it detached compiles Paddock's own methods early (a switch runs them once per switch)
daemon=$(pgrep -f 'dev.paddock.app.Main start --detached' | head -n 1)
tr '\0' '\n' < "/proc/$daemon/cmdline" | grep -qxF -- '-XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05' \
  || { echo "package-check: the daemon runs without its compile threshold" >&2; exit 1; }
paddock load qwen2.5-0.5b-instruct-q4_k_m
paddock status | tee "$work/status.txt"
grep -q "running" "$work/status.txt" || { echo "package-check: the installed copy did not load the model" >&2; exit 1; }
# what a person waits for a status from the installed copy (a figure for the log, not a check)
for _ in $(seq 15); do
  t0=$(date +%s%N); paddock status >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000000 ))
done | sort -n | awk '{ a[NR] = $1 } END { print "package: the installed paddock status, median of " NR ": " a[int((NR + 1) / 2)] " ms" }'
paddock stop

dpkg -r paddock >/dev/null
trap - EXIT
for f in /opt/paddock /usr/bin/paddock /usr/share/bash-completion/completions/paddock \
  /usr/share/applications/paddock.desktop /usr/share/pixmaps/paddock.png /usr/share/man/man1/paddock.1.gz; do
  [ ! -e "$f" ] && [ ! -L "$f" ] || { echo "package-check: $f is left after dpkg -r" >&2; exit 1; }
done
echo "package-check: installed, used (a load on llama-server) and removed cleanly: $deb"
rm -rf "$work"
