package dev.paddock.core;

/**
 * A request that cannot be carried out, with the code a script can act on and a message that tells a person
 * what to do next.
 */
public final class PaddockException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public PaddockException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** {@code preset_not_found: no preset 'qwn' …}: the form JMX clients and logs see. */
    public String codedMessage() {
        return code.wireName() + ": " + getMessage();
    }
}
