#!/usr/bin/env bash
# The test command: `mvn verify`, on a display. With no display (a server, CI) it runs Maven under Xvfb with
# fluxbox as window manager and tray host; the GUI tests need both (apt-get install xvfb xauth fluxbox).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${DISPLAY:-}" ]; then exec mvn -B verify "$@"; fi
for tool in xvfb-run fluxbox; do
  command -v "$tool" >/dev/null || { echo "scripts/test.sh: no display and no $tool; apt-get install xvfb xauth fluxbox" >&2; exit 1; }
done
exec xvfb-run -a -s '-screen 0 1280x1024x24' bash -c '
  fluxbox >/dev/null 2>&1 &
  wm=$!
  for _ in $(seq 50); do xprop -root _NET_SUPPORTING_WM_CHECK >/dev/null 2>&1 && break; sleep 0.1; done
  mvn -B verify "$@"; status=$?
  kill $wm 2>/dev/null || true
  exit $status' bash "$@"
