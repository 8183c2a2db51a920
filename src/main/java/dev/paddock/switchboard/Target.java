package dev.paddock.switchboard;

import dev.paddock.supervisor.LaunchSpec;

/** What a switch, or a request, wants to run. */
sealed interface Target {
    /** This server. */
    record Launch(LaunchSpec spec) implements Target {}

    /** No server (an unload). */
    record Nothing() implements Target {}

    /**
     * A request that names no model: whatever runs; when nothing does, {@code fallback} (the default preset), or
     * null when there is none (the request is then admitted and told that no model is loaded).
     */
    record Whatever(LaunchSpec fallback) implements Target {}

    /** The preset's name, or {@code nothing} for an unload. */
    default String describe() {
        if (this instanceof Launch l) return l.spec().presetName();
        if (this instanceof Whatever w && w.fallback() != null)
            return w.fallback().presetName();
        return "nothing";
    }

    /** Whether both would end in the same server (or in none). */
    default boolean sameAs(Target other) {
        LaunchSpec mine = launch();
        LaunchSpec theirs = other.launch();
        if (mine == null || theirs == null) return mine == null && theirs == null;
        return mine.sameLaunchAs(theirs);
    }

    /** The launch this target ends in, or null for none. */
    default LaunchSpec launch() {
        if (this instanceof Launch l) return l.spec();
        if (this instanceof Whatever w) return w.fallback();
        return null;
    }
}
