package dev.paddock.hub;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An answer from the network read no further than a bound: a listing or release document larger than any real one
 * is an error, not a reason to fill the heap.
 */
final class BoundedInput extends FilterInputStream {
    /** Far above any real repository listing, search page or release document. */
    static final long JSON_LIMIT = 32L << 20;

    private final long limit;
    private final String what;
    private long read;

    BoundedInput(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) count(n);
        return n;
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > limit) throw new IOException(what + " is over " + (limit >> 20) + " MB; refusing to read more");
    }
}
