/**
 * The embedded AWS-compatible stack: kinesis-mock, DynamoDB Local and S3Proxy, started on this
 * machine without Docker, and provisioned with Tideline's resources.
 */
package dev.tideline.localaws;
