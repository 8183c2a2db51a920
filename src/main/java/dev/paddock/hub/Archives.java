package dev.paddock.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks llama.cpp's release archives into a folder: {@code .zip} (Windows, and every platform in older
 * releases) and {@code .tar.gz} (Linux and macOS now; each holds one top folder {@code llama-TAG/}). Entries that
 * would leave the folder — by their name, or as a link pointing out of it — are refused, and nothing is written
 * for them. Symbolic links are kept (the shared libraries are {@code libllama.so -> libllama.so.0 -> …}), and so
 * are the executable bits a tarball records.
 */
final class Archives {
    private static final int BLOCK = 512;

    private Archives() {}

    /** Unpacks {@code archive} (named {@code name}, which says its kind) into {@code into}. */
    static void unpack(InputStream archive, String name, Path into) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) unzip(archive, into);
        else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz"))
            untar(new GZIPInputStream(archive, 1 << 16), into);
        else throw new IOException(name + " is neither a .zip nor a .tar.gz");
    }

    private static void unzip(InputStream in, Path into) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                Path out = inside(into, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A POSIX (ustar) tar stream, with GNU long names and pax path headers, as GNU tar and bsdtar write them. */
    private static void untar(InputStream in, Path into) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        String longLink = null;
        try (in) {
            while (true) {
                if (!readBlock(in, header)) return;
                if (isZero(header)) return; // the end-of-archive marker
                char type = (char) header[156];
                long size = octal(header, 124, 12);
                String name = longName != null ? longName : name(header);
                String link = longLink != null ? longLink : string(header, 157, 100);
                if (type == 'L' || type == 'K') {
                    String value = string(readData(in, size), 0, (int) size);
                    if (type == 'L') longName = value;
                    else longLink = value;
                    continue;
                }
                if (type == 'x') {
                    String pax = new String(readData(in, size), StandardCharsets.UTF_8);
                    longName = paxValue(pax, "path", longName);
                    longLink = paxValue(pax, "linkpath", longLink);
                    continue;
                }
                longName = null;
                longLink = null;
                if (type == 'g') {
                    skip(in, size);
                    continue;
                }
                Path out = inside(into, name);
                switch (type) {
                    case '5' -> Files.createDirectories(out);
                    case '2' -> symlink(into, out, link);
                    case '1' -> {
                        Path target = inside(into, link);
                        Files.createDirectories(out.getParent());
                        Files.copy(target, out, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                    }
                    case '0', '\0', '7' -> {
                        Files.createDirectories(out.getParent());
                        Files.copy(new Bounded(in, size), out, StandardCopyOption.REPLACE_EXISTING);
                        skip(in, padding(size));
                        setMode(out, (int) octal(header, 100, 8));
                        continue;
                    }
                    default -> {
                        // devices, FIFOs: nothing a release needs
                    }
                }
                skip(in, size + padding(size));
            }
        }
    }

    /** {@code entry} under {@code into}; an entry that would land outside it is refused. */
    private static Path inside(Path into, String entry) throws IOException {
        Path out = into.resolve(entry).normalize();
        if (!out.startsWith(into) || Path.of(entry).isAbsolute())
            throw new IOException("the archive has an entry outside its folder: " + entry);
        return out;
    }

    /** A link whose target resolves inside {@code into} (relative to the link's folder); others are refused. */
    private static void symlink(Path into, Path link, String target) throws IOException {
        Path t = Path.of(target);
        if (t.isAbsolute() || !link.getParent().resolve(t).normalize().startsWith(into))
            throw new IOException(
                    "the archive has a link out of its folder: " + into.relativize(link) + " -> " + target);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, t);
    }

    private static void setMode(Path file, int mode) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Set<PosixFilePermission> p = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) p.add(PosixFilePermission.OWNER_EXECUTE);
        if ((mode & 0040) != 0) p.add(PosixFilePermission.GROUP_READ);
        if ((mode & 0010) != 0) p.add(PosixFilePermission.GROUP_EXECUTE);
        if ((mode & 0004) != 0) p.add(PosixFilePermission.OTHERS_READ);
        if ((mode & 0001) != 0) p.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(file, p);
    }

    private static String paxValue(String pax, String key, String otherwise) {
        // records are "LENGTH KEY=VALUE\n"
        for (String record : pax.split("\n")) {
            int space = record.indexOf(' ');
            int eq = record.indexOf('=');
            if (space > 0 && eq > space && record.substring(space + 1, eq).equals(key)) return record.substring(eq + 1);
        }
        return otherwise;
    }

    private static String name(byte[] h) {
        String name = string(h, 0, 100);
        boolean ustar = string(h, 257, 6).startsWith("ustar");
        String prefix = ustar ? string(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal number, or GNU's base-256 form (high bit set) for large sizes. */
    private static long octal(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) {
            long v = 0;
            for (int i = off + 1; i < off + len; i++) v = (v << 8) | (b[i] & 0xff);
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0) break;
                continue;
            }
            v = (v << 3) + (c - '0');
        }
        return v;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new EOFException("the archive ends inside a header");
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) throw new IOException("an archive header of " + size + " bytes");
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) throw new EOFException("the archive ends inside a header");
        skip(in, padding(size));
        return data;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("the archive ends early");
                s = 1;
            }
            left -= s;
        }
    }

    /** At most {@code size} bytes of the stream, leaving the rest for the next entry. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int c = in.read();
            if (c < 0) throw new EOFException("the archive ends inside a file");
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("the archive ends inside a file");
            left -= n;
            return n;
        }
    }
}
