package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Verdict;

/** Which criterion decides a change: failed or excluded, edited ones first, Excludes of groups counted. */
class DecidingCriteriaTest {

    static final Node VIEWED = EventCriterion.event("Play Video");
    static final Node SEARCHED = EventCriterion.event("Search");
    static final Node PREMIUM = status("premium");
    static final Node FREE = status("free");

    static UserCriterion status(String value) {
        return UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH, value);
    }

    static Verdict.CriterionVerdict verdict(String path, Node criterion, boolean matches) {
        return new Verdict.CriterionVerdict(path, criterion, matches, matches ? "matches" : "does not match");
    }

    @Test
    void a_failed_criterion_the_other_definition_lacks_decides_before_an_earlier_unchanged_one() {
        Definition saved = new Definition(Group.of(VIEWED), Set.of());
        Definition edited = new Definition(Group.of(VIEWED).then(Connector.AND, PREMIUM), Set.of());
        Verdict both = new Verdict(false, List.of(verdict("1", VIEWED, false), verdict("2", PREMIUM, false)));

        EditPreview.Decision decision = new DecidingCriteria(edited, saved).keepingOut(both, true).orElseThrow();
        assertThat(decision.verdict().path()).as("the edited criterion").isEqualTo("2");
        assertThat(decision.edited()).isTrue();
        assertThat(decision.keepsOut()).isTrue();

        Verdict onlyFirst = new Verdict(false, List.of(verdict("1", VIEWED, false), verdict("2", PREMIUM, true)));
        assertThat(new DecidingCriteria(edited, saved).keepingOut(onlyFirst, true).orElseThrow().verdict().path())
                .as("no edited criterion fails: the first that does").isEqualTo("1");
    }

    @Test
    void a_criterion_that_alone_decides_comes_before_earlier_ones_that_do_not() {
        // (Searched And Free) Or Premium, for a user with none of them: only Premium alone would let them in
        Definition edited = new Definition(Group.of(Group.of(SEARCHED).then(Connector.AND, FREE))
                .then(Connector.OR, PREMIUM), Set.of());
        Verdict none = new Verdict(false, List.of(verdict("1.1", SEARCHED, false), verdict("1.2", FREE, false),
                verdict("2", PREMIUM, false)));
        DecidingCriteria deciding = new DecidingCriteria(edited, new Definition(Group.of(VIEWED), Set.of()));
        assertThat(deciding.keepingOut(none, true).orElseThrow().verdict().path()).isEqualTo("2");
        assertThat(deciding.lettingIn(none, true)).as("nothing lets them in").isEmpty();
    }

    @Test
    void a_matched_criterion_keeps_out_under_exclude_and_a_group_exclude_turns_its_criteria_round() {
        // Viewed Exclude (Free Or (Searched Exclude Premium))
        Group inner = Group.of(SEARCHED).then(Connector.EXCLUDE, PREMIUM);
        Definition edited = new Definition(Group.of(VIEWED).then(Connector.EXCLUDE, Group.of(FREE)
                .then(Connector.OR, inner)), Set.of());
        Definition saved = new Definition(Group.of(VIEWED), Set.of());
        DecidingCriteria deciding = new DecidingCriteria(edited, saved);

        Verdict freeViewer = new Verdict(false, List.of(verdict("1", VIEWED, true), verdict("2.1", FREE, true),
                verdict("2.2.1", SEARCHED, false), verdict("2.2.2", PREMIUM, false)));
        EditPreview.Decision free = deciding.keepingOut(freeViewer, true).orElseThrow();
        assertThat(free.verdict().path()).isEqualTo("2.1");
        assertThat(free.excludes()).isTrue();

        // a premium searcher is let in by Premium (excluded twice over, so matching it counts for them)
        Verdict premiumSearcher = new Verdict(true, List.of(verdict("1", VIEWED, true), verdict("2.1", FREE, false),
                verdict("2.2.1", SEARCHED, true), verdict("2.2.2", PREMIUM, true)));
        assertThat(deciding.keepingOut(premiumSearcher, true)).isEmpty();
        assertThat(deciding.lettingIn(premiumSearcher, true).orElseThrow().verdict().path())
                .as("edited criteria first: Free does not match, so it lets them in").isEqualTo("2.1");
        assertThat(deciding.lettingIn(premiumSearcher, true).orElseThrow().excludes()).isTrue();
    }
}
