package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.LaunchSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code paddock show ID}: the preset, the model file it resolves to, and the command line it would run. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show a preset, its model file and its command line.")
public final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "p:PRESET, h:ORG/REPO[:QUANT], f:PATH, or a preset name")
    String id;

    @Override
    public Integer call() {
        String identifier = IdentifierArg.fromHere(id);
        LaunchSpec spec;
        try {
            spec = DryRun.plan(PaddockHome.fromEnvironment(System.getenv()), identifier);
        } catch (PaddockException e) {
            return Output.error(false, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
        Preset p = spec.preset();
        System.out.println("preset    " + p.name() + (p.source() == null ? "" : "  (" + p.source() + ")"));
        if (p.description() != null) System.out.println("about     " + p.description());
        System.out.println("model     " + p.model());
        System.out.println("file      " + spec.model());
        try {
            var g = dev.paddock.model.GgufReader.read(spec.model());
            System.out.println("gguf      " + g.architecture() + ", "
                    + (g.parameters() < 0 ? "?" : dev.paddock.model.GgufInfo.count(g.parameters()))
                    + " parameters, " + (g.fileType() == null ? "?" : g.fileType()) + ", " + Human.bytes(g.fileSize())
                    + ", trained context " + (g.contextLength() == null ? "?" : g.contextLength())
                    + (g.chatTemplate() ? ", chat template" : "")
                    + (g.splitCount() > 1 ? ", " + g.splitCount() + " files" : ""));
            var e = dev.paddock.model.MemoryFit.estimate(spec.model(), g, p.contextSize());
            System.out.printf(
                    java.util.Locale.ROOT,
                    "memory    about %.2f GB (weights %.2f GB + KV cache %.2f GB for %d tokens)%n",
                    e.total() / 1e9,
                    e.weights() / 1e9,
                    Math.max(0, e.kvCache()) / 1e9,
                    e.context());
        } catch (dev.paddock.model.GgufException e) {
            System.out.println("gguf      " + Term.red(e.getMessage()));
        } catch (java.io.IOException e) {
            System.out.println("gguf      cannot read: " + e.getMessage());
        }
        System.out.println("endpoint  " + spec.endpoint());
        if (p.alias() != null) System.out.println("alias     " + p.alias());
        spec.env().forEach((k, v) -> System.out.println("env       " + k + "=" + v));
        System.out.println("command   " + spec.commandLine());
        return Output.OK;
    }
}
