/** Wiring: properties, the Kinesis client, the publisher, health. */
package dev.tideline.ingest.config;
