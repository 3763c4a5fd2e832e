package org.openaudience.abtest;

import java.util.Optional;
import org.openaudience.audience.AudienceVariations;
import org.springframework.stereotype.Component;

/** Member downloads' view of A/B tests: the saved split, as the Download dialog and connections use it. */
@Component
class AbTestVariations implements AudienceVariations {

    private final AbTestService tests;

    AbTestVariations(AbTestService tests) {
        this.tests = tests;
    }

    @Override
    public Optional<Split> savedSplit(long audienceId) {
        return tests.test(audienceId).filter(AbTest::saved).map(test -> new Split(
                test.variations().stream().map(Variation::name).toList(),
                mpid -> test.variationOf(mpid).position()));
    }
}
