package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {
    /** A model file named as the hub names it, and the name its header carries. */
    private static final String FILE = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", NAME = "Meta-Llama-3.1-8B-Instruct";

    @TempDir
    Path dir;

    @Test
    void everyFileTypeLlamaCppDefinesHasItsName() throws Exception {
        String header = Files.readString(dev.paddock.testing.LlamaCppSource.file("include/llama.h"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^\\s*LLAMA_FTYPE_(?:ALL|MOSTLY)_(\\w+)\\s*=\\s*(\\d+),")
                .matcher(header);
        java.util.Map<Integer, String> defined = new java.util.TreeMap<>();
        while (m.find()) defined.put(Integer.parseInt(m.group(2)), m.group(1));
        assertThat(defined)
                .as("llama.h's table, as read")
                .containsEntry(15, "Q4_K_M")
                .containsEntry(38, "MXFP4_MOE");
        defined.forEach((n, name) ->
                assertThat(GgufReader.fileType(n)).as("file type " + n).isEqualTo(name));
        assertThat(GgufReader.fileType(defined.keySet().stream()
                                .mapToInt(Integer::intValue)
                                .max()
                                .orElseThrow()
                        + 1))
                .as("one past the last is still said plainly")
                .startsWith("type ");
    }

    @Test
    void readsTheHeaderOfARealModelFile() throws Exception {
        Path f = TinyGguf.write(dir.resolve(FILE), NAME, 1);
        GgufInfo g = GgufReader.read(f);
        assertThat(g.version()).isEqualTo(3);
        assertThat(g.architecture()).isEqualTo("llama");
        assertThat(g.name()).isEqualTo(NAME);
        assertThat(g.fileType()).isEqualTo("F32");
        assertThat(g.contextLength()).isEqualTo(2048L);
        assertThat(g.embeddingLength()).isEqualTo(64L);
        assertThat(g.blockCount()).isEqualTo(2L);
        assertThat(g.headCount()).isEqualTo(4L);
        assertThat(g.headCountKv()).isEqualTo(4L);
        assertThat(g.tokenizer()).isEqualTo("llama");
        assertThat(g.chatTemplate()).isFalse();
        assertThat(g.tensorCount()).isEqualTo(3 + 2 * 9);
        // token_embd and output 64x326 each, output_norm 64; per block 2 norms of 64, q/k/v/o 64x64, ffn 3 x 64x128
        assertThat(g.parameters()).isEqualTo(2L * 64 * 326 + 64 + 2L * (2 * 64 + 4 * 64 * 64 + 3 * 64 * 128));
        assertThat(g.splitCount()).isEqualTo(1);
        assertThat(g.fileSize()).isEqualTo(Files.size(f));
        assertThat(g.kvCacheBytes(256)).isEqualTo(2L * 2 * 256 * 64 * 2);
    }

    @Test
    void notAGgufATruncatedOneAndAMissingOneAreClearErrors() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "hello, this is text");
        assertThat(catchThrowable(() -> GgufReader.read(text)))
                .isInstanceOf(GgufException.class)
                .hasMessage(text + " is not a GGUF file (it does not start with 'GGUF')");

        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve(FILE), NAME, 1));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, 300));
        assertThat(catchThrowable(() -> GgufReader.read(cut)))
                .isInstanceOf(GgufException.class)
                .hasMessageStartingWith(cut + " is cut short: it ends at byte ")
                .hasMessageContaining("pull it again");

        assertThat(catchThrowable(() -> GgufReader.read(dir.resolve("absent.gguf"))))
                .isInstanceOf(GgufException.class)
                .hasMessageEndingWith("absent.gguf does not exist");
    }

    /** Random bytes, random cuts and random corruption of a real header: a GgufException or a result, nothing else. */
    @Test
    void fuzzedFilesNeverThrowAnythingButAGgufException() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve(FILE), NAME, 1));
        int headerEnd = 20_000;
        Random rnd = new Random(20261121);
        Path f = dir.resolve("fuzz.gguf");
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b;
            switch (i % 3) {
                case 0 -> {
                    b = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(b);
                    if (b.length >= 4 && rnd.nextBoolean()) System.arraycopy("GGUF".getBytes(), 0, b, 0, 4);
                }
                case 1 -> b = Arrays.copyOf(whole, rnd.nextInt(Math.min(whole.length, headerEnd)));
                default -> {
                    b = whole.clone();
                    for (int k = 0; k < 1 + rnd.nextInt(8); k++)
                        b[rnd.nextInt(Math.min(b.length, headerEnd))] = (byte) rnd.nextInt();
                }
            }
            Files.write(f, b);
            try {
                GgufReader.read(f);
            } catch (GgufException e) {
                rejected++;
                assertThat(e.getMessage()).startsWith(f.toString());
            }
        }
        assertThat(rejected).as("most mangled files are rejected").isGreaterThan(1500);
    }
}
