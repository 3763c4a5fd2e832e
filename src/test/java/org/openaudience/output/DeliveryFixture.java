package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.Window;
import org.openaudience.input.Input;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;

/** A workspace whose active audience "Paris viewers" holds the users who played a Paris video in the last 7 days. */
class DeliveryFixture {

    final Workspace workspace;
    final Member user;
    final Audience audience;
    private final Input input;
    private final TestEvents events;
    private final CalculationEngine engine;
    private final DeliveryWorker worker;
    private final MutableClock clock;

    DeliveryFixture(TestMembers members, TestEvents events, AudienceService audiences, CalculationEngine engine,
                    DeliveryWorker worker, MutableClock clock, int viewers) {
        this.events = events;
        this.engine = engine;
        this.worker = worker;
        this.clock = clock;
        workspace = members.workspace("Delivery");
        user = members.member(Role.USER, workspace);
        input = events.webInput(workspace);
        watch(1, viewers, "Paris");
        audience = asUser(() -> {
            Audience created = audiences.createAudience(workspace.id(), "Paris viewers", null, Definition.of(
                    new EventCriterion(EventKind.EVENT, "Play Video", null,
                            List.of(Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "paris")),
                            null, new Window.LastDays(7))));
            return audiences.activateAudience(created.id());
        });
        awaitSize(viewers);
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    void asUser(Runnable work) {
        RunAs.member(user.getEmail(), Role.USER, () -> {
            work.run();
            return null;
        });
    }

    /** Users {@code v-from} … {@code v-to} play a video about the destination now. */
    void watch(int from, int to, String destination) {
        for (int i = from; i <= to; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"v-%d","email":"v-%d@example.com"},"events":[
                     {"event_type":"custom_event","data":{"event_name":"Play Video",
                      "custom_attributes":{"destination":"%s"}}}]}""".formatted(i, i, destination));
        }
    }

    List<Long> members() {
        return engine.members(audience.id(), 0, 100_000);
    }

    void awaitSize(long size) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            CalculationProgress progress = engine.progress(audience.id());
            if (!progress.calculating() && progress.size() == size) {
                return;
            }
            sleep(50);
        }
        assertThat(engine.progress(audience.id()).size()).as("progress %s at %s", engine.progress(audience.id()),
                clock.instant()).isEqualTo(size);
    }

    /**
     * Runs the worker, moving the clock past every backoff, until the receiver gets nothing new for two rounds or
     * the round limit is reached.
     */
    void deliverUntilIdle(WebhookReceiver receiver, int maxRounds) {
        int quiet = 0;
        for (int round = 0; round < maxRounds && quiet < 2; round++) {
            int before = receiver.requests();
            worker.deliverDue();
            clock.advance(Duration.ofMinutes(6));
            quiet = receiver.requests() == before ? quiet + 1 : 0;
        }
    }

    static Set<Long> distinct(List<Long> mpids) {
        return new HashSet<>(mpids);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
