package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Paragraph;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An audience of a workspace the member may not use looks exactly like one that does not exist, so ids of other
 * workspaces cannot be probed; the refusal is logged once, at WARN, without a stack trace.
 */
class AudienceNotFoundTest extends KaribuTest {

    @Autowired
    AudienceService audiences;

    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureTheLog() {
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logged);
    }

    /** Everything the page shows, with the audience id in the address replaced by N. */
    private record Seen(String location, String title, List<String> paragraphs, List<String> notifications) {
    }

    private Seen open(long audienceId) {
        navigate("audiences/" + audienceId);
        UI ui = UI.getCurrent();
        AudienceView view = _get(AudienceView.class);
        String id = String.valueOf(audienceId);
        return new Seen(ui.getInternals().getActiveViewLocation().getPath().replace(id, "N"),
                view.getPageTitle().replace(id, "N"),
                _find(view, Paragraph.class).stream().map(p -> p.getText().replace(id, "N")).toList(),
                NotificationsKt.getNotifications().stream()
                        .map(n -> String.valueOf(n.getElement().getProperty("text")).replace(id, "N")).toList());
    }

    @Test
    void an_audience_of_another_workspace_answers_like_one_that_does_not_exist() {
        Workspace mine = members.workspace("Walls A");
        Workspace theirs = members.workspace("Walls B");
        long theirAudience = members.asAdmin(() -> audiences.createAudience(theirs.id(), "Their secret plans", null,
                Definition.of(EventCriterion.event("Play Video")))).id();
        login(members.member(Role.USER, mine));

        Seen missing = open(theirAudience + 1_000_000);
        Seen walledOff = open(theirAudience);

        assertThat(walledOff).isEqualTo(missing);
        assertThat(walledOff.paragraphs()).containsExactly("Audience N does not exist, or it is in a workspace you "
                + "cannot use.");
        List<ILoggingEvent> refusals = logged.list.stream().filter(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains("workspace " + theirs.id())).toList();
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0).getThrowableProxy()).as("no stack trace").isNull();
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
    }
}
