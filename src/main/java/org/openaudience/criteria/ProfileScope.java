package org.openaudience.criteria;

import java.util.Collection;
import java.util.List;

/** Which profiles of the workspace a compiled query looks at. */
public sealed interface ProfileScope {

    /** Given profiles: those touched by new data (real time), or a fixed sample (estimates). */
    record Profiles(List<Long> mpids) implements ProfileScope {
        public Profiles(Collection<Long> mpids) {
            this(List.copyOf(mpids));
        }
    }

    /** One bucket of the workspace by MPID (bulk calculation): {@code MOD(mpid, buckets) = bucket}. */
    record Bucket(int bucket, int buckets) implements ProfileScope {
    }

    /** A fixed pseudo-random sample: profiles whose MPID modulo 100 is below {@code percent} (estimates). */
    record Sample(int percent) implements ProfileScope {
    }

    /** Every profile of the workspace. */
    record All() implements ProfileScope {
    }
}
