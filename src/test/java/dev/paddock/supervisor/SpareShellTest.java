package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The script that makes a spare shell exec a server: what the server gets is exactly what was asked. */
class SpareShellTest {
    @Test
    void theServerGetsItsArgumentsAndEnvironmentWordForWord() throws Exception {
        assumeTrue(ProcessTree.SPARE_SHELLS, "needs setsid and /bin/sh (Linux)");
        // a "server" that prints its environment variable and its arguments, one per line
        List<String> command = List.of(
                "/bin/sh",
                "-c",
                "printf '%s\\n' \"$LLAMA_API_KEY\" \"$@\"",
                "sh",
                "-m",
                "/models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
                "--alias",
                "it's \"quoted\" $HOME `x` \\ two  spaces",
                "--system-prompt-file",
                "line one\nline two");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LLAMA_API_KEY", "sk-'a b'$PATH");
        Process spare = new ProcessBuilder(ProcessTree.spareShell()).start();
        try (OutputStream in = spare.getOutputStream()) {
            in.write(ProcessTree.execScript(command, env, null).orElseThrow().getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        spare.getInputStream().transferTo(out);
        assertThat(spare.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join(
                                "\n",
                                "sk-'a b'$PATH",
                                "-m",
                                "/models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
                                "--alias",
                                "it's \"quoted\" $HOME `x` \\ two  spaces",
                                "--system-prompt-file",
                                "line one",
                                "line two")
                        + "\n");
    }

    @Test
    void aVariableNameNoShellCanExportIsRefusedSoTheServerStartsTheUsualWay() {
        assertThat(ProcessTree.execScript(List.of("llama-server"), Map.of("CUDA-VISIBLE DEVICES", "0"), null))
                .isEmpty();
        assertThat(ProcessTree.execScript(
                        List.of("llama-server", "--port", "8080"), Map.of(), Path.of("/home/me/.paddock/server.stdin")))
                .hasValue("exec 'llama-server' '--port' '8080' <>'/home/me/.paddock/server.stdin'\n");
    }

    @Test
    void aVariableTheShellKeepsForItselfOrANulByteIsRefusedSoTheServerStartsTheUsualWay() {
        // bash as sh ends the script at `export PPID=…` (read-only) and exports its own RANDOM instead of the one given
        for (String own : List.of("PPID", "UID", "SHELLOPTS", "RANDOM", "_", "PATH")) {
            assertThat(ProcessTree.execScript(List.of("llama-server"), Map.of(own, "1"), null))
                    .as(own)
                    .isEmpty();
        }
        assertThat(ProcessTree.execScript(List.of("llama-server"), Map.of("LLAMA_ARG_ALIAS", "qwen\0coder"), null))
                .isEmpty();
        assertThat(ProcessTree.execScript(List.of("llama-server", "--alias", "qwen\0coder"), Map.of(), null))
                .isEmpty();
        assertThat(ProcessTree.execScript(List.of("llama-server"), Map.of("LLAMA_ARG_N_PARALLEL", "2"), null))
                .hasValue("export LLAMA_ARG_N_PARALLEL='2'\nexec 'llama-server'\n");
    }

    @Test
    void aSpareWhoseInputEndsExits() throws IOException, InterruptedException {
        assumeTrue(ProcessTree.SPARE_SHELLS, "needs setsid and /bin/sh (Linux)");
        Process spare = new ProcessBuilder(ProcessTree.spareShell()).start();
        spare.getOutputStream().close(); // as when Paddock dies
        assertThat(spare.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
