package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.openaudience.api.ApiTokens;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.MembershipCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/**
 * A workspace with 40 users for the audience write tests: every one watched a video, in Paris (users 0, 1, 4, 5 …)
 * or Rome; even users are Premium, odd ones Free. So "watched in Paris" has 20 members and Paris Premium 10.
 */
final class AudienceApiFixture {

    final ApiCallers callers;
    final Workspace workspace;
    final Input input;

    AudienceApiFixture(TeamService team, WorkspaceService workspaces, ApiTokens tokens, InputService inputs,
                       IngestionService ingestion, BatchParser parser, MutableClock clock, int port) {
        clock.reset();
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Api writes");
        input = new TestEvents(inputs, ingestion, parser, clock, callers.members()).webInput(workspace);
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            bulk.append(i == 0 ? "" : ",").append("""
                    {"user_identities":{"customer_id":"api-%d"},"user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"destination":"%s"}}}]}"""
                    .formatted(i, i % 2 == 0 ? "Premium" : "Free", i % 4 < 2 ? "Paris" : "Rome"));
        }
        ingestion.ingest(input, parser.parseBulk(bulk.append("]").toString().getBytes(), "web", clock.instant()));
    }

    String audiences() {
        return "/api/v1/workspaces/" + workspace.id() + "/audiences";
    }

    String audience(long id) {
        return audiences() + "/" + id;
    }

    static Definition watched(String destination) {
        return Definition.of(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, destination)));
    }

    static Definition premium(Definition definition) {
        return new Definition(definition.root().then(Connector.AND,
                UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH, "premium")),
                definition.inputIds());
    }

    static Definition memberOf(long audienceId) {
        return new Definition(Group.of(new MembershipCriterion(audienceId, true)), null);
    }

    /** {"definition": …} as the API takes it. */
    static String definitionBody(Definition definition) {
        return "{\"definition\":" + DefinitionJson.write(definition) + "}";
    }

    static String newAudience(String name, Definition definition) {
        return "{\"name\":\"" + name + "\",\"definition\":" + DefinitionJson.write(definition) + "}";
    }

    /** Creates a draft through the API; its id. */
    long create(RestApiClient api, String name, Definition definition) {
        RestApiClient.Response created = api.post(audiences(), newAudience(name, definition));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** Polls the audience until no calculation runs (and one has run); the audience as last answered. */
    JsonNode awaitCalculated(RestApiClient api, long id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            RestApiClient.Response response = api.get(audience(id));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode calculation = response.json().get("calculation");
            if (!calculation.get("calculating").asBoolean() && calculation.get("ranges_total").asInt() > 0) {
                return response.json();
            }
            assertThat(System.nanoTime()).as("calculated within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static List<String> texts(JsonNode array, String field) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(node -> node.path(field).isNull() || node.path(field).isMissingNode() ? null
                        : node.get(field).asText()).toList();
    }

}
