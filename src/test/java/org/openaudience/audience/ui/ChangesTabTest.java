package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.tabs.Tab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.HourlyChanges;
import org.openaudience.audience.MembershipChangeHub;
import org.openaudience.audience.MembershipChangeListener;
import org.openaudience.audience.MembershipChangeRow;
import org.openaudience.audience.MembershipChanges;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.ChangeCounts;
import org.openaudience.calculation.MembershipChanged;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audience's Changes tab: users entering and leaving pushed as real time changes membership, Pause, the hourly
 * chart, masked identities for Read Only, and subscriptions only for members who may see the audience.
 */
class ChangesTabTest extends KaribuTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MembershipChangeHub hub;
    @Autowired
    MembershipChanges changes;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ChangeCounts changeCounts;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationEventPublisher publisher;

    Workspace workspace;
    Member user;
    TestEvents events;
    Input input;
    Audience premium;
    AudienceView view;
    ChangesTab tab;

    /**
     * "Premium users" (status premium), first calculated empty (a first membership is counted, not logged), then
     * joined by c-1 in real time: one logged change.
     */
    @BeforeEach
    void premiumUsers() throws Exception {
        workspace = members.workspace("Changes");
        user = members.member(Role.USER, workspace);
        events = new TestEvents(inputs, ingestion, parser, clock, members);
        input = events.webInput(workspace);
        send("c-0", "free");
        premium = RunAs.member(user.getEmail(), Role.USER, () -> audiences.activateAudience(audiences.createAudience(
                workspace.id(), "Premium users", null, Definition.of(UserCriterion.attribute("status",
                        DataType.STRING, Operator.EXACT_MATCH, "premium"))).id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (RunAs.member(user.getEmail(), Role.USER, () -> audiences.progress(premium.id())).calculating()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        send("c-1", "premium");
        awaitChanges(1);
    }

    /** A batch with the customer's status; real time re-evaluates them within a second. */
    void send(String customer, String status) {
        events.send(input, """
                {"user_identities":{"customer_id":"%s","email":"%s@example.com"},"user_attributes":{"status":"%s"}}"""
                .formatted(customer, customer, status));
    }

    /** Waits until the audience's change log has this many entries. */
    void awaitChanges(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long logged = 0;
        while (System.nanoTime() < deadline) {
            logged = jdbc.sql("SELECT COUNT(*) FROM membership_change WHERE audience_id = ?").param(premium.id())
                    .query(Long.class).single();
            if (logged >= count) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(logged).as("logged changes").isEqualTo(count);
    }

    long mpid(String customer) {
        return jdbc.sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_type = 'customer_id'"
                + " AND identity_value = ?").params(workspace.id(), customer).query(Long.class).single();
    }

    /** Signs the member in (a new session after the first) and opens the audience's Changes tab. */
    void openChangesAs(Member member) {
        if (view == null) {
            login(member);
        } else {
            switchMember(member);
        }
        navigate("audiences/" + premium.id());
        view = _get(AudienceView.class);
        select("Changes");
        tab = _get(ChangesTab.class);
    }

    void select(String label) {
        view.tabs.setSelectedTab(_find(view.tabs, Tab.class).stream().filter(t -> t.getLabel().equals(label))
                .findFirst().orElseThrow());
    }

    /** What the dispatcher thread does every 250 ms, then the browser round trip that applies pushed changes. */
    void deliver() {
        hub.dispatch();
        MockVaadin.clientRoundtrip();
    }

    /**
     * Delivers until the tab shows what the test expects: a commit is visible to the test a moment before the
     * writer's thread tells the hub about it.
     */
    void deliverUntil(java.util.function.BooleanSupplier shown) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        deliver();
        while (!shown.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            deliver();
        }
    }

    int rows() {
        return GridKt._size(tab.grid);
    }

    String cell(int row, String column) {
        return GridKt._getFormatted(tab.grid, row, column);
    }

    @Test
    void users_entering_and_leaving_appear_on_top_as_it_happens_with_identities_and_a_lookup_link() throws Exception {
        openChangesAs(user);
        assertThat(GridKt._size(tab.grid)).isEqualTo(1);
        assertThat(cell(0, "change")).isEqualTo("Added · real time");

        send("c-2", "premium");
        awaitChanges(2);
        deliverUntil(() -> rows() == 2);
        assertThat(GridKt._size(tab.grid)).isEqualTo(2);
        assertThat(cell(0, "change")).isEqualTo("Added · real time");
        assertThat(cell(0, "identities")).isEqualTo("customer_id: c-2 · email: c-2@example.com");
        Anchor link = (Anchor) GridKt._getCellComponent(tab.grid, 0, "mpid");
        assertThat(link.getText()).isEqualTo(Long.toString(mpid("c-2")));
        assertThat(link.getHref()).isEqualTo("users/lookup?mpid=" + mpid("c-2"));
        assertThat(cell(0, "time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        send("c-1", "free");
        awaitChanges(3);
        deliverUntil(() -> rows() == 3);
        assertThat(cell(0, "change")).isEqualTo("Removed · real time");
        assertThat(((Anchor) GridKt._getCellComponent(tab.grid, 0, "mpid")).getText())
                .isEqualTo(Long.toString(mpid("c-1")));
        assertThat(tab.status.getText()).isEqualTo("Live · 3 changes shown (latest 200)");
    }

    @Test
    void pause_holds_new_changes_until_resume() throws Exception {
        openChangesAs(user);
        _click(tab.pause);
        assertThat(tab.pause.getText()).isEqualTo("Resume");
        send("c-2", "premium");
        awaitChanges(2);
        deliverUntil(() -> tab.status.getText().contains("waiting"));
        assertThat(GridKt._size(tab.grid)).as("paused").isEqualTo(1);
        assertThat(tab.status.getText()).isEqualTo("Paused · 1 change shown (latest 200) · 1 change waiting, "
                + "shown on Resume");

        _click(tab.pause);
        assertThat(tab.pause.getText()).isEqualTo("Pause");
        assertThat(GridKt._size(tab.grid)).isEqualTo(2);
        assertThat(cell(0, "identities")).contains("c-2");
        deliver();
        assertThat(GridKt._size(tab.grid)).as("nothing shown twice").isEqualTo(2);
    }

    @Test
    void the_chart_counts_each_hours_adds_and_drops_and_says_so_in_words() throws Exception {
        Instant first = clock.instant();
        openChangesAs(user);
        send("c-2", "premium");
        awaitChanges(2);
        deliverUntil(() -> rows() == 2);
        HourlyChanges live = tab.chart.data();
        int hour = live.indexOf(first);
        assertThat(hour).isEqualTo(HourlyChanges.HOURS - 1);
        assertThat(live.adds(hour)).as("two real-time adds").isEqualTo(2);
        assertThat(tab.chart.summary.getText()).startsWith("Last 7 days: 2 adds and 0 drops (net +2).")
                .endsWith("This hour so far: 2 adds and 0 drops.");
        assertThat(tab.chart.svg.getElement().getProperty("innerHTML"))
                .contains("role=\"img\"", ChangesChart.TITLE, " UTC: 2 adds and 0 drops</title>");

        // two hours later c-1 leaves: the chart moves on by two hours and counts the drop in the new hour
        clock.advance(Duration.ofHours(2));
        send("c-1", "free");
        awaitChanges(3);
        deliverUntil(() -> rows() == 3);
        HourlyChanges moved = tab.chart.data();
        assertThat(moved.indexOf(first)).isEqualTo(HourlyChanges.HOURS - 3);
        assertThat(moved.adds(HourlyChanges.HOURS - 3)).isEqualTo(2);
        assertThat(moved.drops(HourlyChanges.HOURS - 1)).isEqualTo(1);
        assertThat(tab.chart.summary.getText()).startsWith("Last 7 days: 2 adds and 1 drop (net +1).")
                .endsWith("This hour so far: 0 adds and 1 drop.");
        assertThat(RunAs.member(user.getEmail(), Role.USER, () -> changes.hourly(premium.id())))
                .as("the service's hourly counts").isEqualTo(moved);

        // a later change in the same hour is counted on the page, without reading the log again
        send("c-3", "premium");
        awaitChanges(4);
        deliverUntil(() -> rows() == 4);
        assertThat(tab.chart.data().adds(HourlyChanges.HOURS - 1)).isEqualTo(1);
        assertThat(RunAs.member(user.getEmail(), Role.USER, () -> changes.hourly(premium.id())))
                .isEqualTo(tab.chart.data());
    }

    @Test
    void read_only_members_see_identity_types_without_values_and_no_lookup_link() throws Exception {
        openChangesAs(members.member(Role.READ_ONLY, workspace));
        assertThat(cell(0, "identities")).isEqualTo("customer_id, email: hidden for your role");
        send("c-2", "premium");
        awaitChanges(2);
        deliverUntil(() -> rows() == 2);
        assertThat(cell(0, "identities")).isEqualTo("customer_id, email: hidden for your role");
        assertThat(GridKt._getCellComponent(tab.grid, 0, "mpid")).isExactlyInstanceOf(Span.class);
        assertThat(((Span) GridKt._getCellComponent(tab.grid, 0, "mpid")).getText())
                .isEqualTo(Long.toString(mpid("c-2")));
    }

    @Test
    void a_member_of_another_workspace_can_neither_subscribe_nor_read_the_changes() {
        Member stranger = members.member(Role.USER, members.workspace("Elsewhere"));
        int before = hub.subscriberCount();
        MembershipChangeListener listener = (rows, adds, drops) -> { };
        RunAs.member(stranger.getEmail(), Role.USER, () -> {
            assertThatThrownBy(() -> changes.subscribe(premium.id(), listener)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> changes.latest(premium.id(), 10)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> changes.hourly(premium.id())).isInstanceOf(NotFoundException.class);
            return null;
        });
        assertThat(hub.subscriberCount()).isEqualTo(before);

        login(stranger);
        navigate("audiences/" + premium.id());
        _assertNone(ChangesTab.class);
    }

    @Test
    void the_subscription_ends_when_the_tab_or_page_closes_and_when_the_members_access_ends() throws Exception {
        int before = hub.subscriberCount();
        openChangesAs(user);
        assertThat(hub.subscriberCount()).isEqualTo(before + 1);
        select("Details");
        assertThat(hub.subscriberCount()).as("another tab chosen").isEqualTo(before);
        select("Changes");
        assertThat(hub.subscriberCount()).isEqualTo(before + 1);
        navigate("audiences");
        assertThat(hub.subscriberCount()).as("another page").isEqualTo(before);
        navigate("audiences/" + premium.id());
        view = _get(AudienceView.class);
        select("Changes");
        tab = _get(ChangesTab.class);
        assertThat(hub.subscriberCount()).isEqualTo(before + 1);

        Workspace other = members.workspace("Other");
        members.asAdmin(() -> team.updateMember(user.getId(), new MemberForm(user.getName(), user.getEmail(),
                Role.USER, false, Set.of(other.id()), null)));
        clock.advance(Duration.ofSeconds(6)); // past the hub's access recheck
        send("c-2", "premium");
        awaitChanges(2);
        deliverUntil(() -> hub.subscriberCount() == before);
        assertThat(hub.subscriberCount()).isEqualTo(before);
        assertThat(_get(tab, Paragraph.class, spec -> spec.withClasses("changes-ended")).getText())
                .isEqualTo(ChangesTab.ACCESS_ENDED + ": you no longer have access to this workspace.");
        assertThat(_find(tab, com.vaadin.flow.component.grid.Grid.class)).as("the rows are gone").isEmpty();
    }

    @Test
    void a_recalculation_of_many_changes_lists_the_newest_fifty_and_counts_the_rest_in_the_chart() throws Exception {
        openChangesAs(user);
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < 3; i++) {
                jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)"
                                + " SELECT ?, seq, IF(seq % 4 = 0, 'REMOVE', 'ADD'), 'CALCULATION', ? FROM seq_1000_to_1039")
                        .params(premium.id(), java.sql.Timestamp.from(now)).update();
            }
            changeCounts.add(premium.id(), java.sql.Timestamp.from(now), 90, 30); // as a calculation counts them
            publisher.publishEvent(new MembershipChanged(premium.id()));
        });
        deliverUntil(() -> rows() > 1);
        assertThat(GridKt._size(tab.grid)).isEqualTo(1 + MembershipChangeHub.MAX_PER_DISPATCH);
        assertThat(tab.status.getText()).endsWith("70 older changes of the last update counted in the chart, "
                + "not listed");
        HourlyChanges chart = tab.chart.data();
        int hour = chart.indexOf(now);
        assertThat(chart.adds(hour) + chart.drops(hour)).isEqualTo(1 + 120);
        assertThat(chart.drops(hour)).isEqualTo(30);
        assertThat(RunAs.member(user.getEmail(), Role.USER, () -> changes.hourly(premium.id()))).isEqualTo(chart);
        List<MembershipChangeRow> newest = RunAs.member(user.getEmail(), Role.USER,
                () -> changes.latest(premium.id(), 5));
        assertThat(newest).hasSize(5);
        assertThat(cell(0, "identities")).as("profiles without identities").isEqualTo("—");
    }
}
