package org.openaudience.abtest.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class AbTestTabTest extends KaribuTest {

    @Autowired
    AbTestService tests;
    @Autowired
    AudienceService audiences;

    @Test
    void variations_take_shares_from_control_and_save_freezes_the_split() {
        Workspace workspace = members.workspace("ABTab");
        Member user = members.member(Role.USER, workspace);
        login(user);
        long audienceId = audiences.createAudience(workspace.id(), "Split", null,
                Definition.of(EventCriterion.event("Play Video"))).id();
        AbTestTab tab = new AbTestTab(tests, audienceId, true);
        UI.getCurrent().add(tab);

        _click(tab.start);
        _setValue(tab.percent, 30);
        _setValue(tab.name, "Half price");
        _click(tab.add);
        _setValue(tab.percent, 80);
        _click(tab.add);
        assertThat(tab.percent.getErrorMessage()).startsWith("Use 1 to 69 %");
        _click(tab.save);
        assertThat(GridKt._size(tab.variations)).isEqualTo(2);
        assertThat(GridKt._getFormattedRow(tab.variations, 0)).containsExactly("Control", "70 %");
        assertThat(GridKt._getFormattedRow(tab.variations, 1)).containsExactly("Half price", "30 %");
        assertThat(com.github.mvysny.kaributesting.v10.LocatorJ._find(tab, com.vaadin.flow.component.button.Button.class,
                spec -> spec.withText("Add Variation"))).as("a saved test is frozen").isEmpty();
        assertThat(tab.save.isVisible()).isFalse();
        assertThat(tab.delete.isVisible()).isTrue();
    }

    @Test
    void read_only_members_see_the_split_without_controls() {
        Workspace workspace = members.workspace("ABRead");
        login(members.member(Role.READ_ONLY, workspace));
        long audienceId = members.asAdmin(() -> audiences.createAudience(workspace.id(), "Seen", null,
                Definition.of(EventCriterion.event("Play Video")))).id();
        AbTestTab tab = new AbTestTab(tests, audienceId, false);
        UI.getCurrent().add(tab);
        assertThat(tab.start.isVisible()).isFalse();
        assertThat(tab.state.getText()).startsWith("No A/B test.");
    }
}
