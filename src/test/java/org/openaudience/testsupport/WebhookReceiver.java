package org.openaudience.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on a random loopback port: answers 503 to the first {@code failFirst} requests (or from a
 * given request on), 204 otherwise; keeps every request it accepted in arrival order, and every body it got.
 */
public class WebhookReceiver implements AutoCloseable {

    /** @param headers every request header, by name as the JDK's server writes it ({@code X-team}) */
    public record Received(String body, String signature, String deliveryId, JsonNode json,
                           Map<String, List<String>> headers) {

        /** The first value of a header, whatever the case of its name; null when it was not sent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(header -> header.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<JsonNode> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFrom = new AtomicInteger(Integer.MAX_VALUE);
    public volatile long answerDelayMs;

    public WebhookReceiver(int failFirst) {
        this.failuresLeft = new AtomicInteger(failFirst);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            int number = requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.add(JSON.readTree(body));
            if (failuresLeft.getAndDecrement() > 0 || number >= failFrom.get()) {
                byte[] answer = "receiver warming up".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
                return;
            }
            sleep(answerDelayMs);
            accepted.add(new Received(body, exchange.getRequestHeaders().getFirst("X-OpenAudience-Signature"),
                    exchange.getRequestHeaders().getFirst("X-OpenAudience-Delivery"), JSON.readTree(body),
                    Map.copyOf(exchange.getRequestHeaders())));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void failNext(int count) {
        failuresLeft.set(count);
    }

    /** Refuses the request with this number (from 1) and every one after it, until {@link #heal()}. */
    public void failFrom(int requestNumber) {
        failFrom.set(requestNumber);
    }

    public void heal() {
        failuresLeft.set(0);
        failFrom.set(Integer.MAX_VALUE);
    }

    /** Every request body, refused or not, in arrival order. */
    public List<JsonNode> attempts() {
        return List.copyOf(attempts);
    }

    public int requests() {
        return requests.get();
    }

    public List<Received> accepted() {
        return List.copyOf(accepted);
    }

    /** Every member line received, in arrival order, as "add:mpid" / "remove:mpid". */
    public List<String> actions() {
        List<String> actions = new ArrayList<>();
        for (Received received : accepted) {
            received.json().get("members").forEach(member -> actions.add(member.get("action").asText() + ":"
                    + member.get("mpid").asLong()));
        }
        return actions;
    }

    /** Members after applying every received line in order. */
    public Set<Long> membersAfterReplay() {
        Set<Long> members = new LinkedHashSet<>();
        for (String action : actions()) {
            long mpid = Long.parseLong(action.substring(action.indexOf(':') + 1));
            if (action.startsWith("add")) {
                members.add(mpid);
            } else {
                members.remove(mpid);
            }
        }
        return members;
    }

    private static void sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
