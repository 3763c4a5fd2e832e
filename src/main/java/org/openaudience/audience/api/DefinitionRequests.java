package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.openaudience.audience.Audience;
import org.openaudience.audience.DefinitionProblemsException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.MalformedDefinitionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** What the audience write operations share: reading a sent definition, the If-Match rule, the ETag, the path check. */
final class DefinitionRequests {

    static final String EXAMPLE_DEFINITION = """
            {"schemaVersion": 1, "inputs": [], "root": {"items": [
              {"connector": null, "event": {"kind": "EVENT", "name": "Play Video", "customEventType": null,
                "conditions": [{"attribute": "destination", "type": "STRING", "operator": "EXACT_MATCH",
                                "values": ["Paris"]}],
                "frequency": {"comparison": "AT_LEAST", "count": 2, "max": 2},
                "window": {"type": "lastDays", "days": 30}}},
              {"connector": "AND", "user": {"field": "ATTRIBUTE", "condition": {"attribute": "status",
                "type": "STRING", "operator": "EXACT_MATCH", "values": ["premium"]}}}]}}""";

    static final String DEFINITION_DESCRIPTION = """
            An audience definition in its versioned JSON form: `schemaVersion` (1), `inputs` (input ids whose events \
            count; empty for all inputs of the workspace) and `root`, a group of `items`. Each item after the first \
            has a `connector` (AND, OR, EXCLUDE) and exactly one of `group` (nested items), `event` (kind, name, \
            customEventType, conditions, frequency, window), `user` (field, condition) or `membership` (audience, \
            member). A condition has attribute, type (STRING, NUMBER, BOOLEAN, DATE, LIST), operator and values. \
            A window has a type: lastDays (days), lastHours (hours), daysAgo (newest, oldest), before / after / on \
            (date), between (first, last). GET …/definition answers this form for any audience.""";

    private DefinitionRequests() {
    }

    /** The sent definition; a wrong shape is a 400 naming its criterion and field, like a validation problem. */
    static Definition definition(JsonNode json) {
        if (json == null || json.isNull()) {
            throw new InvalidRequestException("definition", "Send the definition (a JSON object with schemaVersion, "
                    + "inputs and root).");
        }
        try {
            return DefinitionJson.read(json);
        } catch (MalformedDefinitionException malformed) {
            throw new DefinitionProblemsException(List.of(malformed.problem()));
        }
    }

    /**
     * The definition version an If-Match names; null for {@code *} (whatever is current). Without one the save is
     * refused with 428, so no script overwrites another editor's save by leaving it out.
     */
    static Integer expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag of the definition you changed (GET the definition: its ETag is "
                            + "its version, like \"3\"), or If-Match: * to replace whatever is current.");
            problem.setTitle("Precondition Required");
            throw new ErrorResponseException(HttpStatus.PRECONDITION_REQUIRED, problem, null);
        }
        String tag = ifMatch.trim();
        if (tag.equals("*")) {
            return null;
        }
        String version = tag.startsWith("\"") && tag.endsWith("\"") && tag.length() > 2
                ? tag.substring(1, tag.length() - 1) : tag;
        if (!version.matches("[0-9]{1,9}")) {
            throw new InvalidRequestException("If-Match", "If-Match must be one definition ETag, like \"3\", or *.");
        }
        return Integer.valueOf(version);
    }

    static String etag(int definitionVersion) {
        return "\"" + definitionVersion + "\"";
    }

    /** The audience, if it is one of this workspace: asked for under another workspace's path, it does not exist. */
    static Audience inWorkspace(Audience audience, long workspaceId) {
        if (audience.workspaceId() != workspaceId) {
            throw new NotFoundException("Audience " + audience.id() + " does not exist, or it is in a workspace you "
                    + "cannot use.");
        }
        return audience;
    }
}
