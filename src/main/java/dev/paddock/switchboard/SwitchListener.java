package dev.paddock.switchboard;

import java.time.Duration;

/** Told of each switch to a server that finished, with how long it took (the old server's stop included). */
@FunctionalInterface
public interface SwitchListener {
    void switched(String preset, Duration took);
}
