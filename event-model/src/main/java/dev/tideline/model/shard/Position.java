package dev.tideline.model.shard;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Where a user record sits in its shard: the Kinesis sequence number of the record that carried it
 * and its sub-sequence number inside a KPL aggregate (0 for a record that was not aggregated).
 * Positions order a shard's user records exactly as KCL delivers them.
 *
 * @param sequence the Kinesis sequence number, a decimal of up to 128 bits
 */
public record Position(BigInteger sequence, long subSequence) implements Comparable<Position> {

    public Position {
        Objects.requireNonNull(sequence, "sequence");
        if (sequence.signum() < 0 || subSequence < 0) {
            throw new IllegalArgumentException("a position is not negative: " + sequence + "/" + subSequence);
        }
    }

    /** @throws NumberFormatException when {@code sequenceNumber} is not a decimal number */
    public static Position of(String sequenceNumber, long subSequence) {
        return new Position(new BigInteger(sequenceNumber), subSequence);
    }

    /** The sequence number as Kinesis writes it. */
    public String sequenceNumber() {
        return sequence.toString();
    }

    @Override
    public int compareTo(Position other) {
        int bySequence = sequence.compareTo(other.sequence);
        return bySequence != 0 ? bySequence : Long.compare(subSequence, other.subSequence);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return sequence + "/" + subSequence;
    }
}
