package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.openaudience.audience.MemberExplanation;
import org.openaudience.criteria.Describe;
import org.openaudience.criteria.Verdict;

/** "Why is this user in?": the user found, membership now, and each criterion's verdict evaluated now. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "MembershipExplanation")
record ExplanationBody(
        @Schema(example = "42") long audienceId,
        Profile profile,
        @Schema(description = "In the complete membership (what outputs and downloads see)", example = "true")
        boolean member,
        @Schema(description = "Whether the current definition, evaluated now, takes the user in; it can differ "
                + "from `member` until the next calculation", example = "true") boolean matchesNow,
        @Schema(description = "Each criterion in tree order") List<Criterion> criteria) {

    /** The user as Users › Lookup shows them, without their events. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ExplainedProfile")
    record Profile(
            @Schema(description = "A string: 64-bit MPIDs lose digits as JSON numbers in JavaScript and jq",
                    type = "string", example = "-3951718253812734571")
            @com.fasterxml.jackson.annotation.JsonFormat(shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
            long mpid,
            @Schema(description = "Identity type to value", example = "{\"customer_id\":\"cust-00042\","
                    + "\"email\":\"ana@example.com\"}") Map<String, String> identities,
            Instant firstSeen,
            Instant lastSeen) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CriterionVerdict")
    record Criterion(
            @Schema(description = "Where the criterion sits: \"2.1\" is the first item of group 2", example = "1")
            String path,
            @Schema(example = "Play Video · destination Exact Match paris · > 0 in the last 30 days")
            String criterion,
            @Schema(example = "true") boolean matches,
            @Schema(description = "What was found", example = "2 matching events in the last 30 days, needs > 0")
            String reason) {
    }

    static ExplanationBody of(long audienceId, MemberExplanation explanation, LongFunction<String> audienceName) {
        var profile = explanation.profile();
        Verdict verdict = explanation.verdict();
        return new ExplanationBody(audienceId, new Profile(profile.mpid(), profile.identities(), profile.firstSeen(),
                profile.lastSeen()), explanation.member(), verdict.matches(), verdict.criteria().stream()
                .map(criterion -> new Criterion(criterion.path(), Describe.criterion(criterion.criterion(),
                        audienceName), criterion.matches(), criterion.reason())).toList());
    }
}
