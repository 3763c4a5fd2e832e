package org.openaudience.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.AttributeColumnSql;
import org.openaudience.criteria.AttributeColumns;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Window;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
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
 * Attribute indexes follow what active audiences need: activating one builds the typed columns and indexes of the
 * attributes it filters on, calculations then read them (and find the same members), and once no active audience
 * needs one for the grace period it is dropped. Attribute names are unique per test, as the indexes are shared by
 * every workspace of the run's database.
 */
@IntegrationTest
class AttributeIndexKeeperTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    AttributeIndexes indexes;
    @Autowired
    IndexKeeper keeper;
    @Autowired
    CalculationEngine engine;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
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

    @Test
    void an_active_audience_gets_indexes_for_its_attributes_and_calculates_the_same_members_from_them() {
        String seat = "seat_" + TestMembers.unique();
        String tier = "tier_" + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Indexes");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input web = events.webInput(workspace);
        // the text rule: case differs only; accents and trailing spaces make other values
        String[][] users = {{"u1", "Window", "Gold"}, {"u2", "WINDOW", "gold"}, {"u3", "Wíndow", "Gold"},
            {"u4", "window ", "GOLD"}, {"u5", "window", "silver"}, {"u6", "aisle", "Gold"}};
        for (String[] user : users) {
            events.send(web, """
                    {"user_identities":{"customer_id":"%s"},"user_attributes":{"%s":"%s"},"events":[
                     {"event_type":"custom_event","data":{"event_name":"Board","custom_event_type":"other",
                      "custom_attributes":{"%s":"%s","legroom":"%d"}}}]}"""
                    .formatted(user[0] + seat, tier, user[2], seat, user[1], user[0].charAt(1) * 10));
        }
        Definition definition = Definition.of(Group.of(new EventCriterion(EventKind.EVENT, "board", null,
                        List.of(Condition.of(seat, DataType.STRING, Operator.EXACT_MATCH, "window"),
                                Condition.of("legroom", DataType.NUMBER, Operator.GREATER_THAN, "495")), null,
                        new Window.LastDays(30)))
                .then(Connector.AND, UserCriterion.attribute(tier, DataType.STRING, Operator.EXACT_MATCH, "GOLD")));
        Audience audience = members.asAdmin(() -> audiences.createAudience(workspace.id(), "Window seats", null,
                definition));
        members.asAdmin(() -> audiences.activateAudience(audience.id()));
        await(members, audience.id());
        Set<Long> fromJson = memberIds(audience.id());

        keeper.reconcile();
        AttributeColumns.Column seatColumn = new AttributeColumns.Column(AttributeColumns.Source.EVENT, seat,
                AttributeColumns.Kind.TEXT);
        AttributeColumns.Column tierColumn = new AttributeColumns.Column(AttributeColumns.Source.PROFILE, tier,
                AttributeColumns.Kind.TEXT);
        AttributeColumns.Column legroomColumn = new AttributeColumns.Column(AttributeColumns.Source.EVENT, "legroom",
                AttributeColumns.Kind.NUMBER);
        for (AttributeColumns.Column column : List.of(seatColumn, tierColumn, legroomColumn)) {
            assertThat(indexes.columns().ready(column)).as("ready column for %s", column).isPresent();
            assertThat(status(column)).isEqualTo("READY");
        }
        assertThat(indexes.building(Set.of(seatColumn, tierColumn))).isEmpty();

        CompiledQuery bucket = SqlCompiler.compile(definition, workspace.id(), new ProfileScope.MpidRange(
                Long.MIN_VALUE, Long.MAX_VALUE), clock.instant(), indexes.columns());
        assertThat(bucket.sql()).contains(indexes.columns().ready(seatColumn).orElseThrow())
                .contains(indexes.columns().ready(tierColumn).orElseThrow()).doesNotContain("user_attributes");
        String plan = explain(bucket);
        assertThat(plan).contains("ix_oa_attr_");
        // the events drive; the tier is one index entry per MPID, and no profile row is read
        String tierIndex = AttributeColumns.indexOf(indexes.columns().ready(tierColumn).orElseThrow());
        assertThat(bucket.sql()).doesNotContain("profile p ");
        assertThat(plan.lines().filter(row -> row.contains("key=" + tierIndex + ",")).toList())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("type=eq_ref");

        members.asAdmin(() -> audiences.updateDefinition(audience.id(), definition));
        await(members, audience.id());
        assertThat(memberIds(audience.id())).isEqualTo(fromJson).hasSize(1);
    }

    @Test
    void an_index_no_active_audience_needs_is_dropped_after_the_grace_period_and_its_column_with_it() {
        String gate = "gate_" + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Index drop");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        events.send(events.webInput(workspace), """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Board","custom_event_type":"other","custom_attributes":{"%s":"A12"}}}]}"""
                .formatted(gate, gate));
        Audience audience = members.asAdmin(() -> audiences.createAudience(workspace.id(), "Gate A", null,
                Definition.of(new EventCriterion(EventKind.EVENT, "Board", null,
                        List.of(Condition.of(gate, DataType.STRING, Operator.STARTS_WITH, "A")), null,
                        new Window.LastDays(7)))));
        members.asAdmin(() -> audiences.activateAudience(audience.id()));
        await(members, audience.id());
        keeper.reconcile();
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.EVENT, gate,
                AttributeColumns.Kind.TEXT);
        String name = indexes.columns().ready(column).orElseThrow();
        assertThat(columnExists(name)).isTrue();

        members.asAdmin(() -> audiences.deactivateAudience(audience.id()));
        keeper.reconcile();
        assertThat(indexes.columns().ready(column)).as("kept during the grace period").isPresent();
        clock.advance(Duration.ofHours(2));
        try {
            keeper.reconcile();
        } finally {
            clock.reset();
        }
        assertThat(indexes.columns().ready(column)).isEmpty();
        assertThat(status(column)).isNull();
        assertThat(columnExists(name)).isFalse();
    }

    @Test
    void index_ddl_waits_for_steps_on_two_connections_and_new_steps_take_one_while_it_waits() throws Exception {
        assertThat(indexes.trySecondConnection()).as("nothing changes the schema").isTrue();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        Thread ddl = new Thread(() -> {
            try {
                indexes.changeSchema(ran::countDown);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ddl.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!indexes.schemaChangeWaiting() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(indexes.schemaChangeWaiting()).as("the DDL waits for the step on two connections").isTrue();
            assertThat(ran.getCount()).isEqualTo(1);
            java.util.concurrent.CompletableFuture<Boolean> another = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        boolean taken = indexes.trySecondConnection();
                        if (taken) {
                            indexes.endSecondConnection(); // on its own thread, so a failure cannot block the DDL
                        }
                        return taken;
                    });
            assertThat(another.get()).as("a new step takes one connection while DDL waits").isFalse();
        } finally {
            indexes.endSecondConnection();
        }
        assertThat(ran.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the DDL ran once the step ended").isTrue();
        ddl.join(5_000);
        assertThat(indexes.trySecondConnection()).as("two connections again").isTrue();
        indexes.endSecondConnection();
    }

    @Test
    void an_index_build_is_timed_from_its_ddl_not_from_its_wait_for_steps_on_two_connections() throws Exception {
        String seat = "gated_" + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Gated build");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        events.send(events.webInput(workspace), """
                {"user_identities":{"customer_id":"gated"},"events":[{"event_type":"custom_event","data":{
                 "event_name":"Board","custom_event_type":"other","custom_attributes":{"%s":"Window"}}}]}"""
                .formatted(seat));
        Audience audience = members.asAdmin(() -> audiences.createAudience(workspace.id(), "Gated", null,
                Definition.of(EventCriterion.event("Board", Condition.of(seat, DataType.STRING,
                        Operator.EXACT_MATCH, "window")))));
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.EVENT, seat,
                AttributeColumns.Kind.TEXT);
        java.util.concurrent.CompletableFuture<Void> activation;
        assertThat(indexes.trySecondConnection()).as("a step on two connections").isTrue();
        try {
            activation = java.util.concurrent.CompletableFuture.runAsync(() -> members.asAdmin(() -> {
                audiences.activateAudience(audience.id());
                return null;
            }));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!indexes.schemaChangeWaiting() && System.nanoTime() < deadline) {
                if (activation.isDone()) {
                    activation.get(); // its failure, if any
                }
                Thread.sleep(5);
            }
            assertThat(indexes.schemaChangeWaiting()).as("the build waits for the step").isTrue();
            Thread.sleep(1_500);
        } finally {
            indexes.endSecondConnection();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"READY".equals(status(column)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        activation.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(status(column)).isEqualTo("READY");
        assertThat(jdbc.sql("SELECT build_millis FROM attribute_index WHERE attribute = ?").param(seat)
                .query(Long.class).single()).as("the 1.5 s wait is not the build's").isLessThan(1_500);
    }

    @Test
    void a_registered_index_not_built_yet_is_reported_as_waiting() {
        String attribute = "pending_" + TestMembers.unique();
        jdbc.sql("INSERT INTO attribute_index (source, attribute, value_kind, status, created_at, status_changed_at)"
                + " VALUES ('EVENT', ?, 'TEXT', 'BUILDING', NOW(3), NOW(3))").param(attribute).update();
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.EVENT, attribute,
                AttributeColumns.Kind.TEXT);
        try {
            assertThat(indexes.building(Set.of(column))).containsExactly(new IndexBuild(column, null));
            assertThat(indexes.building(Set.of(column)).get(0).describe()).isEqualTo(attribute
                    + " (event attribute) waiting");
            assertThat(indexes.columns().ready(column)).isEmpty();
        } finally {
            jdbc.sql("DELETE FROM attribute_index WHERE attribute = ?").param(attribute).update();
        }
    }

    @Test
    void values_longer_than_the_column_are_compared_in_full() {
        String note = "note_" + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Long values");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input web = events.webInput(workspace);
        String prefix = "x".repeat(AttributeColumns.TEXT_LENGTH - 1);
        Map<String, String> values = Map.of("short", prefix, "long", prefix + "yz", "exact", prefix + "y");
        values.forEach((user, value) -> events.send(web, """
                {"user_identities":{"customer_id":"%s-%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Note","custom_event_type":"other","custom_attributes":{"%s":"%s"}}}]}"""
                .formatted(user, note, note, value)));
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.EVENT, note,
                AttributeColumns.Kind.TEXT);
        try (TestColumn ready = testColumn(column)) {
            AttributeColumns columns = ready.columns();
            for (Operator op : List.of(Operator.EXACT_MATCH, Operator.DOES_NOT_MATCH, Operator.STARTS_WITH,
                    Operator.ENDS_WITH, Operator.CONTAINS)) {
                for (String value : List.of(prefix, prefix + "Y", prefix + "yZ", prefix.toUpperCase() + "y", "y")) {
                    Definition definition = Definition.of(new EventCriterion(EventKind.EVENT, "Note", null,
                            List.of(Condition.of(note, DataType.STRING, op, value)), null, new Window.LastDays(1)));
                    assertThat(run(definition, workspace.id(), columns)).as("%s %s", op, value)
                            .isEqualTo(run(definition, workspace.id(), AttributeColumns.NONE));
                }
            }
        }
    }

    @Test
    void an_attribute_name_with_quotes_backslashes_and_sql_in_it_becomes_a_column_that_reads_just_that_attribute() {
        String name = "it's \"odd\" \\ name'); DROP TABLE event; -- " + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Odd names");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input web = events.webInput(workspace);
        String jsonName = name.replace("\\", "\\\\").replace("\"", "\\\"");
        events.send(web, """
                {"user_identities":{"customer_id":"odd-1"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Note","custom_event_type":"other","custom_attributes":{"%s":"Yes"}}}]}"""
                .formatted(jsonName));
        events.send(web, """
                {"user_identities":{"customer_id":"odd-2"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Note","custom_event_type":"other","custom_attributes":{"it's":"Yes"}}}]}""");
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.EVENT, name,
                AttributeColumns.Kind.TEXT);
        try (TestColumn ready = testColumn(column)) {
            AttributeColumns columns = ready.columns();
            Definition definition = Definition.of(new EventCriterion(EventKind.EVENT, "Note", null,
                    List.of(Condition.of(name, DataType.STRING, Operator.EXACT_MATCH, "yes")), null,
                    new Window.LastDays(1)));
            Set<Long> fromColumn = run(definition, workspace.id(), columns);
            assertThat(fromColumn).hasSize(1).isEqualTo(run(definition, workspace.id(), AttributeColumns.NONE));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM event WHERE workspace_id = ?").param(workspace.id())
                    .query(Long.class).single()).as("the events are all still there").isEqualTo(2);
        }
    }

    @Test
    void a_user_attribute_looked_up_per_mpid_reads_its_own_workspace_only_and_the_full_value_past_the_column() {
        String tier = "tier_" + TestMembers.unique();
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Lookups");
        Workspace other = members.workspace("Lookups elsewhere");
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input web = events.webInput(workspace);
        String longest = "Ä".repeat(AttributeColumns.TEXT_LENGTH);
        String[][] users = {{"silver", "Silver"}, {"long", longest + "x"}, {"gold", " Gold"}};
        for (String[] user : users) {
            events.send(web, """
                    {"user_identities":{"customer_id":"%s-%s"},"user_attributes":{"%s":"%s"},"events":[
                     {"event_type":"custom_event","data":{"event_name":"Board","custom_event_type":"other"}}]}"""
                    .formatted(user[0], tier, tier, user[1]));
        }
        long silver = mpidOf(workspace, "silver-" + tier);
        long longValue = mpidOf(workspace, "long-" + tier);
        long spacedGold = mpidOf(workspace, "gold-" + tier);
        // the same MPID in another workspace, Gold there: a lookup that forgot the workspace would find it
        jdbc.sql("INSERT INTO profile (workspace_id, mpid, identities, user_attributes, device_info, platforms,"
                        + " first_seen_at, last_seen_at) VALUES (?, ?, '{}', JSON_OBJECT(?, 'gold'), '{}', '{}', NOW(3), NOW(3))")
                .params(other.id(), silver, tier).update();
        AttributeColumns.Column column = new AttributeColumns.Column(AttributeColumns.Source.PROFILE, tier,
                AttributeColumns.Kind.TEXT);
        try (TestColumn ready = testColumn(column)) {
            AttributeColumns columns = ready.columns();
            Map<String, Set<Long>> expected = Map.of("gold", Set.of(), " Gold", Set.of(spacedGold),
                    "silver", Set.of(silver), longest, Set.of(), longest.toLowerCase() + "X", Set.of(longValue));
            expected.forEach((value, matching) -> {
                for (Connector connector : List.of(Connector.AND, Connector.EXCLUDE)) {
                    Definition definition = Definition.of(Group.of(new EventCriterion(EventKind.EVENT, "board", null,
                            List.of(), null, new Window.LastDays(1))).then(connector,
                            UserCriterion.attribute(tier, DataType.STRING, Operator.EXACT_MATCH, value)));
                    Set<Long> found = run(definition, workspace.id(), columns);
                    Set<Long> want = connector == Connector.AND ? matching
                            : new TreeSet<>(Set.of(silver, longValue, spacedGold).stream()
                                    .filter(mpid -> !matching.contains(mpid)).toList());
                    assertThat(found).as("%s %s", connector, value).isEqualTo(new TreeSet<>(want))
                            .isEqualTo(run(definition, workspace.id(), AttributeColumns.NONE));
                }
            });
            Definition gold = Definition.of(Group.of(new EventCriterion(EventKind.EVENT, "board", null, List.of(),
                    null, new Window.LastDays(1))).then(Connector.AND,
                    UserCriterion.attribute(tier, DataType.STRING, Operator.EXACT_MATCH, "silver")));
            assertThat(SqlCompiler.compile(gold, workspace.id(), new ProfileScope.All(), clock.instant(), columns)
                    .sql()).as("answered by a lookup").contains("LEFT JOIN profile a1 FORCE INDEX");
        }
    }

    /** An attribute column and its index made by hand for one test (not by the keeper), dropped when closed. */
    private TestColumn testColumn(AttributeColumns.Column column) {
        String name = "oa_attr_test_" + TestMembers.unique().replaceAll("[^A-Za-z0-9]", "");
        jdbc.sql(AttributeColumnSql.addColumn(column, name)).update();
        jdbc.sql(AttributeColumnSql.addIndex(column.source(), name)).update();
        return new TestColumn(column, name);
    }

    private final class TestColumn implements AutoCloseable {
        private final AttributeColumns.Column column;
        private final String name;

        TestColumn(AttributeColumns.Column column, String name) {
            this.column = column;
            this.name = name;
        }

        /** The compiler's view: this column ready, no other. */
        AttributeColumns columns() {
            return asked -> asked.equals(column) ? java.util.Optional.of(name) : java.util.Optional.empty();
        }

        @Override
        public void close() {
            jdbc.sql(AttributeColumnSql.drop(column.source(), name)).update();
        }
    }

    private long mpidOf(Workspace workspace, String customerId) {
        return jdbc.sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_value = ?")
                .params(workspace.id(), customerId).query(Long.class).single();
    }

    private Set<Long> run(Definition definition, long workspaceId, AttributeColumns columns) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, new ProfileScope.All(), clock.instant(),
                columns);
        return new TreeSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters()).query(Long.class)
                .list());
    }

    private String explain(CompiledQuery query) {
        StringBuilder plan = new StringBuilder();
        jdbc.sql("EXPLAIN " + query.sql()).params(query.parameters()).query().listOfRows()
                .forEach(row -> plan.append(row).append('\n'));
        return plan.toString();
    }

    private String status(AttributeColumns.Column column) {
        return jdbc.sql("SELECT status FROM attribute_index WHERE source = ? AND attribute = ? AND value_kind = ?")
                .params(column.source().name(), column.attribute(), column.kind().name()).query(String.class)
                .optional().orElse(null);
    }

    private boolean columnExists(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'event' AND COLUMN_NAME = ?").param(name).query(Long.class).single() > 0;
    }

    private Set<Long> memberIds(long audienceId) {
        return new TreeSet<>(engine.members(audienceId, 0, 1000));
    }

    private void await(TestMembers members, long audienceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CalculationProgress progress = members.asAdmin(() -> audiences.progress(audienceId));
        while (progress.calculating() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            progress = members.asAdmin(() -> audiences.progress(audienceId));
        }
        assertThat(progress.calculating()).as("calculation finished").isFalse();
        assertThat(progress.lastError()).isNull();
    }
}
