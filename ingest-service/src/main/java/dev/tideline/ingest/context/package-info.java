/**
 * What the ingest service stamps on each event about the client that sent it: the user agent and
 * what it says (browser, OS, device class, robot), and the client's address, anonymized. Knows the
 * HTTP request and the event model; nothing of publishing.
 */
@NullMarked
package dev.tideline.ingest.context;

import org.jspecify.annotations.NullMarked;
