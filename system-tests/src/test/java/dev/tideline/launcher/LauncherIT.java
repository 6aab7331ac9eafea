package dev.tideline.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tideline} as a user runs it: a process, read by its output and exit code. It runs what
 * the reactor built ({@code TIDELINE_NO_BUILD=1}), on the fixed local ports.
 */
class LauncherIT {

    private static final Path SCRIPT = Launcher.SCRIPT;
    private static final List<Integer> UP_PORTS = List.of(4567, 4568, 8000, 9000, 8080, 8081, 8082, 8090);

    @TempDir
    Path data;

    @Test
    void helpDescribesEveryCommandAndEveryVariable() {
        Launcher.Run help = Launcher.run(Map.of(), "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out())
                .contains(
                        "up [--data DIR] [--no-services]",
                        "demo",
                        "status [--watch]",
                        "logs",
                        "rebuild [--from TIME]",
                        "redrive [--drop-unknown-fields]",
                        "bench ingest|processor|archiver|rebuild|fold",
                        "help")
                .contains(
                        "TIDELINE_INGEST_PORT",
                        "TIDELINE_PROCESSOR_PORT",
                        "TIDELINE_ARCHIVER_PORT",
                        "TIDELINE_CONSOLE_PORT",
                        "TIDELINE_KINESIS_PORT",
                        "TIDELINE_KINESIS_TLS_PORT",
                        "TIDELINE_DYNAMODB_PORT",
                        "TIDELINE_S3_PORT",
                        "TIDELINE_NO_BUILD");
        Launcher.Run up = Launcher.run(Map.of(), "help", "up");
        assertThat(up.exit()).isZero();
        assertThat(up.out()).contains("--data DIR", "--no-services", "Ctrl-C");
        Launcher.Run rebuild = Launcher.run(Map.of(), "help", "rebuild");
        assertThat(rebuild.exit()).isZero();
        assertThat(rebuild.out()).contains("--session-gap DURATION", "--keep-old", "Exits 0");
        Launcher.Run wrong = Launcher.run(Map.of(), "redrive", "--forse");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).startsWith("./tideline: unknown option '--forse' of redrive");
    }

    @Test
    void anUnknownCommandOrOptionGetsTheUsageAtOnceAndExit2() {
        Launcher.Run option = Launcher.run(Map.of("TIDELINE_NO_BUILD", "0"), "up", "--dat", "x");
        Launcher.Run command = Launcher.run(Map.of("TIDELINE_NO_BUILD", "0"), "upp");

        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err())
                .startsWith("./tideline: unknown option '--dat' of up")
                .contains("Usage: ./tideline up");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).startsWith("./tideline: no command 'upp'").contains("Commands:");
        assertThat(option.out() + option.err() + command.out() + command.err()).doesNotContain("Building");

        // A value the rebuild could not take: told before any build, and before looking for up.
        Launcher.Run time = Launcher.run(Map.of("TIDELINE_NO_BUILD", "0"), "rebuild", "--from", "yesterday");
        assertThat(time.exit()).isEqualTo(2);
        assertThat(time.err())
                .startsWith("./tideline: --from needs a time in ISO-8601, UTC (e.g. 2026-11-29T06:00:00Z),"
                        + " not 'yesterday'")
                .contains("Usage: ./tideline rebuild");
        Launcher.Run gap = Launcher.run(Map.of(), "rebuild", "--session-gap", "10");
        assertThat(gap.exit()).isEqualTo(2);
        assertThat(gap.err()).startsWith("./tideline: --session-gap needs a duration (e.g. 30m, 2h, 7d), not '10'");
        assertThat(time.out() + gap.out()).doesNotContain("Building");
    }

    @Test
    void rebuildAndRedriveWithoutUpSayWhatTheyNeedInOneLineAtOnce() {
        for (String command : List.of("rebuild", "redrive")) {
            // A port nothing listens on: as if up were not running.
            Launcher.Run run = Launcher.run(Map.of("TIDELINE_KINESIS_PORT", "1"), command);

            assertThat(run.exit()).as(command).isEqualTo(1);
            assertThat(run.err().strip())
                    .isEqualTo(
                            "./tideline: " + command + " needs ./tideline up running, and Kinesis does not answer"
                                    + " at 127.0.0.1:1 (TIDELINE_KINESIS_PORT); start ./tideline up first, with the same ports");
            assertThat(run.out()).as("no JVM was started").isEmpty();
        }
    }

    @Test
    void aTakenPortIsOneLineNamingTheVariableThatMovesIt() throws IOException {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(8080));

            Launcher.Run up = Launcher.run(Map.of(), "up", "--data", data.toString());

            assertThat(up.exit()).isEqualTo(1);
            assertThat(up.err().strip())
                    .isEqualTo("port 8080 (ingest-service) is in use; set TIDELINE_INGEST_PORT to another port,"
                            + " or stop what holds it");
            assertThat(up.out()).doesNotContain("Exception");
        }
    }

    @Test
    void aServiceThatCannotStartIsNamedWithItsLogAndNothingIsLeftBehind() {
        // A setting the ingest service refuses at start: it exits, and up must not restart it forever.
        Launcher.Run up =
                Launcher.run(Map.of("TIDELINE_INGEST_BEACON_MAXEVENTS", "0"), "up", "--data", data.toString());

        assertThat(up.exit()).isEqualTo(1);
        assertThat(up.err()).contains("ingest-service could not start; the last lines of " + data.resolve("logs"));
        assertThat(up.err()).contains("maxEvents");
        assertThat(up.out()).contains("Tideline stopped.").doesNotContain("restarting");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(UP_PORTS)
                .allSatisfy(port ->
                        assertThat(Ports.isFree(port)).as("port %d", port).isTrue()));
    }

    @Test
    void stoppedWhileItIsStillStartingItLeavesNothingBehind() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "up", "--data", data.toString())
                .directory(SCRIPT.getParent().toFile())
                .redirectErrorStream(true);
        builder.environment().put("TIDELINE_NO_BUILD", "1");
        Process up = builder.start();
        StringBuilder seen = new StringBuilder();
        try (var lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("Waiting for")) {
                seen.append(line).append('\n');
            }
            assertThat(line)
                    .as("up got as far as waiting for a service: %s", seen)
                    .isNotNull();

            // SIGTERM, as an operator's kill or Ctrl-C: the services are still starting. (Not
            // Process.destroy(), which also closes the output this test still reads.)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(up.pid()))
                            .start()
                            .waitFor())
                    .isZero();

            assertThat(up.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String rest = lines.lines().collect(java.util.stream.Collectors.joining("\n"));
            assertThat(rest).contains("Tideline stopped.");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(UP_PORTS)
                .allSatisfy(port ->
                        assertThat(Ports.isFree(port)).as("port %d", port).isTrue()));
    }
}
