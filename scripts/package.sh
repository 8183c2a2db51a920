#!/usr/bin/env bash
# Builds Paddock's Linux package with jpackage into target/installers/: a Java runtime trimmed by jlink to the
# modules Paddock uses (jdeps, plus what JMX's connector, attach and TLS need), and a .deb (an .rpm too where
# rpmbuild exists). The package installs /opt/paddock, puts `paddock` on PATH (/usr/bin/paddock), adds the desktop
# entry with its icon (packaging/linux/postinst), the bash completion and the manual page, and removes all of it again. A .msi or .dmg needs its own OS:
# jpackage --type msi (WiX 3) on Windows, --type dmg on macOS, with the same runtime and input.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/installers
rm -rf "$out" && mkdir -p "$out/input"
mvn -B -q -Dmaven.test.skip=true -Dpaddock.skipLlamaBuild=true package >/dev/null
# the project's version (the pom's first <version>), without -SNAPSHOT: what dpkg and rpm accept
version=$(sed -n 's:^  <version>\([0-9.]*\).*</version>.*:\1:p' pom.xml | head -1)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
cp target/paddock.jar "$out/input/" && cp -r target/lib "$out/input/lib"

# the modules the classes need, and those the JDK loads by name: JMX's connector, agent and its rmi: JNDI names, attach, TLS's EC keys,
# the DNS lookups of java.net, locales for formatting; jdeps cannot see those
needed=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps -q \
  --class-path "$out/input/lib/*" "$out/input/paddock.jar")
modules="$needed,jdk.management.agent,java.management.rmi,jdk.naming.rmi,jdk.attach,jdk.crypto.ec,jdk.naming.dns,jdk.localedata,jdk.charsets,jdk.zipfs"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$out/runtime"
echo "runtime trimmed by jlink: $(du -sm "$out/runtime" | cut -f1) MB (target <= 80 MB); modules: $modules"

# the bash completion and the icon go in with the app (lib/app/); postinst links them where the desktop looks
"$out/runtime/bin/java" -cp "$out/input/paddock.jar" dev.paddock.app.Main completion > "$out/input/paddock.bash"
"$out/runtime/bin/java" -Djava.awt.headless=true -cp "$out/input/paddock.jar" dev.paddock.tray.TrayIcons "$out/input/paddock.png" 256
cp packaging/linux/paddock.desktop "$out/input/"
# paddock(1), from picocli's model of every command (as --help and the completion are)
"$out/runtime/bin/java" -cp "$out/input/paddock.jar:$out/input/lib/*" dev.paddock.cli.ManPage "$out/input/paddock.1"
gzip -9n "$out/input/paddock.1"

# /usr/bin/paddock: a shell launcher, not jpackage's native one, which asks rpm and dpkg which package owns it at every
# start (about 150 ms before the JVM starts, measured on `paddock status`). It runs the same Java with the flags
# launchers/paddock gives each command, its class path written out in full, and the class-data archive postinst
# makes (packaging/linux/postinst).
heap="-Xss512k -Xms16m -Xmx256m"
classpath=$(cd "$out/input" && { echo paddock.jar; ls lib/*.jar | LC_ALL=C sort; } | sed 's#^#/opt/paddock/lib/app/#' | paste -sd:)
cat > "$out/input/paddock.sh" <<LAUNCHER
#!/bin/sh
# paddock, as its package installs it (/usr/bin/paddock links here). The class-data archive, when postinst made one,
# holds the classes the everyday commands load, so they start without loading them from the jars.
app=/opt/paddock/lib/app
cds=
[ -f "\$app/paddock.jsa" ] && cds="-XX:SharedArchiveFile=\$app/paddock.jsa"
# The flags per command, as launchers/paddock gives them: the daemon (start, run) SerialGC and C1 only, compiling
# Paddock's own methods after 10 calls instead of 200 (a switch runs its code once per switch); a pull the
# optimising compiler, through which alone SHA-256's CPU instructions reach Java (C1 only hashes at a fraction of
# the rate); the commands that run for a moment G1 (Java 17 maps the archived module graph only under G1) and no
# performance-data file.
case \${1:-} in
  start|run) gc=-XX:+UseSerialGC; jit="-XX:TieredStopAtLevel=1 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05" ;;
  pull) gc=-XX:+UseSerialGC; jit= ;;
  *) gc=-XX:+UseG1GC; jit="-XX:-UsePerfData -XX:TieredStopAtLevel=1" ;;
esac
set -f # PADDOCK_JAVA_OPTS is split into words at spaces, never expanded as file patterns
for option in \$PADDOCK_JAVA_OPTS; do case \$option in -XX:+Use*GC) gc= ;; esac; done # the JVM refuses two
exec /opt/paddock/lib/runtime/bin/java \$gc \$jit $heap \$cds -Dpaddock.launcher=/usr/bin/paddock \$PADDOCK_JAVA_OPTS \\
  -cp "$classpath" dev.paddock.app.Main "\$@"
LAUNCHER
chmod 755 "$out/input/paddock.sh"

types=(deb)
command -v rpmbuild >/dev/null && types+=(rpm)
for type in "${types[@]}"; do
  "$java_home/bin/jpackage" --type "$type" --dest "$out" \
    --name paddock --app-version "$version" --vendor "Paddock" \
    --description "Keeps one llama.cpp llama-server running and switches models on demand" \
    --input "$out/input" --main-jar paddock.jar --main-class dev.paddock.app.Main \
    --runtime-image "$out/runtime" \
    --java-options "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05 $heap -Dpaddock.launcher=/usr/bin/paddock" \
    --icon "$out/input/paddock.png" --linux-app-category utils \
    --resource-dir packaging/linux --install-dir /opt
done
for f in "$out"/*.deb "$out"/*.rpm; do if [ -f "$f" ]; then echo "package: $(basename "$f") $(du -m "$f" | cut -f1) MB (target <= 60 MB)"; fi; done
