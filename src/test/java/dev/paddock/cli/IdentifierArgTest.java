package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IdentifierArgTest {
    /** A model file, its preset and its repository, as people and the hub name them. */
    private static final String FILE = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
            PRESET = "Meta-Llama-3.1-8B-Instruct.Q4_K_M",
            REPO = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF";

    @Test
    void filePathsBecomeAbsoluteWithTheHomeExpanded() {
        assertThat(IdentifierArg.fromHere("f:~/models/" + FILE))
                .isEqualTo("f:" + Path.of(System.getProperty("user.home"), "models/" + FILE));
        assertThat(IdentifierArg.fromHere("f:" + FILE))
                .isEqualTo("f:" + Path.of(FILE).toAbsolutePath());
        assertThat(IdentifierArg.fromHere("f:/models/../" + FILE)).isEqualTo("f:/" + FILE);
    }

    @Test
    void otherIdentifiersAreLeftAsTyped() {
        assertThat(IdentifierArg.fromHere("p:" + PRESET)).isEqualTo("p:" + PRESET);
        assertThat(IdentifierArg.fromHere("h:" + REPO + ":Q4_K_M")).isEqualTo("h:" + REPO + ":Q4_K_M");
        assertThat(IdentifierArg.fromHere("f:"))
                .as("left for the resolver to reject")
                .isEqualTo("f:");
    }
}
