package dev.paddock.switchboard;

/** A request found {@code gateway.queue} requests already waiting behind a switch. */
public final class QueueFull extends Exception {
    private static final long serialVersionUID = 1L;

    public QueueFull(int bound) {
        super(bound + " requests already wait behind a switch (gateway.queue); try again shortly");
    }
}
