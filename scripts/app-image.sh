#!/usr/bin/env bash
# A self-contained Paddock (its own Java runtime) with jpackage: target/app-image/Paddock/bin/Paddock on Linux,
# Paddock.app on macOS, Paddock\Paddock.exe on Windows. Run by `mvn -Papp-image package`, after the jar is built.
set -euo pipefail
cd "$(dirname "$0")/.."
jpackage=${JAVA_HOME:+$JAVA_HOME/bin/}jpackage
command -v "$jpackage" >/dev/null || { echo "app-image: jpackage not found (it comes with a full JDK 17+)" >&2; exit 1; }
rm -rf target/app-input target/app-image
mkdir -p target/app-input
cp target/paddock.jar target/app-input/
cp -r target/lib target/app-input/lib
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1 | sed 's/-SNAPSHOT//')
"$jpackage" --type app-image \
  --name Paddock \
  --app-version "$version" \
  --input target/app-input \
  --main-jar paddock.jar \
  --main-class dev.paddock.app.Main \
  --icon launchers/paddock.png \
  --java-options '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05 -Xss512k -Xms16m -Xmx256m' \
  --java-options '-Dpaddock.launcher=$APPDIR/../bin/Paddock' \
  --dest target/app-image
echo "app image: target/app-image/Paddock (run: target/app-image/Paddock/bin/Paddock start)"
