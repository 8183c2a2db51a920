package dev.paddock.model;

/** A file that is not a readable GGUF: the message names the file and what is wrong, for a person. */
public final class GgufException extends Exception {
    private static final long serialVersionUID = 1L;

    public GgufException(String message) {
        super(message);
    }
}
