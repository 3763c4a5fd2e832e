package org.openaudience.testsupport;

import org.openaudience.input.InputService;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Makes {@link IngestFixture}s from the test context's services, so tests ask for this one bean instead of wiring
 * the services and building the fixture themselves. A bean of every {@link IntegrationTest} context.
 */
public class IngestFixtures {

    private final TestMembers members;
    private final InputService inputs;
    private final JdbcClient jdbc;

    public IngestFixtures(TeamService team, WorkspaceService workspaces, InputService inputs, JdbcClient jdbc) {
        this.members = new TestMembers(team, workspaces);
        this.inputs = inputs;
        this.jdbc = jdbc;
    }

    /** A fresh workspace with a Web input. */
    public IngestFixture create() {
        return new IngestFixture(members, inputs, jdbc);
    }

    /** A fixture in an existing workspace (a benchmark's kept data), with a new Web input. */
    public IngestFixture existing(org.openaudience.workspace.Workspace workspace) {
        return new IngestFixture(members, inputs, jdbc, workspace, "Web " + TestMembers.unique());
    }

    /** The test Admin's helpers, on the same services. */
    public TestMembers members() {
        return members;
    }

    /**
     * Makes the database fail the catalog entry of this event name with this message: the last statement of a request
     * that sends it, after its journal, profiles and events were written, as a crash or a full disk would. Holds in
     * every workspace until {@link #dropTrigger}.
     */
    public void failCatalogInsert(String trigger, String eventName, String message) {
        jdbc.sql("""
                CREATE TRIGGER %s BEFORE INSERT ON catalog_event FOR EACH ROW
                IF NEW.event_key = '%s' THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '%s';
                END IF""".formatted(trigger, eventName, message)).update();
    }

    public void dropTrigger(String trigger) {
        jdbc.sql("DROP TRIGGER IF EXISTS " + trigger).update();
    }
}
