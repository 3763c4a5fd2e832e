package org.openaudience.criteria;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Which profiles of the workspace a compiled query looks at. */
public sealed interface ProfileScope {

    /** Given profiles: those touched by new data (real time). */
    record Profiles(List<Long> mpids) implements ProfileScope {
        public Profiles(Collection<Long> mpids) {
            this(List.copyOf(mpids));
        }
    }

    /**
     * Profiles whose MPID lies in {@code [from, to]} (inclusive): a bucket of the bulk calculation, a chunk of the
     * real-time sweep or the fixed estimate sample. Contiguous MPID ranges let every event criterion read one range
     * of the (workspace, event type, event key, MPID, time) index instead of the whole key.
     */
    record MpidRange(long from, long to) implements ProfileScope {

        /**
         * Splits {@code [min, max]} into {@code count} ranges of equal width (MPIDs are random 64-bit numbers, so
         * equal widths hold about equal numbers of profiles). Unsigned arithmetic: the width may exceed
         * {@link Long#MAX_VALUE}.
         */
        public static List<MpidRange> split(long min, long max, int count) {
            long width = max - min; // unsigned
            long step = Long.divideUnsigned(width, count);
            List<MpidRange> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long from = min + step * i;
                long to = i == count - 1 ? max : min + step * (i + 1) - 1;
                ranges.add(new MpidRange(from, to));
            }
            return ranges;
        }

        /** The first {@code percent} % of {@code [min, max]}: the same profiles for every estimate. */
        public static MpidRange sample(long min, long max, int percent) {
            if (percent >= 100) {
                return new MpidRange(min, max);
            }
            long width = max - min; // unsigned
            long part = Long.divideUnsigned(width, 100) * percent
                    + Long.divideUnsigned(Long.remainderUnsigned(width, 100) * percent, 100);
            return new MpidRange(min, min + part);
        }
    }

    /** Every profile of the workspace. */
    record All() implements ProfileScope {
    }
}
