package org.openaudience.calculation;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the calculation tests share: a workspace with a USER member and a web input, 90 users who each played one
 * video (30 in Paris, 30 in Cannes, 30 in Rome), and helpers to define, start and await calculations.
 */
abstract class CalculationFixture {

    @Autowired
    AudienceService audiences;
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
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    Workspace workspace;
    Input input;
    Member user;
    Set<Long> paris = new HashSet<>();
    Set<Long> cannes = new HashSet<>();

    static EventCriterion viewing(String destination) {
        return EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, destination));
    }

    static Definition watched(String destination) {
        return Definition.of(viewing(destination));
    }

    /** Paris viewers Or viewers of {@code other}. */
    static Definition parisOr(String other) {
        return new Definition(org.openaudience.criteria.Group.of(viewing("Paris"))
                .then(org.openaudience.criteria.Connector.OR, viewing(other)), null);
    }

    @BeforeEach
    void setUp() {
        clock.reset();
        TestMembers members = new TestMembers(team, workspaces);
        workspace = members.workspace("Calc");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        input = events.webInput(workspace);
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 90; i++) {
            String destination = i % 3 == 0 ? "Paris" : i % 3 == 1 ? "Cannes" : "Rome";
            bulk.append(i == 0 ? "" : ",").append("""
                    {"user_identities":{"customer_id":"calc-%d"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video","custom_attributes":{"destination":"%s"}}}]}"""
                    .formatted(i, destination));
        }
        List<Long> mpids = ingestion.ingest(input, parser.parseBulk(bulk.append("]").toString().getBytes(), "web",
                clock.instant())).mpids();
        for (int i = 0; i < mpids.size(); i++) {
            (i % 3 == 0 ? paris : i % 3 == 1 ? cannes : new HashSet<Long>()).add(mpids.get(i));
        }
    }

    <T> T asUser(java.util.function.Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    CalculationProgress awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        CalculationProgress progress;
        do {
            Thread.sleep(50);
            progress = asUser(() -> audiences.progress(audienceId));
        } while (progress.calculating() && System.nanoTime() < deadline);
        return progress;
    }
}
