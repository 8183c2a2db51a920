package dev.paddock.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a GGUF file's header (metadata and tensor shapes), streaming: it never reads the tensor data, so a 40 GB
 * file costs what its header costs. Large arrays (the tokenizer's vocabulary) are skipped, not kept. Anything
 * malformed or cut short is a {@link GgufException} naming the file and the byte where it went wrong.
 */
public final class GgufReader {
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final long MAX_STRING = 64L << 20;
    private static final long MAX_COUNT = 100_000_000L;
    private static final int MAX_DIMS = 8;

    /**
     * GGML file types ({@code general.file_type}), by number: llama.cpp's {@code LLAMA_FTYPE_*} in
     * {@code include/llama.h} (GgufReaderTest checks this table against the source the tests build).
     */
    private static final String[] FILE_TYPES = {
        "F32",
        "F16",
        "Q4_0",
        "Q4_1",
        "Q4_1_SOME_F16",
        null,
        null,
        "Q8_0",
        "Q5_0",
        "Q5_1",
        "Q2_K",
        "Q3_K_S",
        "Q3_K_M",
        "Q3_K_L",
        "Q4_K_S",
        "Q4_K_M",
        "Q5_K_S",
        "Q5_K_M",
        "Q6_K",
        "IQ2_XXS",
        "IQ2_XS",
        "Q2_K_S",
        "IQ3_XS",
        "IQ3_XXS",
        "IQ1_S",
        "IQ4_NL",
        "IQ3_S",
        "IQ3_M",
        "IQ2_S",
        "IQ2_M",
        "IQ4_XS",
        "IQ1_M",
        "BF16",
        null,
        null,
        null,
        "TQ1_0",
        "TQ2_0",
        "MXFP4_MOE",
        "NVFP4",
        "Q1_0",
        "Q2_0"
    };

    private GgufReader() {}

    public static GgufInfo read(Path file) throws GgufException {
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            return new GgufReader.Parse(file, new DataInputStream(new BufferedInputStream(in, 1 << 16)), size).run();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GgufException(file + " does not exist");
        } catch (IOException e) {
            throw new GgufException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** One pass over one file. */
    private static final class Parse {
        private final Path file;
        private final DataInputStream in;
        private final long size;
        private long pos;
        private String where = "the header";

        Parse(Path file, DataInputStream in, long size) {
            this.file = file;
            this.in = in;
            this.size = size;
        }

        GgufInfo run() throws GgufException, IOException {
            try {
                int magic = i32();
                if (magic != MAGIC) {
                    throw new GgufException(file + " is not a GGUF file (it does not start with 'GGUF')");
                }
                int version = i32();
                if (version < 2 || version > 3) {
                    throw new GgufException(file + ": GGUF version " + version + " is not supported (2 and 3 are)");
                }
                long tensors = count(u64(), "tensor count");
                long kvs = count(u64(), "metadata count");
                Map<String, Object> meta = new HashMap<>();
                for (long i = 0; i < kvs; i++) {
                    where = "metadata entry " + (i + 1) + " of " + kvs;
                    String key = string();
                    where = "metadata '" + key + "'";
                    int type = i32();
                    Object value = value(type, true);
                    if (value != null) meta.put(key, value);
                }
                long params = 0;
                long vision = 0;
                for (long t = 0; t < tensors; t++) {
                    where = "tensor " + (t + 1) + " of " + tensors;
                    String tensor = string();
                    if (tensor.startsWith("v.") || tensor.startsWith("mm.")) vision++;
                    int dims = i32();
                    if (dims < 0 || dims > MAX_DIMS) throw corrupt("a tensor with " + dims + " dimensions");
                    long n = 1;
                    for (int d = 0; d < dims; d++) {
                        long dim = u64();
                        if (dim < 0 || dim > MAX_COUNT * 100) throw corrupt("a tensor dimension of " + dim);
                        n = Math.multiplyExact(n, dim);
                    }
                    i32(); // type
                    u64(); // offset
                    params = Math.addExact(params, n);
                }
                String arch = str(meta.get("general.architecture"));
                Object ft = meta.get("general.file_type");
                return new GgufInfo(
                        version,
                        arch,
                        str(meta.get("general.name")),
                        tensors == 0 ? -1 : params,
                        ft instanceof Number num ? fileType(num.intValue()) : null,
                        num(meta.get(arch + ".context_length")),
                        num(meta.get(arch + ".embedding_length")),
                        num(meta.get(arch + ".block_count")),
                        num(meta.get(arch + ".attention.head_count")),
                        num(meta.get(arch + ".attention.head_count_kv")),
                        str(meta.get("tokenizer.ggml.model")),
                        meta.containsKey("tokenizer.chat_template"),
                        tensors,
                        meta.get("split.count") instanceof Number c ? c.intValue() : 1,
                        meta.get("split.no") instanceof Number c ? c.intValue() : 0,
                        size,
                        str(meta.get("tokenizer.chat_template")),
                        vision);
            } catch (EOFException e) {
                throw new GgufException(file + " is cut short: it ends at byte " + pos + " inside " + where
                        + " (an interrupted download? pull it again)");
            } catch (ArithmeticException e) {
                throw corrupt("tensor sizes that overflow");
            }
        }

        private GgufException corrupt(String what) {
            return new GgufException(file + " is corrupt: " + what + " at byte " + pos + " in " + where);
        }

        private long count(long n, String what) throws GgufException {
            if (n < 0 || n > MAX_COUNT) throw corrupt("a " + what + " of " + Long.toUnsignedString(n));
            return n;
        }

        /** A value of GGUF type {@code type}; arrays are skipped unless small scalars (kept = false for items). */
        private Object value(int type, boolean keep) throws IOException, GgufException {
            switch (type) {
                case 0, 1 -> {
                    int b = in.readUnsignedByte();
                    pos += 1;
                    return (long) (type == 1 ? (byte) b : b);
                }
                case 2, 3 -> {
                    int lo = in.readUnsignedByte();
                    int hi = in.readUnsignedByte();
                    pos += 2;
                    int v = lo | (hi << 8);
                    return (long) (type == 3 ? (short) v : v);
                }
                case 4 -> {
                    return Integer.toUnsignedLong(i32());
                }
                case 5 -> {
                    return (long) i32();
                }
                case 6 -> {
                    return (double) Float.intBitsToFloat(i32());
                }
                case 7 -> {
                    int b = in.readUnsignedByte();
                    pos += 1;
                    return b != 0;
                }
                case 8 -> {
                    return keep ? string() : skipString();
                }
                case 9 -> {
                    int itemType = i32();
                    long n = count(u64(), "array length");
                    for (long i = 0; i < n; i++) value(itemType, false);
                    return null;
                }
                case 10, 11 -> {
                    return u64();
                }
                case 12 -> {
                    return Double.longBitsToDouble(u64());
                }
                default -> throw corrupt("an unknown value type " + type);
            }
        }

        private int i32() throws IOException {
            int v = Integer.reverseBytes(in.readInt());
            pos += 4;
            return v;
        }

        private long u64() throws IOException {
            long v = Long.reverseBytes(in.readLong());
            pos += 8;
            return v;
        }

        private String string() throws IOException, GgufException {
            long n = u64();
            if (n < 0 || n > MAX_STRING) throw corrupt("a string of " + Long.toUnsignedString(n) + " bytes");
            if (pos + n > size) throw new EOFException(); // it would run past the end of the file
            byte[] b = new byte[(int) n];
            in.readFully(b);
            pos += n;
            return new String(b, StandardCharsets.UTF_8);
        }

        private Object skipString() throws IOException, GgufException {
            long n = u64();
            if (n < 0 || n > MAX_STRING) throw corrupt("a string of " + Long.toUnsignedString(n) + " bytes");
            if (pos + n > size) throw new EOFException(); // it would run past the end of the file
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) throw new EOFException();
                    s = 1;
                }
                left -= s;
            }
            pos += n;
            return null;
        }

        private static String str(Object o) {
            return o instanceof String s ? s : null;
        }

        private static Long num(Object o) {
            return o instanceof Long l ? l : null;
        }
    }

    static String fileType(int n) {
        String t = n >= 0 && n < FILE_TYPES.length ? FILE_TYPES[n] : null;
        return t == null ? "type " + n : t.toUpperCase(Locale.ROOT);
    }
}
