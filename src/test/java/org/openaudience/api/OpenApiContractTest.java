package org.openaudience.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The served OpenAPI document is the API's contract: it is valid OpenAPI 3, and it describes every operation the app
 * actually serves under /api/v1 — read from Spring's own request mappings, so an operation added without
 * documentation fails here — with a summary, a tag, a schema for each JSON success answer, snake_case properties
 * and the 401 problem answer.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** Keys whose values are sample data, not schemas: their keys may be anything. */
    private static final Set<String> SAMPLE_KEYS = Set.of("example", "examples", "default", "enum", "const");

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    String served;
    JsonNode document;

    @BeforeEach
    void readTheServedDocument() {
        RestApiClient.Response response = new RestApiClient(port, null).get(ApiSecurityConfig.OPENAPI_PATH);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        served = response.body();
        document = response.json();
    }

    @Test
    void the_document_is_valid_openapi_3() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);

        assertThat(result.getOpenAPI()).as("parsed").isNotNull();
        assertThat(result.getMessages()).as("validation messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void every_operation_served_under_api_v1_is_in_the_document_and_nothing_else() {
        Set<String> served = servedOperations();
        Set<String> documented = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> {
                    if (HTTP_METHODS.contains(method)) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));

        assertThat(served).as("operations the app serves under /api/v1 (the audiences list at least)")
                .contains("GET /api/v1/workspaces/{workspaceId}/audiences");
        assertThat(documented).as("documented operations").containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void every_operation_has_a_summary_a_tag_a_json_schema_for_each_success_and_the_401_problem() {
        List<String> problems = new ArrayList<>();
        forEachOperation((name, operation) -> {
            if (operation.path("summary").asText().isBlank()) {
                problems.add(name + ": no summary");
            }
            if (!operation.path("tags").isArray() || operation.path("tags").isEmpty()) {
                problems.add(name + ": no tag");
            }
            List<String> successes = new ArrayList<>();
            operation.path("responses").fields().forEachRemaining(response -> {
                if (!response.getKey().startsWith("2")) {
                    return;
                }
                successes.add(response.getKey());
                response.getValue().path("content").fields().forEachRemaining(content -> {
                    if (isJson(content.getKey()) && content.getValue().path("schema").isMissingNode()) {
                        problems.add(name + ": " + response.getKey() + " " + content.getKey() + " has no schema");
                    }
                });
            });
            if (successes.isEmpty()) {
                problems.add(name + ": no success answer");
            }
            JsonNode unauthorized = operation.path("responses").path("401").path("content")
                    .path("application/problem+json").path("schema").path("$ref");
            if (!unauthorized.asText().equals("#/components/schemas/" + ProblemResponsesInDocument.PROBLEM)) {
                problems.add(name + ": no 401 problem answer");
            }
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void every_schema_property_and_query_parameter_is_snake_case() {
        List<String> problems = new ArrayList<>();
        collectPropertyNames(document, "#", problems);
        forEachOperation((name, operation) -> operation.path("parameters").forEach(parameter -> {
            if (parameter.path("in").asText().equals("query")
                    && !SNAKE_CASE.matcher(parameter.path("name").asText()).matches()) {
                problems.add(name + ": query parameter " + parameter.path("name").asText());
            }
        }));

        assertThat(problems).as("names that are not snake_case").isEmpty();
        assertThat(document.path("components").path("schemas").path(ProblemResponsesInDocument.PROBLEM)
                .path("properties").has("errors")).as("the walk sees the schemas").isTrue();
    }

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    /** "METHOD /path" of each operation Spring serves under /api/v1, but springdoc's own and the fallback. */
    private Set<String> servedOperations() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            Class<?> controller = mapping.getValue().getBeanType();
            if (controller == ApiFallback.class || controller.getPackageName().startsWith("org.springdoc")) {
                continue;
            }
            RequestMappingInfo info = mapping.getKey();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1/")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                assertThat(methods).as(controller.getSimpleName() + " maps " + pattern
                        + " without saying which HTTP method").isNotEmpty();
                // {id:\d+} in Spring is {id} in OpenAPI
                String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                methods.forEach(method -> operations.add(method.name() + " " + path));
            }
        }
        return operations;
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> check) {
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> {
                    if (HTTP_METHODS.contains(operation.getKey())) {
                        check.accept(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                                operation.getValue());
                    }
                }));
    }

    /** Every name under a "properties" anywhere in the document (schemas of components, bodies and answers). */
    /** The definition is the versioned form the app stores (camelCase, like "schemaVersion"), taken as it is. */
    private static final String STORED_DEFINITION = "#/components/schemas/Definition";

    private static void collectPropertyNames(JsonNode node, String at, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectPropertyNames(node.get(i), at + "/" + i, problems);
            }
            return;
        }
        node.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (SAMPLE_KEYS.contains(key)) {
                return;
            }
            if (key.equals("properties") && value.isObject()) {
                value.fields().forEachRemaining(property -> {
                    if (!SNAKE_CASE.matcher(property.getKey()).matches() && !at.startsWith(STORED_DEFINITION)) {
                        problems.add(at + "/properties/" + property.getKey());
                    }
                    collectPropertyNames(property.getValue(), at + "/properties/" + property.getKey(), problems);
                });
                return;
            }
            collectPropertyNames(value, at + "/" + key, problems);
        });
    }

    private static boolean isJson(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("*/*");
    }
}
