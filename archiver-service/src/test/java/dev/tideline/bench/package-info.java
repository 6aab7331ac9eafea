/** {@code ./tideline bench archiver}: the Parquet writer, the archive's size, and its S3 requests. */
@NullMarked
package dev.tideline.bench;

import org.jspecify.annotations.NullMarked;
