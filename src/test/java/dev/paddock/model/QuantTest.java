package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantTest {
    @Test
    void detectsTheQuantInTheCommonNamingStyles() {
        assertThat(Quant.detect("qwen2.5-0.5b-instruct-q4_k_m.gguf")).contains("Q4_K_M");
        assertThat(Quant.detect("Llama-3.2-1B-Instruct-Q8_0.gguf")).contains("Q8_0");
        assertThat(Quant.detect("mistral-7b-instruct-v0.2.Q5_K_S.gguf")).contains("Q5_K_S");
        assertThat(Quant.detect("gemma-3-1b-it-IQ4_XS.gguf")).contains("IQ4_XS");
        assertThat(Quant.detect("phi-3-mini-4k-instruct-fp16.gguf")).contains("F16");
        assertThat(Quant.detect("model-BF16-00001-of-00002.gguf")).contains("BF16");
        assertThat(Quant.detect("tiny.gguf")).isEmpty();
    }

    @Test
    void q4KmRanksFirst() {
        assertThat(Quant.rank("Q4_K_M")).isLessThan(Quant.rank("Q8_0"));
        assertThat(Quant.rank("Q8_0")).isLessThan(Quant.rank("F16"));
        assertThat(Quant.rank("F16")).isLessThan(Quant.rank(null));
    }
}
