package dev.paddock.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a tiny random-weight llama model as GGUF v3: n_embd 64, 2 blocks, 4 heads (kv 4), n_ff 128, context
 * 2048, F32; an SPM ("llama") vocabulary of the three specials, the 256 byte tokens and single characters. A
 * real llama-server loads it in milliseconds and answers chat requests; different seeds give different models.
 */
public final class TinyGguf {
    private static final int N_HEAD = 4, N_HEAD_KV = 4;
    private static final int ALIGN = 32;
    private static final int T_UINT32 = 4, T_INT32 = 5, T_FLOAT32 = 6, T_STRING = 8, T_ARRAY = 9;
    private static final int TOKEN_NORMAL = 1, TOKEN_UNKNOWN = 2, TOKEN_CONTROL = 3, TOKEN_BYTE = 6;

    private TinyGguf() {}

    /**
     * The model's size: embedding width, blocks, feed-forward width and trained context. {@link #TINY} loads in
     * milliseconds; {@link #SLOW} (~310 MB of F32 weights) takes long enough to load, and to generate each token,
     * for a test to watch a load advance or a stream stay in flight.
     */
    public record Shape(int embd, int blocks, int ff, int ctx) {
        public static final Shape TINY = new Shape(64, 2, 128, 2048);
        public static final Shape SLOW = new Shape(1024, 6, 2816, 4096);
    }

