package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.security.RunAs;
import org.openaudience.calculation.ChangeCounts;
import org.openaudience.input.InputService;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.CalculatedAudiences;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The hourly adds and drops (membership_change_hour) against counting the change log itself (issue 17). */
@IntegrationTest
class ChangeCountsTest {

    @Autowired
    ChangeCounts counts;
    @Autowired
    CalculationEngine engine;
    @Autowired
    MembershipChangeLog changeLog;
    @Autowired
    CalculatedAudiences calculated;
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
    @Autowired
    TransactionTemplate transactions;

    TestMembers members;
    Workspace workspace;
    Member user;
    Audience audience;
    @Autowired
    AudienceService audiences;

    @BeforeEach
    void setUp() {
        clock.reset();
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Counts");
        user = members.member(Role.USER, workspace);
        audience = loggedOnly(calculated.playVideo(workspace, user, "Viewers " + TestMembers.unique()));
    }

    /**
     * The tests below compare the counts with the log; a first membership is counted but not logged (see
     * a_first_membership_is_counted_but_not_logged_and_a_recalculation_logs_what_changed), so its count goes.
     */
    private Audience loggedOnly(Audience calculatedAudience) {
        jdbc.sql("DELETE FROM membership_change_hour WHERE audience_id = ?").param(calculatedAudience.id()).update();
        jdbc.sql("DELETE FROM membership_change_moment WHERE audience_id = ?").param(calculatedAudience.id()).update();
        return calculatedAudience;
    }

