package dev.paddock.testing;

import java.lang.management.ManagementFactory;

/**
 * A stand-in for Paddock's jar behind {@code launchers/paddock} (LauncherTest): prints the JVM flags it was started
 * with, one per line, then its own arguments after a {@code --} line. Needs nothing but the JDK.
 */
public final class JvmFlagsMain {
    private JvmFlagsMain() {}

    public static void main(String[] args) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
        System.out.println("--");
        for (String a : args) System.out.println(a);
    }
}
