package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IdentifierArgTest {
    @Test
    void filePathsBecomeAbsoluteWithTheHomeExpanded() {
        assertThat(IdentifierArg.fromHere("f:~/m/x.gguf"))
                .isEqualTo("f:" + Path.of(System.getProperty("user.home"), "m/x.gguf"));
        assertThat(IdentifierArg.fromHere("f:x.gguf"))
                .isEqualTo("f:" + Path.of("x.gguf").toAbsolutePath());
        assertThat(IdentifierArg.fromHere("f:/a/../b.gguf")).isEqualTo("f:/b.gguf");
    }

    @Test
    void otherIdentifiersAreLeftAsTyped() {
        assertThat(IdentifierArg.fromHere("p:tiny")).isEqualTo("p:tiny");
        assertThat(IdentifierArg.fromHere("h:a/b:Q4_K_M")).isEqualTo("h:a/b:Q4_K_M");
        assertThat(IdentifierArg.fromHere("f:"))
                .as("left for the resolver to reject")
                .isEqualTo("f:");
    }
}