    @Test
    void a_first_membership_is_counted_but_not_logged_and_a_recalculation_logs_what_changed() throws Exception {
        Audience viewers = calculated.playVideo(workspace, user, "First " + TestMembers.unique());
        Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        long members = jdbc.sql("SELECT size_at_completion FROM calculation_run WHERE audience_id = ?")
                .param(viewers.id()).query(Long.class).single();
        assertThat(members).isPositive();
        assertThat(engine.addsAndDrops(viewers.id(), dayAgo)).containsExactly(members, 0);
        assertThat(countedFromLog(viewers.id(), dayAgo)).containsExactly(0, 0);

        // a recalculation that drops everyone: each drop logged, and counted once more
        RunAs.member(user.getEmail(), user.getRole(), () -> audiences.updateDefinition(viewers.id(),
                Definition.of(EventCriterion.event("Play Video", Condition.of("destination", DataType.STRING,
                        Operator.EXACT_MATCH, "nowhere " + TestMembers.unique())))));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (RunAs.member(user.getEmail(), user.getRole(), () -> audiences.progress(viewers.id())).calculating()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(countedFromLog(viewers.id(), dayAgo)).containsExactly(0, members);
        assertThat(engine.addsAndDrops(viewers.id(), dayAgo)).containsExactly(members, members);
    }

    @AfterEach
    void dropScratchTable() {
        jdbc.sql("DROP TABLE IF EXISTS change_hour_backfill, change_moment_backfill").update();
    }

    @Test
    void the_24_hour_adds_and_drops_equal_a_count_of_the_log_for_random_changes_and_windows_on_hour_edges() {
        Random random = new Random(17);
        Instant now = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(37));
        List<Instant> moments = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(random.nextInt(30)));
            moments.add(switch (i % 4) {
                case 0 -> hour; // on the hour
                case 1 -> hour.minus(1, ChronoUnit.MICROS);
                case 2 -> hour.plus(1, ChronoUnit.MICROS);
                default -> hour.plus(random.nextLong(3_600_000_000L), ChronoUnit.MICROS);
            });
        }
        for (int i = 0; i < 8; i++) { // around the 2-day limit of the moments
            moments.add(now.minus(Duration.ofHours(46 + i)).plus(random.nextLong(3_600_000_000L), ChronoUnit.MICROS));
        }
        moments.forEach(at -> log(audience.id(), at, random.nextInt(5), random.nextInt(3)));

        List<Instant> windows = new ArrayList<>(moments);
        windows.addAll(moments.stream().map(at -> at.plus(1, ChronoUnit.MICROS)).toList());
        windows.addAll(moments.stream().map(at -> at.minus(1, ChronoUnit.MICROS)).toList());
        for (int i = 0; i < 40; i++) {
            windows.add(now.minus(random.nextLong(31L * 3_600_000_000L), ChronoUnit.MICROS));
        }
        windows.add(now.minus(Duration.ofHours(24)));
        windows.add(clock.instant().minus(Duration.ofDays(2)));
        windows.add(clock.instant().minus(Duration.ofDays(2)).minus(1, ChronoUnit.MICROS));
        for (Instant since : windows) {
            long[] expected = countedFromLog(audience.id(), since);
            assertThat(engine.addsAndDrops(audience.id(), since)).as("since %s", since).containsExactly(expected);
        }
    }

    @Test
    void the_list_page_asks_for_all_its_audiences_at_once_and_gets_each_its_own_counts() {
        Audience other = loggedOnly(calculated.playVideo(workspace, user, "Others " + TestMembers.unique()));
        Instant since = clock.instant().minus(Duration.ofHours(24));
        log(other.id(), clock.instant().minus(Duration.ofMinutes(5)), 3, 1);
        Map<Long, long[]> both = engine.addsAndDrops(List.of(audience.id(), other.id()), since);
        assertThat(both.get(audience.id())).containsExactly(countedFromLog(audience.id(), since));
        assertThat(both.get(other.id())).containsExactly(countedFromLog(other.id(), since));
        assertThat(both.get(other.id())[1]).as("the drop logged for the other audience alone").isEqualTo(1);
        assertThat(both.get(audience.id())[1]).isZero();
    }

    @Test
    void the_hourly_chart_equals_the_log_grouped_by_hour() {
        Random random = new Random(7);
        Instant start = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HourlyChanges.HOURS - 1L));
        for (int i = 0; i < 40; i++) {
            Instant at = start.plus(random.nextLong((HourlyChanges.HOURS + 2) * 3_600_000_000L) - 3_600_000_000L,
                    ChronoUnit.MICROS);
            log(audience.id(), i % 5 == 0 ? at.truncatedTo(ChronoUnit.HOURS) : at, 1 + random.nextInt(4),
                    random.nextInt(3));
        }
        HourlyChanges chart = changeLog.hourly(audience.id(), start, HourlyChanges.HOURS);
        for (int hour = 0; hour < HourlyChanges.HOURS; hour++) {
            long[] inHour = countedFromLog(audience.id(), chart.hour(hour), chart.hour(hour + 1));
            assertThat(new long[] {chart.adds(hour), chart.drops(hour)}).as("hour %d", hour).containsExactly(inHour);
        }
        Instant offHour = start.plus(Duration.ofMinutes(30));
        HourlyChanges shifted = changeLog.hourly(audience.id(), offHour, 24);
        assertThat(new long[] {shifted.adds(3), shifted.drops(3)}).as("a start off the hour reads the log")
                .containsExactly(countedFromLog(audience.id(), shifted.hour(3), shifted.hour(4)));
    }

    @Test
    void calculations_and_real_time_keep_the_counts_equal_to_the_log() throws Exception {
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        events.send(events.webInput(workspace), """
                {"user_identities":{"customer_id":"late-viewer-%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_event_type":"other"}}]}""".formatted(TestMembers.unique()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (realTimeAdds(audience.id()) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(realTimeAdds(audience.id())).as("real time added the late viewer").isEqualTo(1);
        assertThat(hours(audience.id(), "membership_change_hour")).isEqualTo(loggedHours(audience.id()))
                .isNotEmpty();
        assertThat(engine.addsAndDrops(audience.id(), clock.instant().minus(Duration.ofDays(1)))[0])
                .isEqualTo(countedFromLog(audience.id(), clock.instant().minus(Duration.ofDays(1)))[0])
                .isPositive();
    }

    @Test
    void the_migration_counts_the_changes_logged_before_it_as_the_writers_do() throws Exception {
        log(audience.id(), clock.instant().minus(Duration.ofHours(3)), 4, 2);
        log(audience.id(), clock.instant().truncatedTo(ChronoUnit.HOURS), 1, 1);
        jdbc.sql("CREATE TABLE change_hour_backfill LIKE membership_change_hour").update();
        jdbc.sql(backfillStatement("membership_change_hour")
                .replace("INSERT INTO membership_change_hour", "INSERT INTO change_hour_backfill")).update();
        assertThat(hours(audience.id(), "change_hour_backfill")).isEqualTo(hours(audience.id(),
                "membership_change_hour")).isEqualTo(loggedHours(audience.id()));
        jdbc.sql("CREATE TABLE change_moment_backfill LIKE membership_change_moment").update();
        jdbc.sql(backfillStatement("membership_change_moment")
                .replace("INSERT INTO membership_change_moment", "INSERT INTO change_moment_backfill")).update();
        assertThat(moments(audience.id(), "change_moment_backfill")).isEqualTo(moments(audience.id(),
                "membership_change_moment")).isNotEmpty();
    }

    @Test
    void two_writers_adding_to_the_same_hour_at_once_lose_no_counts() throws Exception {
        Instant at = clock.instant().plus(Duration.ofHours(2)); // an hour nobody else writes
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        transactions.executeWithoutResult(status -> counts.add(audience.id(),
                                Timestamp.from(at), 2, 1));
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT adds, drops FROM membership_change_hour WHERE audience_id = ?"
                        + " AND hour_start = DATE_FORMAT(?, '%Y-%m-%d %H:00:00')")
                .params(audience.id(), Timestamp.from(at)).query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                .single()).containsExactly(800L, 400L);
        assertThat(jdbc.sql("SELECT adds, drops FROM membership_change_moment WHERE audience_id = ? AND changed_at = ?")
                .params(audience.id(), Timestamp.from(at)).query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                .single()).containsExactly(800L, 400L);
    }

    @Test
    void moments_older_than_three_days_go_as_the_audience_changes_and_the_counts_stay_exact() {
        log(audience.id(), clock.instant().minus(Duration.ofDays(3)).minus(Duration.ofMinutes(1)), 2, 1);
        log(audience.id(), clock.instant().minus(Duration.ofDays(3)).plus(Duration.ofMinutes(1)), 1, 0);
        assertThat(moments(audience.id(), "membership_change_moment")).hasSize(1); // the last: older ones go
        for (Instant since : List.of(clock.instant().minus(Duration.ofDays(4)), clock.instant().minus(Duration.ofDays(1)),
                clock.instant().minus(Duration.ofDays(3)))) {
            assertThat(engine.addsAndDrops(audience.id(), since)).containsExactly(countedFromLog(audience.id(), since));
        }
    }

    /** Changes logged as the writers log them: the rows, and their counts in the same transaction. */
    private void log(long audienceId, Instant at, int adds, int drops) {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < adds + drops; i++) {
                jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)"
                                + " VALUES (?, ?, ?, 'REALTIME', ?)")
                        .params(audienceId, 1000 + i, i < adds ? "ADD" : "REMOVE", Timestamp.from(at)).update();
            }
            counts.add(audienceId, Timestamp.from(at), adds, drops);
        });
    }

    /** The old query: a count over the log. */
    private long[] countedFromLog(long audienceId, Instant since) {
        return countedFromLog(audienceId, since, Instant.parse("9999-01-01T00:00:00Z"));
    }

    private long[] countedFromLog(long audienceId, Instant from, Instant to) {
        return jdbc.sql("SELECT COALESCE(SUM(change_type = 'ADD'), 0), COALESCE(SUM(change_type = 'REMOVE'), 0)"
                        + " FROM membership_change WHERE audience_id = ? AND changed_at >= ? AND changed_at < ?")
                .params(audienceId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
    }

    private long realTimeAdds(long audienceId) {
        return jdbc.sql("SELECT COUNT(*) FROM membership_change WHERE audience_id = ? AND cause = 'REALTIME'")
                .param(audienceId).query(Long.class).single();
    }

    private List<String> hours(long audienceId, String table) {
        return jdbc.sql("SELECT CONCAT(hour_start, ' ', adds, ' ', drops) FROM " + table
                + " WHERE audience_id = ? ORDER BY hour_start").param(audienceId).query(String.class).list();
    }

    private List<String> moments(long audienceId, String table) {
        return jdbc.sql("SELECT CONCAT(changed_at, ' ', adds, ' ', drops) FROM " + table
                + " WHERE audience_id = ? ORDER BY changed_at").param(audienceId).query(String.class).list();
    }

    private List<String> loggedHours(long audienceId) {
        return jdbc.sql("""
                        SELECT CONCAT(CAST(DATE_FORMAT(changed_at, '%Y-%m-%d %H:00:00') AS DATETIME), ' ',
                               SUM(change_type = 'ADD'), ' ', SUM(change_type = 'REMOVE'))
                        FROM membership_change WHERE audience_id = ?
                        GROUP BY DATE_FORMAT(changed_at, '%Y-%m-%d %H:00:00')
                        ORDER BY DATE_FORMAT(changed_at, '%Y-%m-%d %H:00:00')""")
                .param(audienceId).query(String.class).list();
    }

    /** The changeset's backfill, as written in it. */
    private static String backfillStatement(String table) throws Exception {
        String changeSet = Files.readString(Path.of(
                "src/main/resources/db/changelog/changes/202612051000_membership_change_hour.xml"));
        Matcher backfill = Pattern.compile("<sql>\\s*(INSERT INTO " + table + " .*?)</sql>", Pattern.DOTALL)
                .matcher(changeSet);
        assertThat(backfill.find()).as("the changeset backfills").isTrue();
        return backfill.group(1);
    }
}
