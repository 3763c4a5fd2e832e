package org.openaudience.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.output.Connection;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.DeliveryWorker;
import org.openaudience.output.Output;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Delivery throughput of one connection to a local webhook receiver (JDK HttpServer parsing every body): the
 * current members of an audience of {@code bench.members} (default 200,000) with one customer_id identity each, then
 * the same number of change log entries, at batch sizes 500 and 5,000. Membership rows are generated in SQL (the
 * delivery path is what is measured); delivery runs through the real worker, sender and receiver.
 * {@code ./mvnw -Pbench test -Dtest=DeliveryBenchmark [-Dbench.members=200000]}.
 */
@Tag("bench")
@IntegrationTest
class DeliveryBenchmark {

    @Autowired
    AudienceService audiences;
    @Autowired
    OutputService outputs;
    @Autowired
    ConnectionService connections;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    JdbcClient jdbc;

    @Test
    void one_connection_delivers_current_members_and_changes() {
        int members = Integer.getInteger("bench.members", 200_000);
        TestMembers testMembers = new TestMembers(team, workspaces);
        Workspace workspace = testMembers.workspace("DeliveryBench");
        Member user = testMembers.member(Role.USER, workspace);
        Audience audience = RunAs.member(user.getEmail(), Role.USER, () -> audiences.createAudience(workspace.id(),
                "Bench", null, Definition.of(EventCriterion.event("Play Video"))));
        generateMembership(workspace.id(), audience.id(), members);
        System.out.printf("%nDelivery benchmark: %,d members, one customer_id each, local webhook receiver%n",
                members);
        for (int batchSize : new int[] {500, 5_000}) {
            try (WebhookReceiver receiver = new WebhookReceiver(0)) {
                Output output = RunAs.member(user.getEmail(), Role.USER, () -> outputs.createOutput(workspace.id(),
                        OutputSettings.webhook("Bench " + batchSize, receiver.url(), null)
                                .withBatchSize(batchSize)));
                Connection connection = RunAs.member(user.getEmail(), Role.USER, () -> connections.connect(
                        audience.id(), null, output.id(), Set.of("customer_id")));
                long started = System.nanoTime();
                deliverUntil(receiver, members);
                double snapshot = seconds(started);
                long lastChange = appendChanges(audience.id(), members);
                started = System.nanoTime();
                deliverUntil(receiver, 2L * members);
                double changes = seconds(started);
                System.out.printf("  batch %,5d: current members %,.1f s (%,.0f members/s), change log %,.1f s"
                                + " (%,.0f changes/s), %,d requests%n", batchSize, snapshot, members / snapshot,
                        changes, members / changes, receiver.requests());
                RunAs.member(user.getEmail(), Role.USER, () -> {
                    connections.disconnect(connection.id());
                    return lastChange;
                });
            }
        }
    }

    private void deliverUntil(WebhookReceiver receiver, long lines) {
        while (receiver.actions().size() < lines) {
            worker.deliverDue();
        }
    }

    private void generateMembership(long workspaceId, long audienceId, int members) {
        jdbc.sql("""
                        INSERT INTO calculation_run (audience_id, generation, definition_version, definition_json,
                            workspace_id, status, buckets_total, buckets_done, size, calculated_at, started_at)
                        VALUES (?, 1, 1, '{}', ?, 'DONE', 1, 1, ?, ?, ?)""")
                .params(audienceId, workspaceId, members, Timestamp.from(Instant.now()),
                        Timestamp.from(Instant.now())).update();
        jdbc.sql("INSERT INTO audience_member (audience_id, generation, mpid) SELECT ?, 1, seq FROM seq_1_to_"
                + members).param(audienceId).update();
        jdbc.sql("INSERT INTO profile_identity (workspace_id, identity_type, identity_value, mpid)"
                        + " SELECT ?, 'customer_id', CONCAT('bench-', seq), seq FROM seq_1_to_" + members)
                .param(workspaceId).update();
    }

    /** As many change log entries as members: everyone leaves, in MPID order. */
    private long appendChanges(long audienceId, int members) {
        jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)"
                        + " SELECT ?, seq, 'REMOVE', 'REALTIME', NOW(6) FROM seq_1_to_" + members)
                .param(audienceId).update();
        return jdbc.sql("SELECT MAX(id) FROM membership_change WHERE audience_id = ?").param(audienceId)
                .query(Long.class).single();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
