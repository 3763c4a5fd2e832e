package org.openaudience.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Feeds the demo workspace through the same parser and ingestion service as the Events API: ~30 days of history
 * for a few thousand users once, then a gentle trickle of development events so the Live Stream moves.
 */
@Component
@Profile("demo")
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final InputService inputs;
    private final BatchParser parser;
    private final IngestionService ingestion;
    private final DemoTraffic traffic;
    private final Clock clock;
    private final int users;
    private final boolean trickleEnabled;
    private final Random trickleRandom = new Random();
    private volatile boolean ready;

    DemoData(InputService inputs, BatchParser parser, IngestionService ingestion, ObjectMapper json, Clock clock,
             @Value("${openaudience.demo.users:3000}") int users,
             @Value("${openaudience.demo.trickle:true}") boolean trickleEnabled) {
        this.inputs = inputs;
        this.parser = parser;
        this.ingestion = ingestion;
        this.traffic = new DemoTraffic(json);
        this.clock = clock;
        this.users = users;
        this.trickleEnabled = trickleEnabled;
    }

    /** Sends the history: each user's sessions of the last 30 days, 100 batches per bulk request per input. */
    void loadHistory() {
        long started = System.nanoTime();
        Map<String, Input> byPlatform = inputsByPlatform();
        Map<String, ArrayNode> pending = new HashMap<>();
        Random random = new Random(20261129L);
        Instant now = clock.instant();
        long batches = 0;
        long events = 0;
        for (int number = 1; number <= users; number++) {
            DemoTraffic.User user = DemoTraffic.user(number, random);
            int sessions = 1 + random.nextInt(8);
            for (int s = 0; s < sessions; s++) {
                Instant start = now.minus(Duration.ofMinutes(10 + random.nextInt(30 * 24 * 60)));
                var batch = traffic.session(user, start, "production", random);
                events += batch.get("events").size();
                batches++;
                ArrayNode bulk = pending.computeIfAbsent(user.platform(), p -> JsonNodeFactory.instance.arrayNode());
                bulk.add(batch);
                if (bulk.size() == BatchParser.MAX_BATCHES_PER_BULK) {
                    send(byPlatform.get(user.platform()), bulk);
                    pending.remove(user.platform());
                }
            }
        }
        pending.forEach((platform, bulk) -> send(byPlatform.get(platform), bulk));
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Demo history ingested through the Events API path: {} users, {} batches, {} events in {} ms",
                users, batches, events, millis);
        ready = true;
    }

    @Scheduled(initialDelayString = "${openaudience.demo.trickle-interval:PT2S}",
            fixedDelayString = "${openaudience.demo.trickle-interval:PT2S}")
    void trickle() {
        if (!ready || !trickleEnabled) {
            return;
        }
        Map<String, Input> byPlatform;
        try {
            byPlatform = inputsByPlatform();
        } catch (IllegalStateException e) {
            log.warn("Stopping the demo trickle: {}", e.getMessage());
            ready = false;
            return;
        }
        DemoTraffic.User user = DemoTraffic.user(1 + trickleRandom.nextInt(users), trickleRandom);
        ArrayNode bulk = JsonNodeFactory.instance.arrayNode();
        bulk.add(traffic.trickle(user, clock.instant(), trickleRandom));
        send(byPlatform.get(user.platform()), bulk);
    }

    /** Lets the trickle start on a database whose history was loaded by an earlier run. */
    void markReady() {
        ready = true;
    }

    private void send(Input input, ArrayNode bulk) {
        ingestion.ingest(input, parser.parseBulk(traffic.bytes(bulk), input.platform().wireName(), clock.instant()));
    }

    private Map<String, Input> inputsByPlatform() {
        Map<String, Input> byPlatform = new HashMap<>();
        for (String[] entry : List.of(new String[] {"web", "mptravel-web"}, new String[] {"iOS", "mptravel-ios"},
                new String[] {"Android", "mptravel-android"})) {
            byPlatform.put(entry[0], inputs.findByCredentials(entry[1], entry[1] + "-secret").orElseThrow(() ->
                    new IllegalStateException("Demo input " + entry[1] + " is missing or its secret was rotated")));
        }
        return byPlatform;
    }
}
