package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.CatalogEvent;
import org.openaudience.catalog.CatalogService;
import org.openaudience.catalog.DataType;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.Profile;
import org.openaudience.profile.ProfileService;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Compatibility with a real client: the official mParticle Node SDK (npm {@code mparticle} 1.0.8) sends to the
 * running app. Needs node and npm (on CI they are required; elsewhere the test is skipped without them).
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MparticleNodeSdkTest {

    private static final Path SDK_DIR = Path.of("target", "node-sdk");

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    CatalogService catalog;
    @Autowired
    ProfileService profiles;

    /** The script's name for its fault mode's custom event (FAULT_EVENT in send-with-mparticle-sdk.js). */
    private static final String FAULT_EVENT = "SDK Server Fault";
    private static final String FAULT_TRIGGER = "sdk_fault_on_catalog";

    @AfterEach
    void dropFaultTrigger() {
        fixtures.dropTrigger(FAULT_TRIGGER);
    }

    @Test
    void events_sent_with_the_mparticle_node_sdk_become_profiles_events_and_catalog_entries() throws Exception {
        requireNode();
        installSdk();
        TestMembers members = fixtures.members();
        IngestFixture fixture = fixtures.create();
        String runId = TestMembers.unique();

        SdkRun sdk = runSdk(fixture, runId, "events");
        assertThat(sdk.exitCode()).as(sdk.output()).isZero();
        assertThat(sdk.output()).contains("\"request\":\"single\",\"status\":202",
                "\"request\":\"bulk\",\"status\":202");

        assertThat(fixture.count("profile")).isEqualTo(4);
        assertThat(fixture.count("event")).isEqualTo(4 * 5);
        long workspaceId = fixture.workspace.id();
        Profile single = members.asAdmin(() -> profiles.lookup(workspaceId, LookupKind.CUSTOMER_ID,
                "sdk-single-" + runId)).orElseThrow();
        assertThat(single.userAttributes()).containsEntry("status", "Premium").containsEntry("$city", "Paris")
                .containsEntry("interests", "[\"beach\",\"museums\"]");
        assertThat(single.identities()).containsEntry("email", "single-" + runId + "@sdk.example");
        assertThat(single.platforms()).containsExactly("iOS");
        assertThat(single.latestEvents()).extracting(e -> e.eventKey()).contains("Play Video", "Destination Detail",
                "purchase", "session_start", "session_end");
        assertThat(members.asAdmin(() -> profiles.lookup(workspaceId, LookupKind.DEVICE_ID,
                "sdk-idfv-sdk-bulk-2-" + runId))).isPresent();

        List<CatalogEvent> events = members.asAdmin(() -> catalog.events(workspaceId, null, null, 0, 50));
        assertThat(events).extracting(CatalogEvent::eventKey).contains("Play Video", "Destination Detail", "purchase",
                "session_start", "session_end");
        assertThat(events).filteredOn(e -> e.eventKey().equals("Play Video")).singleElement()
                .satisfies(e -> {
                    assertThat(e.count()).isEqualTo(4);
                    assertThat(e.customEventType()).isEqualTo("navigation");
                });
        List<CatalogAttribute> attributes = members.asAdmin(() -> catalog.eventAttributes(workspaceId,
                "custom_event", "Play Video"));
        assertThat(attributes).filteredOn(a -> a.name().equals("duration_seconds")).singleElement()
                .extracting(CatalogAttribute::dataType).isEqualTo(DataType.NUMBER);
        assertThat(members.asAdmin(() -> catalog.userAttributes(workspaceId, "interests", 0, 10)))
                .singleElement().extracting(CatalogAttribute::dataType).isEqualTo(DataType.LIST);
    }

    /**
     * A server fault must reach the SDK as a failure (so the app keeps and retries the events), not as the 302 to
     * /login that the SDK used to follow to a 200 and report as sent.
     */
    @Test
    void a_server_fault_is_reported_by_the_mparticle_node_sdk_as_a_failure() throws Exception {
        requireNode();
        installSdk();
        IngestFixture fixture = fixtures.create();
        fixtures.failCatalogInsert(FAULT_TRIGGER, FAULT_EVENT, "simulated disk full");

        SdkRun sdk = runSdk(fixture, TestMembers.unique(), "fault");

        assertThat(sdk.exitCode()).as(sdk.output()).isEqualTo(1);
        List<JsonNode> outcomes = sdk.output().lines().filter(line -> line.startsWith("{\"request\""))
                .map(this::readJson).toList();
        assertThat(outcomes).as(sdk.output()).hasSize(2).allSatisfy(outcome -> {
            assertThat(outcome.path("outcome").asText()).isEqualTo("failure");
            assertThat(outcome.path("error").isNull()).as("the SDK's callback error").isFalse();
            assertThat(outcome.path("status").asInt()).isEqualTo(500);
            assertThat(outcome.path("code").asText()).isEqualTo("INTERNAL");
        });
        assertThat(fixture.written()).as("rows written by the failed requests").isZero();
    }

    record SdkRun(int exitCode, String output) {
    }

    private JsonNode readJson(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private SdkRun runSdk(IngestFixture fixture, String runId, String mode) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node",
                Path.of("src/test/node/send-with-mparticle-sdk.js").toString(), "http://localhost:" + port + "/v2",
                fixture.credentials.apiKey(), fixture.credentials.secret(), runId, mode).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", SDK_DIR.resolve("node_modules").toAbsolutePath().toString());
        Process sdk = builder.start();
        assertThat(sdk.waitFor(60, TimeUnit.SECONDS)).as("SDK script finished").isTrue();
        return new SdkRun(sdk.exitValue(), new String(sdk.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void requireNode() throws InterruptedException {
        boolean available;
        try {
            available = new ProcessBuilder("node", "--version").start().waitFor() == 0
                    && new ProcessBuilder("npm", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(available, "node and npm are not installed");
        }
        assertThat(available).as("node and npm on CI").isTrue();
    }

    /** Installs the SDK once into target/ (no package.json in the repository). */
    private static void installSdk() throws IOException, InterruptedException {
        if (Files.exists(SDK_DIR.resolve("node_modules/mparticle/package.json"))) {
            return;
        }
        Files.createDirectories(SDK_DIR);
        Process npm = new ProcessBuilder("npm", "install", "--prefix", SDK_DIR.toString(), "--no-audit", "--no-fund",
                "--no-save", "mparticle@1.0.8").redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0).as(output).isTrue();
    }
}
