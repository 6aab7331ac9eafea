package dev.tideline.processor.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A redrive's settings, under {@code tideline.redrive}.
 *
 * @param force publish again the dead letters an earlier redrive claimed longer ago than the dedupe
 *     window, which may count them twice: for when an operator checked that they were not counted
 */
@ConfigurationProperties("tideline.redrive")
public record RedriveProperties(@DefaultValue("false") boolean force) {}
