package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemberRowsTest {

    @Test
    void members_are_written_as_number_literals_including_the_extremes_of_an_mpid() {
        assertThat(MemberRows.insertIgnore(7, 3, List.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE)))
                .isEqualTo("INSERT IGNORE INTO audience_member (audience_id, generation, mpid) VALUES"
                        + " (7, 3, -9223372036854775808), (7, 3, -1), (7, 3, 0), (7, 3, 9223372036854775807)");
    }
}
