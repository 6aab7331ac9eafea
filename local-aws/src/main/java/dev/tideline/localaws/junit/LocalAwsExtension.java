package dev.tideline.localaws.junit;

import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.model.names.ResourceNames;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs the embedded AWS stack for integration tests: one stack per test JVM, on free ports, started
 * on first use and stopped when the JVM's tests end; and per test class a fresh stream, aggregates
 * table and bucket, provisioned before the class's tests run.
 *
 * <p>Use {@code @ExtendWith(LocalAwsExtension.class)} and take a {@link LocalAws} parameter, or
 * register a static field with {@code @RegisterExtension} and call {@link #aws()}.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalAwsExtension.class);
    private static final AtomicInteger CLASSES = new AtomicInteger();

    private final int shards;
    private volatile LocalAws aws;

    public LocalAwsExtension() {
        this(ResourceNames.LOCAL_SHARDS);
    }

    /** @param shards shards of each test class's stream */
    public LocalAwsExtension(int shards) {
        this.shards = shards;
    }

    /** This class's resources; available from {@code @BeforeAll} on. */
    public LocalAws aws() {
        if (aws == null) {
            throw new IllegalStateException(
                    "the local AWS stack starts before the test class; use it from @BeforeAll on");
        }
        return aws;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalAwsStack stack = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        SharedStack.class,
                        k -> new SharedStack(LocalAwsStack.startOnFreePorts(null)),
                        SharedStack.class)
                .stack();
        String suffix = slug(context.getRequiredTestClass().getSimpleName()) + "-" + CLASSES.incrementAndGet();
        ResourceNames names = ResourceNames.DEFAULT.withSuffix(suffix);
        new Provisioner(new LocalAwsClients(stack.endpoints())).provision(names, shards);
        aws = new LocalAws(stack.endpoints(), names, stack.kinesisProcess());
        context.getStore(NAMESPACE).put(LocalAws.class, aws);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(LocalAws.class, LocalAws.class);
    }

    private static String slug(String className) {
        String s = className
                .replaceAll("([a-z])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "");
        return s.length() > 14 ? s.substring(0, 14) : s;
    }

    /** Closed by JUnit when the root context closes, at the end of the JVM's tests. */
    private record SharedStack(LocalAwsStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
