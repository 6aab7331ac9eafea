package dev.tideline.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server of the embedded stack that runs in Node: a package from the build's {@code npm ci}
 * ({@code local-aws/node}), started as a child process.
 *
 * <p>The child holds a pipe to this JVM on its standard input and exits when that pipe closes, so it
 * cannot outlive the JVM even after {@code kill -9}. Where {@code setsid} exists it runs in a session
 * of its own, so that Ctrl-C in a terminal, which reaches the whole foreground process group, leaves
 * it up while the services drain into it.
 */
final class NodeChild {

    static final String DIR_PROPERTY = "tideline.local-aws.node.dir";
    private static final String DIR_VARIABLE = "TIDELINE_LOCAL_AWS_NODE_DIR";
    private static final int MIN_NODE_MAJOR = 20;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\..*");

    /**
     * A young generation larger than V8's default: kinesis-mock allocates short-lived objects for
     * every call, and with the default most of its CPU went to collecting them. The processor's
     * SteadyStreamIT cost kinesis-mock 12-16 CPU-seconds without it and 7 with it.
     */
    private static final String YOUNG_GENERATION = "--max-semi-space-size=64";

    // Exit when the parent's pipe closes, saying so, then run the package's script; its arguments
    // follow it.
    private static final String WRAPPER = "process.stdin.on('end',()=>{"
            + "console.error('the parent JVM closed its pipe: exiting');process.exit(0);});"
            + "process.stdin.on('error',(e)=>{"
            + "console.error('the pipe from the parent JVM failed ('+e.message+'): exiting');process.exit(0);});"
            + "process.stdin.resume();require(process.argv[1]);";

    /**
     * A client that goes away in the middle of a request (a service killed with -9, a JVM halted)
     * makes dynalite rethrow the request's ECONNRESET, which would end the server for every other
     * client; with this, that one error is logged and survived, and any other still ends the process.
     */
    static final String SURVIVE_ABORTED_REQUESTS = "process.on('uncaughtException',(e)=>{"
            + "if(e&&e.code==='ECONNRESET'){console.error('a client aborted a request: '+e.message);return;}"
            + "console.error(e);process.exit(1);});";

    private static final Logger log = LoggerFactory.getLogger(NodeChild.class);

    private final String name;
    private final Process process;
    private final OutputStream lifeline;
    private volatile boolean stopping;

    private NodeChild(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.lifeline = process.getOutputStream();
        // A server that ends while nothing stopped it says so here, with its log to look in.
        process.onExit().thenAccept(p -> {
            if (!stopping) {
                log.warn("{} exited by itself with code {}; see {}", this, p.exitValue(), logFile);
            }
        });
    }

    /**
     * Starts {@code script} of the installed npm package {@code pkg}. Returns once the process is
     * launched; callers wait for its port.
     *
     * @param args the script's own arguments
     * @param env variables added to this JVM's environment
     * @param log file that receives the child's output
     */
    static NodeChild start(
            String name, String pkg, String script, List<String> args, Map<String, String> env, Path log) {
        return start(name, pkg, script, args, env, log, "");
    }

    /** @param prelude JavaScript run before the server's script, such as {@link #SURVIVE_ABORTED_REQUESTS} */
    static NodeChild start(
            String name,
            String pkg,
            String script,
            List<String> args,
            Map<String, String> env,
            Path log,
            String prelude) {
        Path home = packageDir(pkg, script);
        String node = node();
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.addAll(List.of(
                node,
                YOUNG_GENERATION,
                "-e",
                prelude + WRAPPER,
                "--",
                home.resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new NodeChild(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + node, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Kills the process and waits for it to be gone. */
    void kill() {
        stopping = true;
        try {
            lifeline.close();
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private static Optional<String> setsid() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** An installed package: under the system property's directory, else the build's install directory. */
    static Path packageDir(String pkg, String script) {
        String configured = System.getProperty(DIR_PROPERTY, System.getenv(DIR_VARIABLE));
        Path base =
                configured != null ? Path.of(configured) : findFrom(Path.of("").toAbsolutePath());
        Path home = base.resolve("node_modules").resolve(pkg);
        if (!Files.isRegularFile(home.resolve(script))) {
            throw new IllegalStateException(pkg + " is not installed at " + home
                    + "; build local-aws first (./mvnw -pl local-aws install), which runs npm ci");
        }
        return home;
    }

    private static Path findFrom(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("local-aws").resolve("node");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir.resolve("local-aws").resolve("node");
    }

    /** The Node binary, after checking it is new enough; one clear sentence when it is not. */
    static String node() {
        String node = System.getenv().getOrDefault("TIDELINE_NODE", "node");
        String version;
        try {
            Process p = new ProcessBuilder(node, "--version")
                    .redirectErrorStream(true)
                    .start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("Tideline's local Kinesis and DynamoDB need Node.js " + MIN_NODE_MAJOR
                    + " or newer, and no 'node' is on the PATH.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Node.js version", e);
        }
        Matcher m = NODE_VERSION.matcher(version);
        if (!m.matches() || Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            throw new IllegalStateException("Tideline's local Kinesis and DynamoDB need Node.js " + MIN_NODE_MAJOR
                    + " or newer, but '" + node + " --version' says " + version + ".");
        }
        return node;
    }
}
