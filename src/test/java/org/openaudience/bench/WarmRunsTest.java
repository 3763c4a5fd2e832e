package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's figures are medians of warm runs, after one untimed warm-up. */
class WarmRunsTest {

    @Test
    void the_median_of_an_odd_count_is_the_middle_run_and_of_an_even_count_the_mean_of_the_two_middle_ones() {
        assertThat(new WarmRuns.Figures(List.of(900.0, 100.0, 300.0)).median()).isEqualTo(300.0);
        assertThat(new WarmRuns.Figures(List.of(900.0, 100.0, 300.0, 500.0)).median()).isEqualTo(400.0);
        assertThat(new WarmRuns.Figures(List.of(900.0, 100.0, 300.0))).hasToString("median 300 ms (100–900 over 3)");
    }

    @Test
    void the_first_run_warms_up_and_is_not_counted() throws Exception {
        List<Double> given = new ArrayList<>(List.of(5_000.0, 10.0, 30.0, 20.0));
        WarmRuns.Figures figures = WarmRuns.of(() -> given.remove(0), 3);

        assertThat(figures.millis()).containsExactly(10.0, 30.0, 20.0);
        assertThat(figures.median()).isEqualTo(20.0);
    }
}
