package org.openaudience.audience.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openaudience.api.RestApi;
import org.openaudience.audience.AudienceMembers;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.MemberStreams;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.profile.LookupKind;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Who is in an audience: why one user is in or not, and the complete membership streamed as CSV or NDJSON. */
@RestApi
@Tag(name = "Audience members", description = "Membership explanations and member downloads")
class AudienceMembersApi {

    static final String EXPLAIN = AudiencesApi.AUDIENCE + "/explain";
    static final String MEMBERS = AudiencesApi.AUDIENCE + "/members";

    private final AudienceService audiences;
    private final AudienceMembers members;
    private final MemberStreams streams;

    AudienceMembersApi(AudienceService audiences, AudienceMembers members, MemberStreams streams) {
        this.audiences = audiences;
        this.members = members;
        this.streams = streams;
    }

    @GetMapping(EXPLAIN)
    @Operation(summary = "Explain why a user is in an audience or not", description = "Give exactly one of mpid, "
            + "customer_id or email. Answers the user found (as Users › Lookup shows them), whether they are in "
            + "the complete membership, and each criterion's verdict under the current definition, evaluated now. "
            + "Roles that may not look up users (Read Only) are refused.")
    ExplanationBody explain(@PathVariable long workspaceId, @PathVariable long audienceId,
                            @Parameter(example = "-3951718253812734571") @RequestParam(required = false) String mpid,
                            @Parameter(example = "cust-00042")
                            @RequestParam(name = "customer_id", required = false) String customerId,
                            @Parameter(example = "ana@example.com") @RequestParam(required = false) String email) {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("mpid", mpid);
        given.put("customer_id", customerId);
        given.put("email", email);
        given.values().removeIf(value -> value == null);
        if (given.size() != 1) {
            throw new InvalidRequestException(null, "Give exactly one of mpid, customer_id or email"
                    + (given.isEmpty() ? "." : "; this request gives " + String.join(" and ", given.keySet()) + "."));
        }
        AudienceHistoryApi.inWorkspace(audiences.audience(audienceId), workspaceId);
        String parameter = given.keySet().iterator().next();
        String value = given.get(parameter);
        LookupKind kind = switch (parameter) {
            case "mpid" -> LookupKind.MPID;
            case "customer_id" -> LookupKind.CUSTOMER_ID;
            default -> LookupKind.EMAIL;
        };
        try {
            return members.explain(audienceId, kind, value)
                    .map(found -> ExplanationBody.of(audienceId, found, this::audienceName))
                    .orElseThrow(() -> new NotFoundException("No user with " + parameter + " " + shown(value)
                            + " in this workspace."));
        } catch (InvalidRequestException e) {
            // the lookup names its input "value"; here it is the parameter given
            throw new InvalidRequestException(parameter, e.getMessage());
        }
    }

    @GetMapping(MEMBERS)
    @Operation(summary = "Stream an audience's members", description = "The complete membership, as the Download "
            + "dialog's members.csv: one row per identity of the chosen types (a member without any on one row with "
            + "empty identity columns), ordered by MPID, text cells starting with = + - @ prefixed with ' for "
            + "spreadsheets. NDJSON has one JSON object per CSV row, values as stored. With `variation`, only the "
            + "members of that variation of the saved A/B test (0 is Control). Audited as a download; needs the "
            + "download permission (not Read Only).")
    @ApiResponse(responseCode = "200", description = "The members, streamed", content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = "string", example = """
                    mpid,scanned_timestamp_ms,identity_value,identity_type
                    -3951718253812734571,1767225600000,cust-00042,customer_id
                    -3951718253812734571,1767225600000,ana@example.com,email""")),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string", example = """
                    {"mpid":"-3951718253812734571","scanned_timestamp_ms":1767225600000,\
                    "identity_value":"cust-00042","identity_type":"customer_id"}"""))})
    void members(@PathVariable long workspaceId, @PathVariable long audienceId,
                 @Parameter(description = "csv or ndjson", example = "csv")
                 @RequestParam(defaultValue = "csv") String format,
                 @Parameter(description = "Comma-separated identity types of the workspace; mpid is always the first "
                         + "column. Left out: customer_id and email, as the Download dialog ticks them.",
                         example = "customer_id,email")
                 @RequestParam(name = "identity_types", required = false) String identityTypes,
                 @Parameter(description = "A variation of the saved A/B test by position (0: Control)", example = "1")
                 @RequestParam(required = false) Integer variation,
                 HttpServletResponse response) throws IOException {
        AudienceHistoryApi.inWorkspace(audiences.audience(audienceId), workspaceId);
        MemberStreams.MemberStream stream = streams.prepare(audienceId, format(format), identityTypes == null ? null
                : List.of(identityTypes.split(",", -1)), variation);
        // everything is checked: only now does the answer start
        response.setContentType(stream.format().mediaType() + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(stream.fileName()).build().toString());
        stream.writeTo(response.getOutputStream());
    }

    private static MemberStreams.Format format(String text) {
        return Arrays.stream(MemberStreams.Format.values())
                .filter(format -> format.name().equals(text.strip().toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new InvalidRequestException("format", "Use format csv or ndjson, not \""
                        + shown(text) + "\"."));
    }

    private String audienceName(long id) {
        try {
            return audiences.audience(id).name();
        } catch (NotFoundException e) {
            return "#" + id;
        }
    }

    /** The caller's own text back, cut short: a problem answer stays small. */
    private static String shown(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
