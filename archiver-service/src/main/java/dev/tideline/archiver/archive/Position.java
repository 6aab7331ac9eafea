package dev.tideline.archiver.archive;

import java.math.BigInteger;

/** A user record's place in its shard: sequence number, then index in its KPL aggregate. */
record Position(BigInteger sequence, long subSequence) implements Comparable<Position> {

    static Position of(String sequenceNumber, long subSequence) {
        return new Position(new BigInteger(sequenceNumber), subSequence);
    }

    String sequenceNumber() {
        return sequence.toString();
    }

    @Override
    public int compareTo(Position o) {
        int c = sequence.compareTo(o.sequence);
        return c != 0 ? c : Long.compare(subSequence, o.subSequence);
    }

    @Override
    public String toString() {
        return sequence + "/" + subSequence;
    }
}
