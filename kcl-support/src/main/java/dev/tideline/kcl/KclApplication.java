package dev.tideline.kcl;

/**
 * The KCL application name (and so the lease table) a consumer's scheduler starts with, asked at
 * each start. A consumer that provides none uses its configured {@link KclProperties#application()};
 * the processor provides its current generation's.
 */
@FunctionalInterface
public interface KclApplication {

    String name();
}
