/**
 * What every Tideline service's HTTP API shares: a request id on every response and in the log
 * context, and RFC 9457 problem responses with a machine-readable {@code errors} array. Registered
 * by {@link dev.tideline.web.WebSupportAutoConfiguration}. Also the one binding of the Kinesis
 * client's settings, {@link dev.tideline.web.KinesisProperties}.
 */
@NullMarked
package dev.tideline.web;

import org.jspecify.annotations.NullMarked;
