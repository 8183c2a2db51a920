#!/usr/bin/env bash
# Builds the llama-server that the tests run against, from the llama.cpp source shipped inside the
# npm package node-llama-cpp, and caches it under ~/.cache/paddock. Prints the binary's path.
# Idempotent: a cached build is reused. Needs npm, git, cmake, ninja and a C++ compiler.
set -euo pipefail

NLC_VERSION="${NLC_VERSION:-3.22.1}"
CACHE="${PADDOCK_BUILD_CACHE:-$HOME/.cache/paddock}/llama-server-nlc-$NLC_VERSION"
BIN="$CACHE/build/bin/llama-server"

if [ -x "$BIN" ] && [ -f "$CACHE/.complete" ]; then
  echo "$BIN"
  exit 0
fi

for tool in npm git cmake ninja c++; do
  command -v "$tool" >/dev/null || { echo "build-llama-server: '$tool' is missing (apt-get install -y cmake ninja-build g++ git npm)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$CACHE")"
# The compiler's output (hundreds of warnings) goes to a file, not into the test log; its end is shown on failure.
LOG="$CACHE.build.log"
echo "build-llama-server: building llama-server from node-llama-cpp@$NLC_VERSION (about 13 minutes on 2 cores); log: $LOG" >&2
if ! (
  set -e
  cd "$work" && npm pack --silent "node-llama-cpp@$NLC_VERSION"
  tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle
  # Built in place: the build tree's RPATH points at its own shared libraries, so it must not move.
  rm -rf "$CACHE"
  git clone --quiet "$work/package/llama/gitRelease.bundle" "$CACHE"
  cd "$CACHE"
  cmake -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF
  cmake --build build --target llama-server -j"$(nproc)"
) >"$LOG" 2>&1; then
  echo "build-llama-server: the build failed; the end of $LOG:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
touch "$CACHE/.complete"
echo "build-llama-server: built $BIN" >&2
echo "$BIN"
