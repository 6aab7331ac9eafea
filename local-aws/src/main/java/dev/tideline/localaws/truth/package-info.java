/**
 * What tests compare with: a reproducible clickstream, and the aggregates it must produce, computed
 * from the events sent by the contract's rules and nothing of the code under test.
 */
package dev.tideline.localaws.truth;
