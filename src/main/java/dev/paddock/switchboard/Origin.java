package dev.paddock.switchboard;

/**
 * Who asked for a switch, in words a person reads in a cut request's error and in the status line: {@code the
 * CLI}, {@code the tray}, {@code a gateway request}, …
 */
public record Origin(String label) {
    public static final Origin CLI = new Origin("paddock load (the CLI)");
    public static final Origin JMX = new Origin("a JMX client");
    public static final Origin TRAY = new Origin("the tray");
    public static final Origin GATEWAY_CONTROL = new Origin("the gateway's /paddock/load");
    public static final Origin REQUEST = new Origin("a gateway request");
    public static final Origin START = new Origin("Paddock's start (default-preset or --load)");
    public static final Origin IDLE = new Origin("the idle ttl");
    public static final Origin MODELS_WINDOW = new Origin("the Models window");

    public Origin {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("origin label is blank");
    }

    @Override
    public String toString() {
        return label;
    }
}
