/**
 * Benchmarks, outside the application's packages so that component scanning never finds their
 * configuration.
 */
package dev.tideline.bench;
