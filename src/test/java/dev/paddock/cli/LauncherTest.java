package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.JvmFlagsMain;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launchers/paddock} itself, on an installed tree (no pom.xml) whose jar prints the JVM flags it got: the
 * class-data archive is made once for this Java, and the commands that run for a moment map it without relocating
 * it while the resident daemon keeps the JDK's random addresses.
 */
class LauncherTest {
    private static final String FIXED_MAP = "-XX:ArchiveRelocationMode=0";
    private static final String G1 = "-XX:+UseG1GC";
    private static final String SERIAL = "-XX:+UseSerialGC";

    @TempDir
    Path tmp;

    private Path root; // real: the launcher names its files by their resolved paths

    @BeforeEach
    void installTheLauncherBesideAJarThatPrintsItsFlags() throws Exception {
        root = tmp.toRealPath();
        Path launcher = Files.createDirectories(root.resolve("launchers")).resolve("paddock");
        Files.copy(Path.of("launchers/paddock").toAbsolutePath(), launcher);
        launcher.toFile().setExecutable(true);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JvmFlagsMain.class.getName());
        String entry = JvmFlagsMain.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(
                        Files.createDirectories(root.resolve("target")).resolve("paddock.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream cls = JvmFlagsMain.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            cls.transferTo(jar);
            jar.closeEntry();
        }
    }

    @Test
    void shortCommandsMapTheArchiveInPlaceAndTheResidentDaemonDoesNot() throws Exception {
        Launch status = launch("status", "--json");
        assertThat(status.said())
                .as("the first run makes the archive, once")
                .contains("preparing the class-data archive");
        assertThat(status.args()).containsExactly("status", "--json");
        assertThat(status.flags())
                .contains("-XX:SharedArchiveFile=" + root.resolve("target/paddock.jsa"), FIXED_MAP, G1);
        List<String> record = Files.readAllLines(root.resolve("target/paddock.jsa.java"));
        assertThat(record).hasSize(2);
        assertThat(Path.of(record.get(0)))
                .isEqualTo(
                        Path.of(System.getProperty("java.home"), "bin", "java").toRealPath());
        assertThat(record.get(1)).isEqualTo("-XX:+UnlockDiagnosticVMOptions " + FIXED_MAP);

        Launch again = launch("ls");
        assertThat(again.said()).as("made once").doesNotContain("preparing");
        assertThat(again.flags()).contains(FIXED_MAP, G1);

        // `start` alone detaches a daemon (Detacher drops the flag for it, and passes its collector on);
        // `start --foreground` is the daemon
        assertThat(launch("start").flags()).contains(FIXED_MAP, SERIAL).doesNotContain(G1);
        Launch resident = launch("start", "--foreground", "--no-tray");
        assertThat(resident.flags())
                .contains("-XX:SharedArchiveFile=" + root.resolve("target/paddock.jsa"), SERIAL)
                .doesNotContain(FIXED_MAP, G1);
        assertThat(resident.args()).containsExactly("start", "--foreground", "--no-tray");

        // an archive someone deleted is made again, and its record with it
        Files.delete(root.resolve("target/paddock.jsa"));
        Launch remade = launch("version");
        assertThat(remade.said()).contains("preparing the class-data archive");
        assertThat(root.resolve("target/paddock.jsa")).exists();
        assertThat(remade.flags()).contains(FIXED_MAP);
    }

    /**
     * Java 17 maps the module graph a class-data archive holds only under G1, and only from an archive made under
     * G1: the brief commands run with it, the daemon under SerialGC reads the same archive's classes.
     */
    @Test
    void briefCommandsStartWithTheArchivedModuleGraph() throws Exception {
        launch("version"); // makes the archive
        Path brief = root.resolve("cds-brief.log");
        launch(List.of("-Xlog:cds=info:file=" + brief), "status");
        assertThat(Files.readString(brief)).contains("full module graph: enabled");

        Path resident = root.resolve("cds-resident.log");
        launch(
                List.of("-Xlog:cds=info:file=" + resident, "-Xlog:class+load=info:file=" + resident + ".classes"),
                "start",
                "--foreground");
        assertThat(Files.readString(resident)).doesNotContain("error", "mismatch");
        assertThat(Files.readString(Path.of(resident + ".classes")))
                .as("the daemon's collector reads the archive made under G1")
                .contains(JvmFlagsMain.class.getName() + " source: shared objects file (top)");
    }

    /** A collector a person chooses in PADDOCK_JAVA_OPTS replaces the launcher's: the JVM refuses two. */
    @Test
    void aCollectorChosenInTheJavaOptionsReplacesTheLaunchersOwn() throws Exception {
        for (String command : List.of("status", "start", "pull")) {
            Launch l = launch(List.of("-XX:+UseParallelGC"), command);
            assertThat(l.flags()).as(command).contains("-XX:+UseParallelGC").doesNotContain(G1, SERIAL);
        }
        assertThat(launch("pull").flags()).contains(SERIAL).doesNotContain("-XX:TieredStopAtLevel=1");
        for (String daemon : List.of("run", "start"))
            assertThat(launch(daemon).flags())
                    .as(daemon)
                    .containsSubsequence(
                            "-XX:CompileCommand=quiet",
                            "-XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05")
                    .contains(SERIAL, "-XX:TieredStopAtLevel=1");
    }

    @Test
    void theDaemonThatStartDetachesKeepsRandomArchiveAddresses() {
        assertThat(Detacher.daemonFlags(List.of(
                        "-XX:+UseSerialGC",
                        "-XX:SharedArchiveFile=/opt/paddock/target/paddock.jsa",
                        "-XX:+UnlockDiagnosticVMOptions",
                        FIXED_MAP,
                        "-Dpaddock.launcher=/opt/paddock/launchers/paddock")))
                .containsExactly(
                        "-XX:+UseSerialGC",
                        "-XX:SharedArchiveFile=/opt/paddock/target/paddock.jsa",
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-Dpaddock.launcher=/opt/paddock/launchers/paddock");
    }

    /** What the stand-in jar printed: the JVM's flags, then its arguments; and the launcher's own words. */
    private record Launch(List<String> flags, List<String> args, String said) {}

    private Launch launch(String... args) throws Exception {
        return launch(List.of(), args);
    }

    /** As above, with {@code javaOpts} as {@code PADDOCK_JAVA_OPTS}. */
    private Launch launch(List<String> javaOpts, String... args) throws Exception {
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(
                        concat(List.of("sh", root.resolve("launchers/paddock").toString()), args))
                .redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment()
                .put(
                        "PADDOCK_HOME",
                        Files.createDirectories(root.resolve("home")).toString());
        pb.environment().remove("PADDOCK_JAVA_OPTS");
        if (!javaOpts.isEmpty()) pb.environment().put("PADDOCK_JAVA_OPTS", String.join(" ", javaOpts));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(err);
        assertThat(p.exitValue()).as(said).isZero();
        List<String> lines = out.lines().toList();
        int cut = lines.indexOf("--");
        assertThat(cut).as(out).isNotNegative();
        return new Launch(lines.subList(0, cut), lines.subList(cut + 1, lines.size()), said);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }
}
