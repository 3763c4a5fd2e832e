package org.openaudience.abtest;

import java.util.List;

/**
 * An audience's A/B test: its variations in order, Control first with 100 minus the others. Saved tests are frozen;
 * to change the split, delete the test and start again.
 */
public record AbTest(long audienceId, boolean saved, List<Variation> variations) {

    public static final int MAX_VARIATIONS = 5;

    public AbTest {
        variations = List.copyOf(variations);
    }

    /**
     * The variation of a member: deterministic per (audience, MPID), so stable across recalculations, and uniform:
     * each variation gets its percentage of members.
     */
    public Variation variationOf(long mpid) {
        int slot = slot(audienceId, mpid);
        int upTo = 0;
        // added variations take the first slots; Control takes the rest
        for (Variation variation : variations.subList(1, variations.size())) {
            upTo += variation.percent() * 100;
            if (slot < upTo) {
                return variation;
            }
        }
        return variations.get(0);
    }

    /** A slot in [0, 10000) from a SplitMix64 hash of audience and MPID (MPIDs may be sequential). */
    static int slot(long audienceId, long mpid) {
        long z = mpid * 0x9E3779B97F4A7C15L + audienceId * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) Long.remainderUnsigned(z, 10_000);
    }
}
