/**
 * The embedded AWS-compatible stack: kinesis-mock, dynalite and S3Proxy, all open source,, started on this
 * machine without Docker, and provisioned with Tideline's resources.
 */
package dev.tideline.localaws;
