package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The OpenAPI document describes the audience write operations with their own answers and a usable example. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AudienceWritesDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void every_write_operation_is_documented_with_its_success_and_conflict_answers() {
        JsonNode paths = new RestApiClient(port, null).get("/api/v1/openapi.json").json().path("paths");
        String audiences = "/api/v1/workspaces/{workspaceId}/audiences";
        String audience = audiences + "/{audienceId}";

        assertThat(paths.path(audiences).path("post").path("responses").path("201").path("headers").has("Location"))
                .isTrue();
        assertThat(paths.path(audience).path("patch").path("summary").asText()).isEqualTo("Change an audience's details");
        assertThat(paths.path(audience).path("delete").path("responses").fieldNames()).toIterable()
                .contains("204", "409", "403", "404");
        for (String action : new String[] {"activate", "deactivate", "retry", "clone"}) {
            assertThat(paths.path(audience + "/" + action).path("post").path("summary").asText()).as(action)
                    .isNotBlank();
        }
        JsonNode put = paths.path(audience + "/definition").path("put");
        assertThat(put.path("responses").fieldNames()).toIterable().contains("200", "400", "409", "428");
        assertThat(put.path("responses").path("428").path("content").has("application/problem+json")).isTrue();
        assertThat(put.path("parameters").findValuesAsText("name")).contains("If-Match");
        assertThat(paths.path(audience + "/inputs").path("put").path("responses").has("428")).isTrue();
        assertThat(paths.path(audiences + "/estimate").path("post").path("summary").asText())
                .isEqualTo("Estimate a definition");
    }

    @Test
    void the_documented_definition_example_is_a_definition_this_server_reads() {
        JsonNode document = new RestApiClient(port, null).get("/api/v1/openapi.json").json();
        JsonNode reference = document.path("components").path("schemas").path("DefinitionChange")
                .path("properties").path("definition");
        assertThat(reference.toString()).contains("#/components/schemas/Definition");
        JsonNode schema = document.path("components").path("schemas").path("Definition");
        JsonNode example = schema.path("example");

        assertThat(example.isObject()).as(schema.toString()).isTrue();
        assertThat(DefinitionJson.read(example).root().items()).hasSize(2);
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("properties").fieldNames()).toIterable().containsExactlyInAnyOrder("schemaVersion",
                "inputs", "root");
        assertThat(schema.path("description").asText()).contains("schemaVersion");
        assertThat(document.path("components").path("schemas").path("Estimate").path("properties")
                .fieldNames()).toIterable().contains("size", "too_small", "sample_percent", "exact", "criteria");
    }
}
