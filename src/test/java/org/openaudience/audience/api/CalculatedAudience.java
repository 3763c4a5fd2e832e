package org.openaudience.audience.api;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.input.Input;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;

/**
 * A workspace whose users played videos, and "Video players" activated by a User member through the services and
 * calculated: the scenario the read API's tests look at over HTTP.
 */
class CalculatedAudience {

    /** Customer ids of the members; the first four would run as formulas in a spreadsheet. */
    static final List<String> MEMBER_CUSTOMER_IDS = List.of("=HYPERLINK(\"https://evil.example\",\"x\")", "+1",
            "-2", "@SUM(1)", "cust-5", "cust-6");
    static final String NON_MEMBER = "cust-7";
    static final String MEMBER_EMAIL = "ana@example.com";

    final Workspace workspace;
    final ApiCallers.Caller user;
    final Input input;
    final AudienceService audiences;
    final Audience audience;

    CalculatedAudience(ApiCallers callers, TestEvents events, AudienceService audiences) {
        this.audiences = audiences;
        this.workspace = callers.workspace("Read API");
        this.user = callers.caller(Role.USER, workspace);
        this.input = events.webInput(workspace);
        for (int i = 0; i < MEMBER_CUSTOMER_IDS.size(); i++) {
            String email = i == 4 ? ",\"email\":\"" + MEMBER_EMAIL + "\""
                    : i == 5 ? ",\"email\":\"zoe@example.com\"" : "";
            events.send(input, """
                    {"user_identities":{"customer_id":"%s"%s},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video"}}]}"""
                    .formatted(MEMBER_CUSTOMER_IDS.get(i).replace("\"", "\\\""), email));
        }
        events.send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Search"}}]}""".formatted(NON_MEMBER));
        this.audience = activated("Video players", Definition.of(EventCriterion.event("Play Video")));
    }

    /** Another audience of the workspace, created and activated by the User member, once it is calculated. */
    Audience activated(String name, Definition definition) {
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), name, null, definition));
        asUser(() -> audiences.activateAudience(draft.id()));
        awaitCalculated(draft.id());
        return asUser(() -> audiences.audience(draft.id()));
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.member().getEmail(), Role.USER, work);
    }

    String path() {
        return path(audience.id());
    }

    String path(long audienceId) {
        return "/api/v1/workspaces/" + workspace.id() + "/audiences/" + audienceId;
    }

    /** Waits for the audience's calculation to finish, as the calculation tests do. */
    CalculationProgress awaitCalculated(long audienceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        CalculationProgress progress = asUser(() -> audiences.progress(audienceId));
        while ((progress.calculating() || progress.bucketsTotal() == 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            progress = asUser(() -> audiences.progress(audienceId));
        }
        if (progress.calculating()) {
            throw new AssertionError("The calculation of audience " + audienceId + " did not finish in 20 s");
        }
        return progress;
    }
}
