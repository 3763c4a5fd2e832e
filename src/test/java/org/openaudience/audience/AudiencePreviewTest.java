package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.profile.Identity;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "What changes?" before saving an edit: on a small workspace the sample is every profile, so the preview's counts
 * and lists are exactly what the recalculation then adds and removes; on a larger one it is the estimate's sample,
 * scaled; each listed user comes with the criterion that decides them; only members of the workspace may ask, and
 * only those who may look users up see identities.
 */
@IntegrationTest
class AudiencePreviewTest {

    static final Condition PARIS = Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris");

    @Autowired
    AudiencePreview previews;
    @Autowired
    AudienceService audiences;
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
    JdbcClient jdbc;

    TestMembers members;
    Workspace workspace;
    Member user;
    Input input;

    static UserCriterion status(String value) {
        return UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH, value);
    }

    static EventCriterion watched(Condition... conditions) {
        return EventCriterion.event("Play Video", conditions);
    }

    static Definition definition(Node first, Object... connectorsAndNodes) {
        Group group = Group.of(first);
        for (int i = 0; i < connectorsAndNodes.length; i += 2) {
            group = group.then((Connector) connectorsAndNodes[i], (Node) connectorsAndNodes[i + 1]);
        }
        return new Definition(group, Set.of());
    }

    @BeforeEach
    void setUp() {
        clock.reset();
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Preview");
        user = members.member(Role.USER, workspace);
        input = new TestEvents(inputs, ingestion, parser, clock, members).webInput(workspace);
    }

    <T> T as(Member member, Supplier<T> work) {
        return RunAs.member(member.getEmail(), member.getRole(), work);
    }

    <T> T asUser(Supplier<T> work) {
        return as(user, work);
    }

    /** Users with a status and Play Video / Search events, in bulk requests; their MPIDs by customer id. */
    Map<String, Long> send(List<String> batches) {
        List<Long> mpids = new ArrayList<>();
        for (int from = 0; from < batches.size(); from += 100) {
            String bulk = "[" + String.join(",", batches.subList(from, Math.min(batches.size(), from + 100))) + "]";
            mpids.addAll(ingestion.ingest(input, parser.parseBulk(bulk.getBytes(), "web", clock.instant())).mpids());
        }
        Map<String, Long> byCustomer = new LinkedHashMap<>();
        for (int i = 0; i < batches.size(); i++) {
            byCustomer.put(batches.get(i).replaceAll("(?s).*\"customer_id\":\"([^\"]+)\".*", "$1"), mpids.get(i));
        }
        return byCustomer;
    }

    static String batch(String customer, String status, List<String> destinations, int searches) {
        List<String> events = new ArrayList<>();
        destinations.forEach(destination -> events.add("""
                {"event_type":"custom_event","data":{"event_name":"Play Video",
                 "custom_attributes":{"destination":"%s"}}}""".formatted(destination)));
        for (int i = 0; i < searches; i++) {
            events.add("{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Search\"}}");
        }
        return """
                {"user_identities":{"customer_id":"%s","email":"%s@example.com"},
                 "user_attributes":{"status":"%s"},"events":[%s]}"""
                .formatted(customer, customer, status, String.join(",", events));
    }

    Audience activate(String name, Definition definition) throws InterruptedException {
        Audience audience = asUser(() -> audiences.activateAudience(audiences.createAudience(workspace.id(), name,
                null, definition).id()));
        awaitCalculated(audience.id());
        return audience;
    }

    void awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CalculationProgress progress;
        do {
            Thread.sleep(50);
            progress = asUser(() -> audiences.progress(audienceId));
        } while (progress.calculating() && System.nanoTime() < deadline);
        assertThat(progress.calculating()).as("calculated").isFalse();
        assertThat(progress.lastError()).isNull();
    }

    long lastChange(long audienceId) {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM membership_change WHERE audience_id = ?")
                .param(audienceId).query(Long.class).single();
    }

    /** What the recalculation's swap logged after {@code afterId}: MPIDs of one kind, ascending. */
    List<Long> logged(long audienceId, long afterId, String kind) {
        return jdbc.sql("SELECT mpid FROM membership_change WHERE audience_id = ? AND id > ? AND change_type = ?"
                        + " AND cause = 'CALCULATION' ORDER BY mpid")
                .params(audienceId, afterId, kind).query(Long.class).list();
    }

    static List<Long> mpids(List<EditPreview.ChangedUser> users) {
        return users.stream().map(EditPreview.ChangedUser::mpid).toList();
    }

    @Test
    void on_a_small_workspace_the_counts_and_lists_are_what_saving_then_adds_and_removes() throws Exception {
        long seed = Long.getLong("preview.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> statuses = List.of("premium", "free", "trial");
        List<String> destinations = List.of("Paris", "Cannes", "Rome");
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            List<String> watched = new ArrayList<>();
            for (int v = random.nextInt(4); v > 0; v--) {
                watched.add(destinations.get(random.nextInt(destinations.size())));
            }
            batches.add(batch("pv-" + i, statuses.get(random.nextInt(statuses.size())), watched, random.nextInt(3)));
        }
        send(batches);
        EventCriterion atLeastTwice = new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(),
                Frequency.of(Frequency.Comparison.AT_LEAST, 2), null);
        List<Definition> edits = List.of(
                definition(watched(PARIS), Connector.AND, status("premium")),
                definition(atLeastTwice, Connector.EXCLUDE, status("free")),
                new Definition(Group.of(new Group(List.of(new Group.Item(null, EventCriterion.event("Search")),
                        new Group.Item(Connector.OR, watched(Condition.of("destination", DataType.STRING,
                                Operator.EXACT_MATCH, "Cannes"))))))
                        .then(Connector.AND, status("premium")), Set.of()),
                definition(status("trial"), Connector.OR, watched(Condition.of("destination", DataType.STRING,
                        Operator.EXACT_MATCH, "Rome"))),
                definition(watched(PARIS)));
        Audience audience = activate("Paris viewers", definition(watched(PARIS)));

        for (Definition edited : edits) {
            EditPreview preview = asUser(() -> previews.preview(audience.id(), edited));
            long before = lastChange(audience.id());
            asUser(() -> audiences.updateDefinition(audience.id(), edited));
            awaitCalculated(audience.id());
            List<Long> added = logged(audience.id(), before, "ADD");
            List<Long> removed = logged(audience.id(), before, "REMOVE");
            String context = "seed " + seed + " (-Dpreview.seed), edit " + edited;
            assertThat(preview.exact()).as(context).isTrue();
            assertThat(preview.sampled()).isEqualTo(preview.profiles()).isEqualTo(150);
            assertThat(preview.joining()).as(context).isEqualTo(preview.sampleJoining()).isEqualTo(added.size());
            assertThat(preview.leaving()).as(context).isEqualTo(preview.sampleLeaving()).isEqualTo(removed.size());
            assertThat(mpids(preview.joiners())).as(context)
                    .isEqualTo(added.subList(0, Math.min(EditPreview.LISTED, added.size())));
            assertThat(mpids(preview.leavers())).as(context)
                    .isEqualTo(removed.subList(0, Math.min(EditPreview.LISTED, removed.size())));
            assertThat(preview.joiners()).as(context).allSatisfy(joiner -> {
                assertThat(joiner.decision()).isNotNull();
                assertThat(joiner.identities()).extracting(Identity::type).containsExactly("customer_id", "email");
            });
            assertThat(preview.leavers()).as(context).allSatisfy(leaver -> {
                assertThat(leaver.decision()).isNotNull();
                assertThat(leaver.decision().edited()).isTrue();
                assertThat(leaver.decision().keepsOut()).isTrue();
            });
            assertThat(preview.identitiesHidden()).isFalse();
        }
    }

    @Test
    void each_listed_user_comes_with_the_criterion_that_decides_them() throws Exception {
        Map<String, Long> mpid = send(List.of(batch("paris-premium", "premium", List.of("Paris"), 0),
                batch("paris-free", "free", List.of("Paris"), 0),
                batch("rome-premium", "premium", List.of("Rome"), 0),
                batch("paris-trial", "trial", List.of("Paris", "Paris"), 0)));
        Audience viewers = activate("Paris viewers", definition(watched(PARIS)));

        // And premium: the free and trial viewers leave, failing the new criterion 2
        EditPreview premiumOnly = asUser(() -> previews.preview(viewers.id(),
                definition(watched(PARIS), Connector.AND, status("premium"))));
        assertThat(premiumOnly.leaving()).isEqualTo(2);
        assertThat(premiumOnly.joining()).isZero();
        assertThat(mpids(premiumOnly.leavers())).containsExactlyElementsOf(new TreeSet<>(List.of(mpid.get("paris-free"),
                mpid.get("paris-trial"))));
        assertThat(premiumOnly.leavers()).allSatisfy(leaver -> {
            EditPreview.Decision decision = leaver.decision();
            assertThat(decision.edited()).isTrue();
            assertThat(decision.excludes()).isFalse();
            assertThat(decision.verdict().path()).isEqualTo("2");
            assertThat(decision.verdict().criterion()).isEqualTo(status("premium"));
            assertThat(decision.verdict().reason()).isEqualTo("does not match");
        });

        // Exclude free: the free viewer leaves, excluded by criterion 2, which matches them
        EditPreview notFree = asUser(() -> previews.preview(viewers.id(),
                definition(watched(PARIS), Connector.EXCLUDE, status("free"))));
        assertThat(mpids(notFree.leavers())).containsExactly(mpid.get("paris-free"));
        EditPreview.Decision excluded = notFree.leavers().get(0).decision();
        assertThat(excluded.excludes()).isTrue();
        assertThat(excluded.verdict().matches()).isTrue();
        assertThat(excluded.verdict().path()).isEqualTo("2");

        // any destination: the Rome viewer joins, kept out before by the saved criterion 1 (Paris)
        EditPreview anywhere = asUser(() -> previews.preview(viewers.id(), definition(watched())));
        assertThat(anywhere.leaving()).isZero();
        assertThat(mpids(anywhere.joiners())).containsExactly(mpid.get("rome-premium"));
        EditPreview.Decision wasOut = anywhere.joiners().get(0).decision();
        assertThat(wasOut.edited()).isFalse();
        assertThat(wasOut.verdict().path()).isEqualTo("1");
        assertThat(wasOut.verdict().criterion()).isEqualTo(watched(PARIS));
        assertThat(wasOut.verdict().reason()).isEqualTo("0 matching events in the last 30 days, needs > 0");
        assertThat(anywhere.joiners().get(0).identities()).containsExactly(
                new Identity("customer_id", "rome-premium"), new Identity("email", "rome-premium@example.com"));
    }

    @Test
    void read_only_members_get_identity_types_without_values_and_other_workspaces_get_nothing() throws Exception {
        send(List.of(batch("paris", "premium", List.of("Paris"), 0), batch("rome", "premium", List.of("Rome"), 0)));
        Audience viewers = activate("Paris viewers", definition(watched(PARIS)));
        Definition anywhere = definition(watched());

        EditPreview readOnly = as(members.member(Role.READ_ONLY, workspace),
                () -> previews.preview(viewers.id(), anywhere));
        assertThat(readOnly.identitiesHidden()).isTrue();
        assertThat(readOnly.joiners()).singleElement().satisfies(joiner -> assertThat(joiner.identities())
                .containsExactly(new Identity("customer_id", MembershipChangeRow.HIDDEN),
                        new Identity("email", MembershipChangeRow.HIDDEN)));

        Member stranger = members.member(Role.USER, members.workspace("Elsewhere"));
        assertThatThrownBy(() -> as(stranger, () -> previews.preview(viewers.id(), anywhere)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void drafts_inactive_audiences_and_criteria_that_cannot_be_saved_get_a_reason_instead() throws Exception {
        send(List.of(batch("paris", "premium", List.of("Paris"), 0)));
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Draft", null,
                definition(watched(PARIS))));
        assertThatThrownBy(() -> asUser(() -> previews.preview(draft.id(), definition(watched()))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Draft is draft: only an active audience has members that an edit would change.");

        Audience active = activate("Viewers", definition(watched(PARIS)));
        Definition unknownEvent = definition(watched(PARIS), Connector.AND, EventCriterion.event("Never sent"));
        assertThatThrownBy(() -> asUser(() -> previews.preview(active.id(), unknownEvent)))
                .isInstanceOfSatisfying(DefinitionProblemsException.class, refused ->
                        assertThat(refused.problems()).extracting(p -> p.path()).containsExactly("2"));
        assertThatThrownBy(() -> asUser(() -> previews.preview(active.id(), new Definition(new Group(List.of()),
                Set.of())))).isInstanceOf(DefinitionProblemsException.class)
                .hasMessageContaining("Add at least one criterion.");

        asUser(() -> audiences.deactivateAudience(active.id()));
        assertThatThrownBy(() -> asUser(() -> previews.preview(active.id(), definition(watched()))))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("Viewers is inactive");
    }

    @Test
    void a_workspace_larger_than_the_sample_is_compared_on_the_estimates_sample_and_scaled() throws Exception {
        int profiles = 41_000;
        // MPIDs spread evenly over the span; every other profile premium
        jdbc.sql("""
                        INSERT INTO profile (workspace_id, mpid, identities, user_attributes, device_info, platforms,
                            first_seen_at, last_seen_at)
                        SELECT ?, CAST(seq AS SIGNED) * 200000000000000 - 4100000000000000000, '{}',
                            JSON_OBJECT('status', IF(MOD(seq, 2) = 0, 'premium', 'free')), '{}', '{}', NOW(), NOW()
                        FROM seq_1_to_%d""".formatted(profiles)).param(workspace.id()).update();
        Audience premium = activate("Premium", definition(status("premium")));

        EditPreview preview = asUser(() -> previews.preview(premium.id(), definition(status("free"))));
        assertThat(preview.exact()).isFalse();
        assertThat(preview.profiles()).isEqualTo(profiles);
        assertThat(preview.samplePercent()).isEqualTo(AudienceEstimates.SAMPLE_PROFILES * 100 / profiles);
        assertThat((double) preview.sampled()).isCloseTo(profiles * preview.samplePercent() / 100.0, within(2.0));
        assertThat(preview.leaving()).isEqualTo(Math.round((double) preview.sampleLeaving() * profiles
                / preview.sampled()));
        assertThat((double) preview.sampleLeaving()).isCloseTo(preview.sampled() / 2.0, within(1.0));
        assertThat((double) preview.leaving()).isCloseTo(profiles / 2.0, within(profiles * 0.001));
        assertThat((double) preview.joining()).isCloseTo(profiles / 2.0, within(profiles * 0.001));
        assertThat(preview.leavers()).hasSize(EditPreview.LISTED);
        assertThat(preview.leavers()).allSatisfy(leaver -> {
            assertThat(leaver.identities()).isEmpty();
            assertThat(leaver.decision().verdict().criterion()).isEqualTo(status("free"));
        });
        assertThat(preview.joiners()).allSatisfy(joiner -> assertThat(joiner.decision().verdict().criterion())
                .isEqualTo(status("premium")));
    }
}
