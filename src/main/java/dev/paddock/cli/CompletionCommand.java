package dev.paddock.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code paddock completion}: the bash/zsh completion script for every command and option. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print the shell completion script (bash and zsh).",
            "Use it with:  source <(paddock completion)   or save it to /etc/bash_completion.d/paddock"
        })
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("paddock", spec.root().commandLine()));
        return Output.OK;
    }
}
