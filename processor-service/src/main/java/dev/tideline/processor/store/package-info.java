/** The aggregates in DynamoDB: the single-table layout and the transactional store on it. */
@NullMarked
package dev.tideline.processor.store;

import org.jspecify.annotations.NullMarked;
