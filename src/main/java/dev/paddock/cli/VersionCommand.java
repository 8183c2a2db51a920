package dev.paddock.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code paddock version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print Paddock's version.")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("paddock " + version());
        return 0;
    }

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Feeds {@code paddock --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"paddock " + version()};
        }
    }
}
