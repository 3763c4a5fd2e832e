package org.openaudience.abtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Assignment is deterministic per (audience, MPID) and splits members within a point of the configured shares. */
class AbTestSplitTest {

    static final AbTest TEST = new AbTest(42, true, List.of(new Variation(0, "Control", 55),
            new Variation(1, "Half price", 30), new Variation(2, "Free trial", 15)));

    @Test
    void the_measured_split_is_within_one_point_of_the_configured_one_for_random_and_sequential_mpids() {
        Random random = new Random(7);
        for (boolean sequential : new boolean[] {false, true}) {
            Map<String, Integer> counts = new HashMap<>();
            int members = 200_000;
            for (int i = 0; i < members; i++) {
                long mpid = sequential ? 1_000_000L + i : random.nextLong();
                counts.merge(TEST.variationOf(mpid).name(), 1, Integer::sum);
            }
            for (Variation variation : TEST.variations()) {
                double share = 100.0 * counts.getOrDefault(variation.name(), 0) / members;
                assertThat(share).as("%s (%s MPIDs)", variation.name(), sequential ? "sequential" : "random")
                        .isCloseTo(variation.percent(), org.assertj.core.data.Offset.offset(1.0));
            }
        }
    }

    @Test
    void a_member_keeps_its_variation_and_other_audiences_split_independently() {
        long mpid = -7_345_221_908_114L;
        assertThat(TEST.variationOf(mpid)).isEqualTo(TEST.variationOf(mpid));
        AbTest other = new AbTest(43, true, TEST.variations());
        int same = 0;
        for (long m = 0; m < 10_000; m++) {
            same += TEST.variationOf(m).equals(other.variationOf(m)) ? 1 : 0;
        }
        // independent splits agree about as often as chance says: 0.55² + 0.30² + 0.15² = 41.5 %
        assertThat(same / 100.0).isCloseTo(41.5, org.assertj.core.data.Offset.offset(2.0));
    }
}
