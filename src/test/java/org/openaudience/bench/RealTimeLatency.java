package org.openaudience.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openaudience.input.InputCredentials;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 202 → membership change under load: Events API requests at a steady rate carry activity of existing users (which
 * real time re-evaluates against every active audience) plus, in each request, one new user who plays a Paris video
 * and so joins the watched audience. A separate thread polls {@code membership_change} for those users' REALTIME
 * adds; the latency of each is from its request's 202 to the poll that first sees the row.
 */
final class RealTimeLatency {

    /**
     * The latencies of every probe, and of those acknowledged after the first {@link #FIRST_SECONDS}: the first
     * real-time rounds after the audiences were activated run cold (first plans, first code paths), and a second's
     * round there lifts the whole run's p99.
     */
    record Figures(long events, long requests, long probes, List<Double> latencies, List<Double> afterFirstSeconds,
                   double seconds) {
        double percentile(double p) {
            return percentile(latencies, p);
        }

        double percentileAfterFirstSeconds(double p) {
            return percentile(afterFirstSeconds, p);
        }

        private static double percentile(List<Double> sorted, double p) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    static final int FIRST_SECONDS = 5;

    static final int BATCHES_PER_REQUEST = 10;
    static final int EVENTS_PER_BATCH = 10;

    private final URI uri;
    private final String auth;
    private final JdbcClient jdbc;
    private final long workspaceId;
    private final long watchedAudienceId;
    /** The generated users the requests' existing users are drawn from, with their platforms. */
    private final AudienceBenchData data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    RealTimeLatency(int port, InputCredentials credentials, JdbcClient jdbc, long workspaceId, long watchedAudienceId,
                    AudienceBenchData data) {
        this.uri = URI.create("http://localhost:" + port + "/v2/bulkevents");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((credentials.apiKey() + ":" + credentials.secret())
                .getBytes(StandardCharsets.UTF_8));
        this.jdbc = jdbc;
        this.workspaceId = workspaceId;
        this.watchedAudienceId = watchedAudienceId;
        this.data = data;
    }

    Figures run(int eventsPerSecond, int seconds, Runnable clockTick) throws InterruptedException {
        int requestsPerSecond = Math.max(1, eventsPerSecond / (BATCHES_PER_REQUEST * EVENTS_PER_BATCH));
        long lastChange = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM membership_change").query(Long.class).single();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        // the pacer only hands out requests, so a slow response never delays the next one
        java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(8);
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        AtomicLong requests = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong after = new AtomicLong(lastChange);
        String run = Long.toString(System.currentTimeMillis(), 36);
        poller.scheduleWithFixedDelay(clockTick, 0, 10, TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(() -> poll(after), 0, 20, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        pacer.scheduleAtFixedRate(() -> senders.execute(() -> {
            long sequence = requests.getAndIncrement();
            try {
                send(run, sequence);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }), 0, 1_000_000L / requestsPerSecond, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        pacer.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (seen.size() < acknowledged.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        poller.shutdownNow();
        if (failure.get() != null) {
            throw new IllegalStateException("Sending failed", failure.get());
        }
        List<Double> latencies = new ArrayList<>();
        List<Double> afterFirstSeconds = new ArrayList<>();
        long warm = started + TimeUnit.SECONDS.toNanos(FIRST_SECONDS);
        acknowledged.forEach((customer, ack) -> {
            Long detected = seen.get(customer);
            if (detected != null) {
                latencies.add(Math.max(0, detected - ack) / 1e6);
                if (ack >= warm) {
                    afterFirstSeconds.add(Math.max(0, detected - ack) / 1e6);
                }
            }
        });
        Collections.sort(latencies);
        Collections.sort(afterFirstSeconds);
        long sent = requests.get();
        return new Figures(sent * BATCHES_PER_REQUEST * EVENTS_PER_BATCH, sent, acknowledged.size(), latencies,
                afterFirstSeconds, elapsed);
    }

    private void poll(AtomicLong after) {
        try {
            long now = System.nanoTime();
            jdbc.sql("""
                            SELECT c.id, i.identity_value FROM membership_change c
                            JOIN profile_identity i ON i.workspace_id = ? AND i.identity_type = 'customer_id'
                                 AND i.mpid = c.mpid
                            WHERE c.id > ? AND c.audience_id = ? AND c.cause = 'REALTIME' AND c.change_type = 'ADD'""")
                    .params(workspaceId, after.get(), watchedAudienceId)
                    .query((rs, row) -> {
                        after.accumulateAndGet(rs.getLong(1), Math::max);
                        seen.putIfAbsent(rs.getString(2), now);
                        return null;
                    }).list();
        } catch (RuntimeException e) {
            // a missed poll only delays detection; the next one catches up
        }
    }

    private void send(String run, long sequence) throws Exception {
        Random random = new Random(sequence);
        long time = System.currentTimeMillis() - 2_000; // safely before the app clock's "now"
        String probe = "probe-" + run + "-" + sequence;
        StringBuilder body = new StringBuilder(32 * 1024).append('[');
        for (int b = 0; b < BATCHES_PER_REQUEST; b++) {
            boolean isProbe = b == 0;
            int user = random.nextInt(data.profiles);
            String customer = isProbe ? probe : AudienceBenchData.customerId(user);
            // an existing user keeps the platform generated for them: another one would be added to their profile,
            // and a database reused for a later run would then no longer match the generated files DuckDB reads
            String platform = isProbe ? "iOS" : data.platform(user);
            body.append(b == 0 ? "" : ",").append("{\"environment\":\"production\",\"user_identities\":")
                    .append("{\"customer_id\":\"").append(customer).append("\"},")
                    .append(isProbe ? "\"user_attributes\":{\"status\":\"Premium\",\"$country\":\"FR\",\"age\":30}," : "")
                    .append("\"device_info\":{\"platform\":\"").append(platform).append("\"},\"events\":[");
            for (int e = 0; e < EVENTS_PER_BATCH; e++) {
                body.append(e == 0 ? "" : ",");
                if (isProbe && e == 0) {
                    body.append("{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Play Video\",")
                            .append("\"custom_event_type\":\"media\",\"timestamp_unixtime_ms\":").append(time)
                            .append(",\"custom_attributes\":{\"category\":\"Destination Intro\",")
                            .append("\"destination\":\"pArIs\"}}}");
                } else if (e % 3 == 0) {
                    body.append("{\"event_type\":\"screen_view\",\"data\":{\"screen_name\":\"Destination ")
                            .append(random.nextInt(20)).append("\",\"timestamp_unixtime_ms\":").append(time)
                            .append("}}");
                } else {
                    String name = AudienceBenchData.EVENT_NAMES.get(20 + random.nextInt(100));
                    body.append("{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"").append(name)
                            .append("\",\"custom_event_type\":\"navigation\",\"timestamp_unixtime_ms\":").append(time)
                            .append(",\"custom_attributes\":{\"category\":\"Food\"}}}");
                }
            }
            body.append("]}");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long ack = System.nanoTime();
        if (response.statusCode() != 202) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        acknowledged.put(probe, ack);
    }
}
