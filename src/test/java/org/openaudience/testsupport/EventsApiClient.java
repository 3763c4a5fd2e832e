package org.openaudience.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openaudience.input.InputCredentials;

/** Sends to the Events API of an app running on a port, over real HTTP, as an SDK would (redirects not followed). */
public class EventsApiClient {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String authorization;

    public EventsApiClient(int port, InputCredentials credentials) {
        this.baseUrl = "http://localhost:" + port;
        this.authorization = basic(credentials.apiKey(), credentials.secret());
    }

    /** An answer: status, body and headers. */
    public record Response(int status, String body, HttpHeaders headers) {
    }

    /** The {@code Authorization} header value for HTTP Basic with this key and secret. */
    public static String basic(String apiKey, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((apiKey + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Authorization} header value of this client's credentials. */
    public String authorization() {
        return authorization;
    }

    /** POSTs a JSON body to a path such as {@code /v2/events}. */
    public Response post(String path, String json) {
        HttpResponse<String> response = send(request("POST", path, "application/json", json, null)
                .header("Authorization", authorization));
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    /**
     * A request with any method to a path of the app, without credentials; a null body, Content-Type or Accept is
     * left out.
     */
    public HttpRequest.Builder request(String method, String path, String contentType, String body, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (accept != null) {
            builder.header("Accept", accept);
        }
        return builder;
    }

    /** Sends a request as built; returns the answer as it came. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code threads} calls released together by one latch, as clients launching at the same moment do; returns
     * their results in thread order.
     */
    public static <T> List<T> atOnce(int threads, IntFunction<Callable<T>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> work = call.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return work.call();
                }));
            }
            ready.await(30, TimeUnit.SECONDS);
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
