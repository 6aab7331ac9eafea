/**
 * The KPL aggregated-record wire format: packing user records bound for one shard into Kinesis
 * records, and unpacking them again with their sub-sequence numbers.
 */
@NullMarked
package dev.tideline.model.kpl;

import org.jspecify.annotations.NullMarked;
