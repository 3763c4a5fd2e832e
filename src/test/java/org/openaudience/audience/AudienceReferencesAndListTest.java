package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.MembershipCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** Audience membership criteria between audiences, tags and the filtered list. */
@IntegrationTest
class AudienceReferencesAndListTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceDetails details;
    @Autowired
    org.openaudience.audience.AudienceMembers members;
    @Autowired
    AudienceList list;
    @Autowired
    CalculationEngine engine;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Workspace workspace;
    Member user;
    Set<Long> parisPremium = new HashSet<>();
    Set<Long> parisFree = new HashSet<>();

    @BeforeEach
    void setUp() {
        clock.reset();
        TestMembers members = new TestMembers(team, workspaces);
        workspace = members.workspace("Refs");
        user = members.member(Role.USER, workspace);
        Input input = new TestEvents(inputs, ingestion, parser, clock, members).webInput(workspace);
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            bulk.append(i == 0 ? "" : ",").append("""
                    {"user_identities":{"customer_id":"ref-%d"},"user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"destination":"%s"}}}]}"""
                    .formatted(i, i % 2 == 0 ? "Premium" : "Free", i % 4 < 2 ? "Paris" : "Rome"));
        }
        List<Long> mpids = ingestion.ingest(input, parser.parseBulk(bulk.append("]").toString().getBytes(), "web",
                clock.instant())).mpids();
        for (int i = 0; i < mpids.size(); i++) {
            if (i % 4 == 0) {
                parisPremium.add(mpids.get(i));
            } else if (i % 4 == 1) {
                parisFree.add(mpids.get(i));
            }
        }
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    static Definition parisViewers() {
        return Definition.of(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "paris")));
    }

    static Definition in(long audienceId, boolean member) {
        return new Definition(Group.of(new MembershipCriterion(audienceId, member))
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXISTS)), null);
    }

    long activateAndWait(String name, Definition definition) throws InterruptedException {
        Audience audience = asUser(() -> audiences.activateAudience(
                audiences.createAudience(workspace.id(), name, null, definition).id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.progress(audience.id()).calculating() || engine.progress(audience.id()).bucketsTotal() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        return audience.id();
    }

    @Test
    void membership_criteria_select_users_in_or_not_in_another_audience_and_explain_it() throws Exception {
        long paris = activateAndWait("Paris viewers", parisViewers());
        Definition premiumParis = new Definition(Group.of(new MembershipCriterion(paris, true))
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")), null);
        long inParis = activateAndWait("Premium Paris", premiumParis);
        long notInParis = activateAndWait("Not Paris", in(paris, false));

        assertThat(new HashSet<>(engine.members(inParis, 0, 100))).isEqualTo(parisPremium);
        assertThat(engine.progress(notInParis).size()).isEqualTo(20);
        long someone = parisFree.iterator().next();
        var verdict = asUser(() -> members.explain(inParis, someone)).orElseThrow();
        assertThat(verdict.matches()).isFalse();
        assertThat(verdict.criteria().get(0).matches()).isTrue();
        assertThat(verdict.criteria().get(0).reason()).isEqualTo("is a member of audience " + paris);
        assertThat(verdict.criteria().get(1).matches()).isFalse();
    }

    @Test
    void an_audience_in_use_cannot_be_deleted_nor_gain_membership_criteria_so_no_cycles() throws Exception {
        long paris = activateAndWait("Paris viewers", parisViewers());
        long user1 = activateAndWait("Uses Paris", in(paris, true));
        asUser(() -> audiences.createAudience(workspace.id(), "Also uses Paris", null, in(paris, false)));

        assertThatThrownBy(() -> asUser(() -> {
            audiences.deleteAudience(paris);
            return null;
        })).isInstanceOf(InvalidRequestException.class).hasMessage("\"Paris viewers\" is used in the Audience "
                + "membership criteria of \"Also uses Paris\", \"Uses Paris\"; remove those criteria first.");
        assertThat(asUser(() -> audiences.audience(paris))).isNotNull();

        assertThatThrownBy(() -> asUser(() -> audiences.updateDefinition(paris, in(user1, true))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("has audience membership criteria itself")
                .hasMessageContaining("This audience is used in the Audience membership criteria of");
        assertThat(asUser(() -> audiences.audience(paris)).definition()).isEqualTo(parisViewers());

        Audience self = asUser(() -> audiences.createAudience(workspace.id(), "Self", null, parisViewers()));
        asUser(() -> audiences.updateDefinition(self.id(), in(self.id(), true)));
        assertThatThrownBy(() -> asUser(() -> audiences.activateAudience(self.id())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("\"Self\" has audience membership");
    }

    @Autowired
    AudienceEstimates estimates;

    @Test
    void membership_criteria_on_another_workspaces_audience_are_refused_when_saved_or_estimated() {
        TestMembers members = new TestMembers(team, workspaces);
        Workspace other = members.workspace("OtherRefs");
        long foreign = members.asAdmin(() -> audiences.createAudience(other.id(), "Theirs", null,
                parisViewers())).id();
        Definition onForeign = in(foreign, true);
        assertThatThrownBy(() -> asUser(() -> audiences.createAudience(workspace.id(), "Sneaky", null, onForeign)))
                .isInstanceOf(org.openaudience.base.InvalidRequestException.class)
                .hasMessageContaining("not in this workspace");
        long draft = asUser(() -> audiences.createAudience(workspace.id(), "Draft", null, parisViewers())).id();
        assertThatThrownBy(() -> asUser(() -> audiences.updateDefinition(draft, onForeign)))
                .hasMessageContaining("not in this workspace");
        assertThatThrownBy(() -> asUser(() -> estimates.estimate(workspace.id(), onForeign)))
                .hasMessageContaining("not in this workspace");
        assertThat(asUser(() -> audiences.audience(draft)).definition()).isEqualTo(parisViewers());
    }

    @Test
    void a_definition_beyond_the_size_limits_is_refused_also_as_a_draft_and_nothing_is_stored() {
        org.openaudience.criteria.Group many = org.openaudience.criteria.Group.of(EventCriterion.event("Play Video"));
        for (int i = 1; i <= org.openaudience.criteria.DefinitionLimits.MAX_CRITERIA; i++) {
            many = many.then(org.openaudience.criteria.Connector.OR, EventCriterion.event("Play Video"));
        }
        Definition tooBig = new Definition(many, null);
        long before = jdbc.sql("SELECT COUNT(*) FROM audience").query(Long.class).single();
        assertThatThrownBy(() -> asUser(() -> audiences.createAudience(workspace.id(), "Huge", null, tooBig)))
                .isInstanceOf(org.openaudience.base.InvalidRequestException.class)
                .hasMessageContaining("At most 50 criteria per audience; this one has 51.");
        long draft = asUser(() -> audiences.createAudience(workspace.id(), "Small", null, parisViewers())).id();
        assertThatThrownBy(() -> asUser(() -> audiences.updateDefinition(draft, tooBig)))
                .hasMessageContaining("At most 50 criteria");
        assertThat(asUser(() -> audiences.audience(draft)).definition()).isEqualTo(parisViewers());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audience").query(Long.class).single()).isEqualTo(before + 1);
    }

    @Autowired
    MemberExports exports;

    @Test
    void a_finished_export_is_deleted_a_day_later_without_waiting_for_the_next_export() throws Exception {
        long paris = activateAndWait("Paris viewers", parisViewers());
        MemberExport started = asUser(() -> exports.start(paris, Set.of("customer_id"), change -> { }));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!asUser(() -> exports.export(started.id())).ready() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        java.nio.file.Path file = asUser(() -> exports.export(started.id())).file();
        assertThat(file).exists();
        exports.removeOld();
        assertThat(file).as("kept for a day").exists();
        clock.advance(MemberExports.KEPT.plusMinutes(1));
        exports.removeOld();
        assertThat(file).doesNotExist();
    }

    @Test
    void the_list_filters_by_name_status_and_all_tags_and_shows_size_and_adds() throws Exception {
        long paris = activateAndWait("Paris viewers", parisViewers());
        asUser(() -> details.updateDetails(paris, "Paris viewers", null, "Video fans", Set.of("video", "q4")));
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Rome draft", null, parisViewers()));
        asUser(() -> details.updateDetails(draft.id(), "Rome draft", "Rome", "", Set.of("video")));

        assertThat(asUser(() -> list.count(workspace.id(), AudienceFilter.ALL))).isEqualTo(2);
        List<AudienceSummary> video = asUser(() -> list.page(workspace.id(),
                new AudienceFilter(null, null, Set.of("video")), 0, 10));
        assertThat(video).extracting(row -> row.audience().name()).containsExactly("Paris viewers", "Rome draft");
        AudienceSummary first = video.get(0);
        assertThat(first.progress().size()).isEqualTo(20);
        assertThat(first.adds()).isEqualTo(20);
        assertThat(first.volatilityPercent()).isEqualTo(100.0);
        assertThat(first.audience().tagNames()).containsExactly("q4", "video");
        assertThat(first.audience().description()).isEqualTo("Video fans");
        assertThat(asUser(() -> list.page(workspace.id(), new AudienceFilter("PARIS", null, Set.of()), 0, 10)))
                .extracting(row -> row.audience().id()).containsExactly(paris);
        assertThat(asUser(() -> list.page(workspace.id(), new AudienceFilter(null, AudienceStatus.DRAFT,
                Set.of("video", "q4")), 0, 10))).isEmpty();
        assertThat(asUser(() -> list.tags(workspace.id()))).containsExactly("q4", "video");
        assertThat(asUser(() -> audiences.cloneAudience(paris)).tagNames()).containsExactly("q4", "video");

        assertThatThrownBy(() -> asUser(() -> details.updateDetails(paris, "Paris viewers", null, null,
                Set.of("a tag far too long for it"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer than 18 characters");
    }

    @Test
    void the_list_orders_names_as_people_read_them_the_same_within_and_across_pages() {
        for (String name : List.of("Variant 10", "variant 2", "Zebra", "apple", "Éclair", "Banana", "Variant 1")) {
            asUser(() -> audiences.createAudience(workspace.id(), name, null, parisViewers()));
        }
        List<String> pages = new java.util.ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            int from = offset;
            asUser(() -> list.page(workspace.id(), AudienceFilter.ALL, from, 3))
                    .forEach(row -> pages.add(row.audience().name()));
        }
        List<String> expected = List.of("apple", "Banana", "Éclair", "Variant 1", "variant 2", "Variant 10", "Zebra");
        assertThat(pages).containsExactlyElementsOf(expected);
        assertThat(asUser(() -> list.choices(workspace.id(), 10))).extracting(Audience::name)
                .containsExactlyElementsOf(expected);
    }
}
