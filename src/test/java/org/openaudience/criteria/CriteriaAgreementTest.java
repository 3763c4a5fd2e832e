package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL compiler and the in-memory evaluator agree on every profile for at least 1,000 random definitions over
 * random data — over the whole workspace as the bulk calculation asks, and over a handful of MPIDs (brand-new
 * profiles among them) as real time and the estimate ask. A failure prints the seed (rerun with
 * -Dcriteria.seed=…) and the definition.
 */
@IntegrationTest
class CriteriaAgreementTest {

    static final int DEFINITIONS = 1_000;
    static final int PROFILES = 80;
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;

    @Test
    void sql_and_evaluator_agree_on_every_profile_for_random_definitions() throws Exception {
        int[] shapes = assertAgreement("Criteria", DEFINITIONS, workspaceId -> AttributeColumns.NONE);
        assertThat(shapes[1]).as("queries driven by a union of alternative event criteria").isGreaterThan(10);
    }

    /**
     * The same with every attribute the definitions use held in indexed columns ({@link AttributeColumnSql}), as the
     * keeper makes them: reading the column gives exactly what reading the JSON gives, text rule, types, NULLs and
     * negations included.
     */
    @Test
    void sql_reading_indexed_attribute_columns_agrees_with_the_evaluator() throws Exception {
        Map<AttributeColumns.Column, String> made = new HashMap<>();
        try {
            int n = 0;
            for (String attribute : RandomProfiles.EVENT_ATTRIBUTES) {
                for (AttributeColumns.Kind kind : AttributeColumns.Kind.values()) {
                    made.put(new AttributeColumns.Column(AttributeColumns.Source.EVENT, attribute, kind),
                            "oa_attr_test_" + n++);
                }
            }
            for (String attribute : RandomProfiles.USER_ATTRIBUTES) {
                for (AttributeColumns.Kind kind : AttributeColumns.Kind.values()) {
                    made.put(new AttributeColumns.Column(AttributeColumns.Source.PROFILE, attribute, kind),
                            "oa_attr_test_" + n++);
                }
            }
            made.forEach((column, name) -> {
                jdbc.sql(AttributeColumnSql.addColumn(column, name)).update();
                jdbc.sql(AttributeColumnSql.addIndex(column.source(), name)).update();
            });
            AttributeColumns columns = column -> java.util.Optional.ofNullable(made.get(column));
            int[] shapes = assertAgreement("Indexed criteria", DEFINITIONS / 2, workspaceId -> columns);
            assertThat(shapes[0]).as("queries that read an indexed column").isGreaterThan(DEFINITIONS / 10);
            assertThat(shapes[2]).as("queries that look profile attributes up by MPID").isGreaterThan(DEFINITIONS / 100);
        } finally {
            made.forEach((column, name) -> jdbc.sql(AttributeColumnSql.drop(column.source(), name)).update());
        }
    }

