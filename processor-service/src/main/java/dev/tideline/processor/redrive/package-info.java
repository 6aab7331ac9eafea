/**
 * The redrive: dead letters that read as events now (after the cause was fixed) are published to
 * the stream again, in the contract's form, so that both consumers take them as new records, and
 * their event ids keep a second publication from counting twice. No AWS types.
 */
@NullMarked
package dev.tideline.processor.redrive;

import org.jspecify.annotations.NullMarked;
