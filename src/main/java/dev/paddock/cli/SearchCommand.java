package dev.paddock.cli;

import dev.paddock.core.PaddockException;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code paddock search QUERY}: GGUF repositories on Hugging Face, most downloaded first. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Find GGUF models on Hugging Face.")
public final class SearchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "QUERY")
    String query;

    @Option(
            names = {"-n", "--limit"},
            defaultValue = "20",
            description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        List<HubClient.Repo> found;
        try {
            found = new HubClient(HubSettings.fromEnvironment(System.getenv())).search(query, limit);
        } catch (PaddockException e) {
            return Output.error(false, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
        if (found.isEmpty()) {
            System.out.println("no GGUF repositories match '" + query + "'");
            return Output.OK;
        }
        int w = found.stream().mapToInt(r -> r.id().length()).max().orElse(10) + 2;
        System.out.println(Term.bold(String.format("%-" + (w + 2) + "s %12s  %s", "MODEL", "DOWNLOADS", "UPDATED")));
        for (HubClient.Repo r : found) {
            String date = r.lastModified().length() >= 10 ? r.lastModified().substring(0, 10) : r.lastModified();
            System.out.printf("%-" + (w + 2) + "s %12d  %s%n", "h:" + r.id(), r.downloads(), date);
        }
        return Output.OK;
    }
}
