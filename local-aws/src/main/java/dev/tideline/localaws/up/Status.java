package dev.tideline.localaws.up;

import dev.tideline.localaws.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tideline status}: the console's per-consumer, per-shard table in the terminal, once or
 * again and again. Exits 0 when every consumer is within its threshold, 1 when one is not, 3 when
 * the console cannot be reached; usable in scripts.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Each consumer's shards, owners and lag, from the console.",
        exitCodeOnInvalidInput = 2)
public final class Status implements Callable<Integer> {

    static final int ATTENTION = 1;
    static final int UNREACHABLE = 3;

    private static final String HEALTHY_HEADER = "X-Tideline-Healthy";

    @Option(
            names = "--console",
            paramLabel = "URL",
            description = "The console to ask (default: http://127.0.0.1:$TIDELINE_CONSOLE_PORT, 8090).")
    private URI console = URI.create("http://127.0.0.1:" + Ports.fromEnv("TIDELINE_CONSOLE_PORT", 8090));

    @Option(names = "--watch", description = "Print the table again every refresh, until Ctrl-C.")
    private boolean watch;

    @Option(
            names = "--every",
            paramLabel = "SECONDS",
            description = "With --watch: seconds between tables (default: 2).")
    private int every = 2;

    private final PrintStream out = System.out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Status()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        int code = once();
        while (watch) {
            Thread.sleep(Duration.ofSeconds(Math.max(1, every)).toMillis());
            out.print("\033[H\033[2J");
            code = once();
        }
        return code;
    }

    private int once() throws InterruptedException {
        URI url = console.resolve("/api/status");
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503) {
                System.err.println("The console at " + console + " is still reading its sources; try again.");
                return UNREACHABLE;
            }
            if (response.statusCode() != 200) {
                System.err.println("The console at " + console + " answered " + response.statusCode() + ".");
                return UNREACHABLE;
            }
            out.print(response.body());
            out.flush();
            return response.headers()
                            .firstValue(HEALTHY_HEADER)
                            .map(Boolean::parseBoolean)
                            .orElse(false)
                    ? 0
                    : ATTENTION;
        } catch (IOException e) {
            System.err.println("No console answers at " + console
                    + ": start the stack with ./tideline up (it runs the console), or name another with --console.");
            return UNREACHABLE;
        }
    }
}
