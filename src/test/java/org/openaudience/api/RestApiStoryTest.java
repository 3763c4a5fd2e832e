package org.openaudience.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.MemberExports;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.UiDownloads;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's walk-through, by HTTP only: events arrive through the Events API, and a script with nothing but a
 * token creates "Paris premium viewers" from docs/examples, activates it, polls its progress until it is
 * calculated, asks why a user is not in, and streams its members — the same bytes as the UI's download.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RestApiStoryTest {

    static final Path EXAMPLE = Path.of("docs/examples/paris-premium-viewers.json");

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures ingest;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    MemberExports exports;

    @Test
    void a_script_with_a_token_creates_activates_and_streams_paris_premium_viewers_as_the_ui_would() throws Exception {
        IngestFixture app = ingest.create();
        EventsApiClient events = new EventsApiClient(port, app.credentials);
        send(events, "anna", "Paris", "Premium");
        send(events, "bruno", "PARIS", "premium"); // values compare case-insensitively (README › Audiences)
        send(events, "chloe", "Paris", "Premium");
        send(events, "dario", "Paris", "Free");
        send(events, "emma", "Cannes", "Premium");
        ApiCallers callers = new ApiCallers(team, workspaces, tokens, port);
        ApiCallers.Caller marketer = callers.caller(Role.USER, app.workspace);
        RestApiClient api = marketer.api();

        JsonNode workspaceList = api.get("/api/v1/workspaces").json();
        long workspaceId = workspaceList.get(0).get("id").asLong();
        assertThat(workspaceId).isEqualTo(app.workspace.id());

        RestApiClient.Response created = api.post("/api/v1/workspaces/" + workspaceId + "/audiences",
                Files.readString(EXAMPLE));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String audience = created.header("Location"); // absolute, as a script uses it
        assertThat(created.json().get("status").asText()).isEqualTo("DRAFT");

        RestApiClient.Response activated = api.post(audience + "/activate", null);
        assertThat(activated.status()).as(activated.body()).isEqualTo(200);
        JsonNode progress = awaitCalculated(api, audience);
        assertThat(progress.get("size").asLong()).isEqualTo(3);
        assertThat(api.get(audience).json().get("status").asText()).isEqualTo("ACTIVE");

        JsonNode why = api.get(audience + "/explain?customer_id=dario").json();
        assertThat(why.get("member").asBoolean()).isFalse();
        assertThat(StreamSupport.stream(why.get("criteria").spliterator(), false)
                .filter(criterion -> !criterion.get("matches").asBoolean())
                .map(criterion -> criterion.get("path").asText())).containsExactly("2");

        RestApiClient.Response members = api.get(audience + "/members?format=csv&identity_types=customer_id,email");
        assertThat(members.status()).as(members.body()).isEqualTo(200);
        assertThat(members.contentType()).startsWith("text/csv");
        long audienceId = Long.parseLong(audience.substring(audience.lastIndexOf('/') + 1));
        Map<String, String> download = UiDownloads.download(exports, marketer.member(), audienceId,
                Set.of("customer_id", "email"), null);
        assertThat(members.body()).isEqualTo(download.get("members.csv"));
        assertThat(members.body()).contains("anna@example.com", "bruno@example.com", "chloe@example.com")
                .doesNotContain("dario", "emma");
    }

    private static void send(EventsApiClient events, String customerId, String destination, String status) {
        EventsApiClient.Response response = events.post("/v2/events", """
                {"environment":"production",
                 "user_identities":{"customer_id":"%s","email":"%s@example.com"},
                 "user_attributes":{"status":"%s"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                   "custom_event_type":"other","custom_attributes":{"destination":"%s"}}}]}"""
                .formatted(customerId, customerId, status, destination));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    /** Polls progress as a script would (well under the token's rate limit) until the calculation is done. */
    private static JsonNode awaitCalculated(RestApiClient api, String audience) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode progress = api.get(audience + "/progress").json();
        while ((progress.get("calculating").asBoolean() || progress.get("ranges_total").asInt() == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            progress = api.get(audience + "/progress").json();
        }
        assertThat(progress.get("calculating").asBoolean()).as(progress.toString()).isFalse();
        return progress;
    }
}