    /**
     * Real time re-evaluates a profile for an audience only when one of its new events could count for one of the
     * audience's event criteria ({@link Evaluator#couldCount}): an event that none of them could count, stored as
     * ingestion stores it, must leave the SQL's verdict on every profile as it was.
     */
    @Test
    void an_event_no_criterion_could_count_leaves_every_sql_verdict_as_it_was() throws Exception {
        long seed = Long.getLong("criteria.seed", System.nanoTime());
        Random random = new Random(seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Relevance");
        List<Long> inputIds = List.of(
                members.asAdmin(() -> inputs.addInput(workspace.id(), "Web", Platform.WEB)).inputId(),
                members.asAdmin(() -> inputs.addInput(workspace.id(), "iOS", Platform.IOS)).inputId());
        RandomProfiles generator = new RandomProfiles(random, now);
        generator.write(jdbc, workspace.id(), inputIds, PROFILES);
        List<Long> mpids = jdbc.sql("SELECT mpid FROM profile WHERE workspace_id = ?").param(workspace.id())
                .query(Long.class).list();
        RandomDefinitions definitions = new RandomDefinitions(random, now, inputIds, List.of());
        int checked = 0;
        for (int i = 0; i < DEFINITIONS / 2; i++) {
            Definition definition = definitions.next();
            List<EventCriterion> criteria = EventRelevanceTest.eventCriteria(definition.root());
            ProfileFacts.EventFact event = EventRelevanceTest.near(random, criteria, generator.event(inputIds.get(
                    random.nextInt(inputIds.size()))));
            if (criteria.stream().anyMatch(criterion -> Evaluator.couldCount(criterion, definition, event, now))) {
                continue;
            }
            CompiledQuery query = SqlCompiler.compile(definition, workspace.id(), new ProfileScope.All(), now);
            Set<Long> before = new TreeSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters())
                    .query(Long.class).list());
            long mpid = mpids.get(random.nextInt(mpids.size()));
            generator.writeEvent(jdbc, workspace.id(), mpid, event);
            Set<Long> after = new TreeSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters())
                    .query(Long.class).list());
            assertThat(after).as("seed %d, definition #%d: %s%nevent of %d: %s", seed, i, definition, mpid, event)
                    .isEqualTo(before);
            checked++;
        }
        assertThat(checked).as("events none of the definition's criteria could count").isGreaterThan(DEFINITIONS / 8);
    }

    /**
     * @return how many compiled queries read an indexed column, how many a union drove, and how many looked profile
     * attributes up by MPID
     */
    private int[] assertAgreement(String workspaceName, int count,
                                java.util.function.LongFunction<AttributeColumns> columnsOf) throws Exception {
        long seed = Long.getLong("criteria.seed", System.nanoTime());
        Random random = new Random(seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace(workspaceName);
        List<Long> inputIds = List.of(
                members.asAdmin(() -> inputs.addInput(workspace.id(), "Web", Platform.WEB)).inputId(),
                members.asAdmin(() -> inputs.addInput(workspace.id(), "iOS", Platform.IOS)).inputId());
        new RandomProfiles(random, now).write(jdbc, workspace.id(), inputIds, PROFILES);
        List<Long> audienceIds = List.of(randomAudience(workspace.id(), random, "A"),
                randomAudience(workspace.id(), random, "B"));
        List<ProfileFacts> profiles = load(workspace.id());
        AttributeColumns columns = columnsOf.apply(workspace.id());

        RandomDefinitions definitions = new RandomDefinitions(random, now, inputIds, audienceIds);
        int nonTrivial = 0;
        int indexed = 0;
        int unions = 0;
        int lookups = 0;
        for (int i = 0; i < count; i++) {
            Definition definition = i % 5 == 0 ? definitions.nextWithAlternatives()
                    : i % 5 == 2 ? definitions.nextWithOneValueUserTests() : definitions.next();
            CompiledQuery query = SqlCompiler.compile(definition, workspace.id(), new ProfileScope.All(), now,
                    columns);
            indexed += query.sql().contains("oa_attr_") ? 1 : 0;
            unions += query.sql().contains(" UNION ") ? 1 : 0;
            lookups += query.sql().contains(" LEFT JOIN profile a") ? 1 : 0;
            Set<Long> bySql = new TreeSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters())
                    .query(Long.class).list());
            Set<Long> byEvaluator = profiles.stream()
                    .filter(profile -> Evaluator.evaluate(definition, profile, now).matches())
                    .map(ProfileFacts::mpid).collect(Collectors.toCollection(TreeSet::new));
            if (!bySql.equals(byEvaluator)) {
                assertThat(bySql).as("seed %d, definition #%d: %s%nSQL: %s%nparameters: %s%ndisagreeing criteria: %s",
                        seed, i, definition, query.sql(), query.parameters(),
                        disagreements(definition.root(), definition, workspace.id(), profiles, now))
                        .isEqualTo(byEvaluator);
            }
            if (!bySql.isEmpty() && bySql.size() < profiles.size()) {
                nonTrivial++;
            }
            if (i % 4 == 0) {
                // real time re-evaluates the profiles a batch touched, by MPID
                List<Long> touched = profiles.stream().map(ProfileFacts::mpid).filter(m -> random.nextInt(8) == 0)
                        .toList();
                CompiledQuery some = SqlCompiler.compile(definition, workspace.id(), new ProfileScope.Profiles(
                        touched), now, columns);
                assertThat(new TreeSet<>(jdbc.sql(some.statement(some.sql())).params(some.parameters())
                        .query(Long.class).list()))
                        .as("seed %d, definition #%d over MPIDs %s: %s", seed, i, touched, definition)
                        .isEqualTo(byEvaluator.stream().filter(touched::contains)
                                .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        // guards against a generator that only produces empty or full audiences
        assertThat(nonTrivial).as("definitions selecting some but not all profiles (seed %d)", seed)
                .isGreaterThan(count / 5);
        return new int[] {indexed, unions, lookups};
    }

    @Test
    void bucket_scopes_partition_the_workspace() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Buckets");
        long input = members.asAdmin(() -> inputs.addInput(workspace.id(), "Web", Platform.WEB)).inputId();
        new RandomProfiles(new Random(7), now).write(jdbc, workspace.id(), List.of(input), 40);
        Definition everyone = Definition.of(new UserCriterion(UserField.FIRST_SEEN,
                Condition.of("first_seen", DataType.DATE, Operator.EXISTS)));
        List<Long> all = run(everyone, workspace.id(), new ProfileScope.All(), now);
        long min = all.stream().min(Long::compare).orElseThrow();
        long max = all.stream().max(Long::compare).orElseThrow();
        List<Long> union = new ArrayList<>();
        for (ProfileScope.MpidRange bucket : ProfileScope.MpidRange.split(min, max, 8)) {
            List<Long> inBucket = run(everyone, workspace.id(), bucket, now);
            assertThat(inBucket).allMatch(mpid -> mpid >= bucket.from() && mpid <= bucket.to());
            union.addAll(inBucket);
        }
        assertThat(union).hasSize(40).containsExactlyInAnyOrderElementsOf(all);
        assertThat(run(everyone, workspace.id(), new ProfileScope.Profiles(all.subList(0, 5)), now)).hasSize(5);
        assertThat(run(everyone, workspace.id(), ProfileScope.MpidRange.sample(min, max, 100), now))
                .containsExactlyInAnyOrderElementsOf(all);
        ProfileScope.MpidRange half = ProfileScope.MpidRange.sample(min, max, 50);
        List<Long> sampled = run(everyone, workspace.id(), half, now);
        assertThat(sampled).isNotEmpty().hasSizeLessThan(40)
                .containsExactlyInAnyOrderElementsOf(all.stream().filter(m -> m <= half.to()).toList());
    }

    @Test
    void mpid_ranges_cover_the_whole_signed_span_without_gaps() {
        List<ProfileScope.MpidRange> ranges = ProfileScope.MpidRange.split(Long.MIN_VALUE, Long.MAX_VALUE, 64);
        assertThat(ranges.get(0).from()).isEqualTo(Long.MIN_VALUE);
        assertThat(ranges.get(63).to()).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to() + 1);
        }
        assertThat(ProfileScope.MpidRange.sample(Long.MIN_VALUE, Long.MAX_VALUE, 50).to()).isBetween(-10L, 10L);
        assertThat(ProfileScope.MpidRange.split(5, 5, 4)).last().isEqualTo(new ProfileScope.MpidRange(5, 5));
    }

    /** The single criteria (anywhere in the tree) on which SQL and evaluator disagree, with one profile each. */
    private List<String> disagreements(Group group, Definition definition, long workspaceId,
                                       List<ProfileFacts> profiles, Instant now) {
        List<String> found = new ArrayList<>();
        for (Group.Item item : group.items()) {
            if (item.node() instanceof Group inner) {
                found.addAll(disagreements(inner, definition, workspaceId, profiles, now));
                continue;
            }
            Definition single = new Definition(Group.of(item.node()), definition.inputIds());
            Set<Long> sql = new TreeSet<>(run(single, workspaceId, new ProfileScope.All(), now));
            for (ProfileFacts profile : profiles) {
                boolean evaluator = Evaluator.evaluate(single, profile, now).matches();
                if (evaluator != sql.contains(profile.mpid())) {
                    Object facts = item.node() instanceof EventCriterion event ? profile.events().stream()
                            .filter(e -> e.eventType().equals(event.kind().eventType())
                                    && TextRule.equal(e.eventKey(), event.eventKey())).toList() : profile;
                    found.add(item.node() + " -> SQL " + !evaluator + ", evaluator " + evaluator + " for MPID "
                            + profile.mpid() + ": " + facts);
                    break;
                }
            }
        }
        return found;
    }

    /** An audience whose complete membership (generation 2, beside a stale generation 1) is a random half. */
    private long randomAudience(long workspaceId, Random random, String name) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO audience (workspace_id, name, external_name, status, definition_json,
                            definition_version, created_by, created_at, updated_by, updated_at)
                        VALUES (?, ?, ?, 'INACTIVE', '{}', 1, 'test', NOW(), 'test', NOW())""")
                .params(workspaceId, name, name).update(keys);
        long id = keys.getKey().longValue();
        for (int generation = 1; generation <= 2; generation++) {
            jdbc.sql("""
                            INSERT INTO calculation_run (audience_id, generation, definition_version, definition_json,
                                workspace_id, status, buckets_total, buckets_done, size, calculated_at, started_at)
                            VALUES (?, ?, 1, '{}', ?, 'DONE', 1, 1, 0, NOW(), NOW())""")
                    .params(id, generation, workspaceId).update();
            for (long mpid : jdbc.sql("SELECT mpid FROM profile WHERE workspace_id = ?").param(workspaceId)
                    .query(Long.class).list()) {
                if (random.nextBoolean()) {
                    jdbc.sql("INSERT INTO audience_member (audience_id, generation, mpid) VALUES (?, ?, ?)")
                            .params(id, generation, mpid).update();
                }
            }
        }
        return id;
    }

    private List<Long> run(Definition definition, long workspaceId, ProfileScope scope, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, scope, now);
        return jdbc.sql(query.statement(query.sql())).params(query.parameters()).query(Long.class).list();
    }

    private List<ProfileFacts> load(long workspaceId) throws Exception {
        Map<Long, List<ProfileFacts.EventFact>> events = new HashMap<>();
        for (Map<String, Object> row : jdbc.sql("SELECT * FROM event WHERE workspace_id = ?").param(workspaceId)
                .query().listOfRows()) {
            events.computeIfAbsent((Long) row.get("mpid"), m -> new ArrayList<>()).add(new ProfileFacts.EventFact(
                    (String) row.get("event_type"), (String) row.get("event_key"),
                    (String) row.get("custom_event_type"), (Long) row.get("input_id"),
                    instant(row.get("event_time")), JSON.readTree((String) row.get("attributes"))));
        }
        List<ProfileFacts> profiles = new ArrayList<>();
        for (Map<String, Object> row : jdbc.sql("SELECT * FROM profile WHERE workspace_id = ?").param(workspaceId)
                .query().listOfRows()) {
            long mpid = (Long) row.get("mpid");
            profiles.add(new ProfileFacts(mpid, tree(row.get("user_attributes")), tree(row.get("identities")),
                    tree(row.get("device_info")), tree(row.get("platforms")), (String) row.get("country"),
                    (String) row.get("region"), (String) row.get("city"), instant(row.get("first_seen_at")),
                    instant(row.get("last_seen_at")), events.getOrDefault(mpid, List.of()))
                    .withAudiences(new HashSet<>(jdbc.sql("""
                            SELECT m.audience_id FROM audience_member m WHERE m.mpid = ? AND m.generation = 2""")
                            .param(mpid).query(Long.class).list())));
        }
        return profiles;
    }

    private static JsonNode tree(Object json) throws Exception {
        return JSON.readTree((String) json);
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return ((java.time.LocalDateTime) value).toInstant(java.time.ZoneOffset.UTC);
    }
}
