package org.openaudience.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What every 4xx of the REST API must be: RFC 9457 problem details with the status and a telling detail. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static void assertProblem(RestApiClient.Response response, int status, String detailPart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).containsIgnoringCase(detailPart);
    }
}
