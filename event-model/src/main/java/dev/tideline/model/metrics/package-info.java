/**
 * The names of the meters the services publish, one definition shared by the services that register
 * them and the CDK app whose dashboard and alarms read them, so the two cannot drift apart.
 */
@NullMarked
package dev.tideline.model.metrics;

import org.jspecify.annotations.NullMarked;
