package dev.paddock.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config load(String yaml) throws Exception {
        PaddockHome home = new PaddockHome(dir);
        Files.writeString(home.configFile(), yaml);
        return ConfigLoader.load(home);
    }

    private ConfigException problems(String yaml) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> load(yaml));
    }

    @Test
    void missingFileGivesTheDefaults() throws Exception {
        Config c = ConfigLoader.load(new PaddockHome(dir));
        assertThat(c).isEqualTo(Config.defaults(new PaddockHome(dir)));
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.healthTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.modelsDir()).isEqualTo(dir.resolve("models"));
    }

    @Test
    void readsEveryKeyOfTheContract() throws Exception {
        Config c = load(
                """
                llama-server: /opt/llama/llama-server
                models-dir: ~/models
                presets-dir: my-presets
                host: 0.0.0.0
                port: 9090
                health-timeout: 2m
                stop-timeout: 500ms
                default-preset: Meta-Llama-3.1-8B-Instruct.Q4_K_M
                log-max-size: 10MB
                log-max-files: 5
                jmx:
                  port: 0
                  host: 127.0.0.1
                  password-file: null
                  access-file: null
                gateway:
                  port: 7000
                  host: 127.0.0.1
                """);
        assertThat(c.llamaServer()).isEqualTo(Path.of("/opt/llama/llama-server"));
        assertThat(c.modelsDir()).isEqualTo(Path.of(System.getProperty("user.home"), "models"));
        assertThat(c.presetsDir()).isEqualTo(dir.resolve("my-presets"));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.healthTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.defaultPreset()).isEqualTo("Meta-Llama-3.1-8B-Instruct.Q4_K_M");
        assertThat(c.logMaxSize()).isEqualTo(10L << 20);
        assertThat(c.logMaxFiles()).isEqualTo(5);
        assertThat(c.jmx().port()).isZero();
        assertThat(c.gateway().port()).isEqualTo(7000);
    }

    @Test
    void unknownKeyIsNamedWithFileAndLine() {
        ConfigException e = problems("port: 8080\nprot: 9090\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.key()).isEqualTo("prot");
            assertThat(p.toString()).startsWith(dir.resolve("config.yaml") + ":2: prot: unknown key");
        });
    }

    @Test
    void unknownNestedKeyIsNamedWithItsPath() {
        ConfigException e = problems("jmx:\n  port: 7234\n  passwd: x\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.key()).isEqualTo("jmx.passwd");
        });
    }

    @Test
    void badDurationSaysWhichUnitsWork() {
        ConfigException e = problems("stop-timeout: 10 seconds\n");
        assertThat(e.getMessage()).contains(":1: stop-timeout:", "ms, s, m, h");
    }

    @Test
    void wrongTypeIsReportedWithItsLine() {
        ConfigException e = problems("host: 127.0.0.1\nport: eighty\n");
        assertThat(e.getMessage()).contains(":2: port: expected a port from 1 to 65535, got 'eighty'");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ConfigException e = problems("port: 0\nhealth-timeout: soon\nlog-max-files: 99\nbogus: 1\n");
        assertThat(e.problems()).extracting(Problem::line).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        ConfigException e = problems("port: 8080\nhost: [unclosed\ngateway: {}\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("not valid YAML");
            assertThat(p.line()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void yamlTagsCannotBuildJavaObjects() {
        ConfigException e = problems("host: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n");
        assertThat(e.getMessage()).contains("config.yaml:1: not valid YAML", "tag is not allowed");
    }

    @Test
    void modelSourcesAreOnByDefaultAndEachTurnsOff() throws Exception {
        assertThat(load("port: 8080\n").modelSources()).isEqualTo(new Config.ModelSources(true, true, true));
        assertThat(load("model-sources:\n  lm-studio: false\n  ollama: false\n").modelSources())
                .isEqualTo(new Config.ModelSources(true, false, false));
        ConfigException e = problems("model-sources:\n  olama: false\n");
        assertThat(e.getMessage()).contains("config.yaml:2", "olama", "ollama");
    }
}
