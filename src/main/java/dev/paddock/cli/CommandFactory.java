package dev.paddock.cli;

import picocli.CommandLine;

/**
 * Makes {@code start} with the resident it runs; every other command as picocli would. A class of its own, so that
 * {@code status}, which never builds picocli's model, never loads picocli's factory either.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final Resident resident;
    private final CommandLine.IFactory plain = CommandLine.defaultFactory();

    CommandFactory(Resident resident) {
        this.resident = resident;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K made = plain.create(cls);
        if (made instanceof StartCommand start) start.resident = resident;
        return made;
    }
}
