/** The HTTP API: events in, problem+json out, keys, request ids, CORS. */
package dev.tideline.ingest.api;