    /** Writes a tiny model, {@code FILE [NAME]}: for scripts that check an installed Paddock (package-check.sh). */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), args.length > 1 ? args[1] : "tiny", 1);
    }

    public static Path write(Path file, String name, long seed) throws IOException {
        return write(file, name, seed, Shape.TINY);
    }

    public static Path write(Path file, String name, long seed, Shape shape) throws IOException {
        return write(file, name, seed, shape, "llama", false);
    }

    /**
     * A model as Ollama's own engine writes some: under {@code architecture} (its name for it), and with a vision
     * tower's tensors ({@code v.…}) inside the weights file when {@code visionInside}. llama-server cannot run either.
     */
    public static Path writeForOllamaEngine(
            Path file, String name, long seed, String architecture, boolean visionInside) throws IOException {
        return write(file, name, seed, Shape.TINY, architecture, visionInside);
    }

    private static Path write(Path file, String name, long seed, Shape shape, String architecture, boolean vision)
            throws IOException {
        final int embd = shape.embd(), blocks = shape.blocks(), ff = shape.ff(), ctx = shape.ctx();
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TOKEN_BYTE);
        }
        String chars = "\u2581abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?";
        chars.codePoints().forEach(cp -> {
            tokens.add(new String(Character.toChars(cp)));
            types.add(TOKEN_NORMAL);
        });
        int nVocab = tokens.size();
        float[] scores = new float[nVocab];
        int normal = 0;
        for (int i = 0; i < nVocab; i++) scores[i] = types.get(i) == TOKEN_NORMAL ? -(normal++) : 0f;

        Buf head = new Buf();
        List<Tensor> tensors = new ArrayList<>(tensors(nVocab, shape));
        if (vision) {
            tensors.add(new Tensor("v.patch_embd.weight", false, embd, embd));
            tensors.add(new Tensor("v.blk.0.attn_q.weight", false, embd, embd));
        }
        head.u32(0x46554747).u32(3).u64(tensors.size()).u64(19);
        head.kvString("general.architecture", architecture);
        head.kvString("general.name", name);
        head.kvU32("general.file_type", 0);
        head.kvU32("llama.context_length", ctx);
        head.kvU32("llama.embedding_length", embd);
        head.kvU32("llama.block_count", blocks);
        head.kvU32("llama.feed_forward_length", ff);
        head.kvU32("llama.attention.head_count", N_HEAD);
        head.kvU32("llama.attention.head_count_kv", N_HEAD_KV);
        head.kvU32("llama.rope.dimension_count", embd / N_HEAD);
        head.key("llama.attention.layer_norm_rms_epsilon").u32(T_FLOAT32).f32(1e-5f);
        head.kvString("tokenizer.ggml.model", "llama");
        head.key("tokenizer.ggml.tokens").u32(T_ARRAY).u32(T_STRING).u64(nVocab);
        tokens.forEach(head::str);
        head.key("tokenizer.ggml.scores").u32(T_ARRAY).u32(T_FLOAT32).u64(nVocab);
        for (float s : scores) head.f32(s);
        head.key("tokenizer.ggml.token_type").u32(T_ARRAY).u32(T_INT32).u64(nVocab);
        types.forEach(head::u32);
        head.kvU32("tokenizer.ggml.bos_token_id", 1);
        head.kvU32("tokenizer.ggml.eos_token_id", 2);
        head.kvU32("tokenizer.ggml.unknown_token_id", 0);
        head.kvU32("llama.vocab_size", nVocab);

        long offset = 0;
        for (Tensor t : tensors) {
            head.str(t.name).u32(t.dims.length);
            for (long d : t.dims) head.u64(d);
            head.u32(0).u64(offset); // type F32
            offset = align(offset + t.elements() * 4L);
        }
        Random rnd = new Random(seed);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] h = head.bytes();
            out.write(h);
            out.write(new byte[(int) (align(h.length) - h.length)]);
            // a big model's weights repeat one random block: writing hundreds of MB stays bound by the disk, and
            // nobody reads these answers
            boolean big = shape != Shape.TINY;
            byte[] block = null;
            if (big) {
                ByteBuffer b = ByteBuffer.allocate(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
                while (b.hasRemaining()) b.putFloat((rnd.nextFloat() - 0.5f) * 0.1f);
                block = b.array();
            }
            for (Tensor t : tensors) {
                long bytes = align(t.elements() * 4L);
                if (big && !t.norm) {
                    for (long done = 0; done < bytes; ) {
                        int n = (int) Math.min(block.length, bytes - done);
                        int start = Math.floorMod(t.name.hashCode(), (block.length - n) / 4 + 1) * 4; // tensors differ
                        out.write(block, start, n);
                        done += n;
                    }
                    continue;
                }
                ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < t.elements(); i++) {
                    data.putFloat(t.norm ? 1f : (float) (rnd.nextGaussian() * 0.2));
                }
                out.write(data.array());
            }
        }
        return file;
    }

    private static List<Tensor> tensors(int nVocab, Shape shape) {
        final int embd = shape.embd(), blocks = shape.blocks(), ff = shape.ff();
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("token_embd.weight", false, embd, nVocab));
        t.add(new Tensor("output_norm.weight", true, embd));
        t.add(new Tensor("output.weight", false, embd, nVocab));
        int kv = embd / N_HEAD * N_HEAD_KV;
        for (int b = 0; b < blocks; b++) {
            String p = "blk." + b + ".";
            t.add(new Tensor(p + "attn_norm.weight", true, embd));
            t.add(new Tensor(p + "attn_q.weight", false, embd, embd));
            t.add(new Tensor(p + "attn_k.weight", false, embd, kv));
            t.add(new Tensor(p + "attn_v.weight", false, embd, kv));
            t.add(new Tensor(p + "attn_output.weight", false, embd, embd));
            t.add(new Tensor(p + "ffn_norm.weight", true, embd));
            t.add(new Tensor(p + "ffn_gate.weight", false, embd, ff));
            t.add(new Tensor(p + "ffn_up.weight", false, embd, ff));
            t.add(new Tensor(p + "ffn_down.weight", false, ff, embd));
        }
        return t;
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private record Tensor(String name, boolean norm, long... dims) {
        long elements() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }
    }

    /** A little-endian byte builder for the GGUF header. */
    private static final class Buf {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (b.remaining() >= n) return;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.flip();
            bigger.put(b);
            b = bigger;
        }

        Buf u32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        Buf u64(long v) {
            room(8);
            b.putLong(v);
            return this;
        }

        Buf f32(float v) {
            room(4);
            b.putFloat(v);
            return this;
        }

        Buf str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            room(bytes.length);
            b.put(bytes);
            return this;
        }

        Buf key(String k) {
            return str(k);
        }

        Buf kvString(String k, String v) {
            return key(k).u32(T_STRING).str(v);
        }

        Buf kvU32(String k, int v) {
            return key(k).u32(T_UINT32).u32(v);
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            b.duplicate().flip().get(out);
            return out;
        }
    }
}
