package dev.paddock.core;

import java.util.Locale;

/** The machine-readable reasons a request can fail; their wire names are part of the public contract. */
public enum ErrorCode {
    PRESET_NOT_FOUND,
    MODEL_NOT_FOUND,
    INVALID_PRESET,
    INVALID_IDENTIFIER,
    SERVER_NOT_FOUND,
    PORT_IN_USE,
    SERVER_FAILED,
    TIMEOUT,
    DOWNLOAD_FAILED,
    /** Another process is downloading the same file. */
    DOWNLOAD_IN_PROGRESS;

    /** The name used in JSON output, JMX messages and logs, e.g. {@code preset_not_found}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
