package org.openaudience.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The OpenAPI document is served without a token and describes the API's operations and errors. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void the_document_is_public_json_with_the_bearer_scheme_and_problem_answers() {
        RestApiClient.Response response = new RestApiClient(port, null).get("/api/v1/openapi.json");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("components").path("securitySchemes").path("apiToken").path("scheme").asText())
                .isEqualTo("bearer");
        JsonNode list = document.path("paths").path("/api/v1/workspaces/{workspaceId}/audiences").path("get");
        assertThat(list.path("summary").asText()).isEqualTo("List audiences");
        assertThat(list.path("responses").path("401").path("content").has("application/problem+json")).isTrue();
        assertThat(document.path("components").path("schemas").path("Audience").path("properties")
                .has("external_name")).as("snake_case").isTrue();
        assertThat(document.path("paths").fieldNames()).toIterable().allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(document.path("tags").get(0).path("name").asText()).as("where a script starts")
                .isEqualTo("Workspaces");
        assertThat(document.path("tags").get(1).path("name").asText()).isEqualTo("Audiences");
    }
}
