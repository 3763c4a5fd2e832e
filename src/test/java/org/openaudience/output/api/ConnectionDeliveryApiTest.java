package org.openaudience.output.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.output.DeliveryWorker;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A connection read over HTTP follows its delivery: the failure, then the batch delivered. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectionDeliveryApiTest {

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AudienceService audiences;
    @Autowired
    OutputService outputs;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    CalculationEngine engine;
    @Autowired
    MutableClock clock;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    ApiCallers callers;
    Workspace workspace;
    ApiCallers.Caller user;
    WebhookReceiver receiver;
    long outputId;

    @BeforeEach
    void an_output() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Delivery API");
        user = callers.caller(Role.USER, workspace);
        receiver = new WebhookReceiver(0);
        outputId = asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("CRM", receiver.url(),
                null))).id();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
        clock.reset();
    }

    @Test
    void the_connection_shows_the_last_error_and_then_the_last_delivery_as_the_service_holds_them() {
        long audienceId = anActiveAudienceOfThree();
        long id = user.api().post("/api/v1/workspaces/" + workspace.id() + "/audiences/" + audienceId
                + "/connections", Map.of("output_id", outputId, "identity_types", List.of("email"))).json()
                .get("id").asLong();
        String path = "/api/v1/workspaces/" + workspace.id() + "/connections/" + id;
        receiver.failNext(1);

        worker.deliverDue();
        JsonNode failed = user.api().get(path).json();
        assertThat(failed.get("failed_attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("last_error").asText()).contains("HTTP 503");
        assertThat(failed.get("last_error_at").isNull()).isFalse();
        assertThat(failed.get("last_delivery_at").isNull()).isTrue();

        clock.advance(Duration.ofMinutes(6));
        worker.deliverDue();
        JsonNode delivered = user.api().get(path).json();
        assertThat(delivered.get("failed_attempts").asInt()).isZero();
        assertThat(delivered.get("delivered_adds").asLong()).isEqualTo(3);
        assertThat(delivered.get("last_delivery_at").isNull()).isFalse();
        assertThat(receiver.accepted()).hasSize(1);
    }

    private long anActiveAudienceOfThree() {
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, callers.members());
        Input input = events.webInput(workspace);
        for (int i = 1; i <= 3; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"c-%d","email":"c-%d@example.com"},"events":[
                     {"event_type":"custom_event","data":{"event_name":"Stream Live"}}]}""".formatted(i, i));
        }
        long id = asUser(() -> audiences.activateAudience(audiences.createAudience(workspace.id(), "Live viewers",
                null, Definition.of(EventCriterion.event("Stream Live"))).id())).id();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && (engine.progress(id).calculating() || engine.progress(id).size() != 3)) {
            sleep(50);
        }
        assertThat(engine.progress(id).size()).isEqualTo(3);
        return id;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.member().getEmail(), Role.USER, work);
    }
}
