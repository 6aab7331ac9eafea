/** Getting events onto the stream: KPL aggregation per shard, batching, retries, back-pressure. */
package dev.tideline.ingest.publish;
