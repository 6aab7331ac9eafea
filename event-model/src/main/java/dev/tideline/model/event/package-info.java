/**
 * The clickstream event and its JSON contract: what a client may send, what the ingest service
 * writes to the stream, and the exact error for every rule an event breaks.
 */
@NullMarked
package dev.tideline.model.event;

import org.jspecify.annotations.NullMarked;
