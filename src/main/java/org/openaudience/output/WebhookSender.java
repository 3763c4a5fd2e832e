package org.openaudience.output;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** POSTs a batch as JSON, signed; any 2xx answer counts as delivered, anything else is retried. */
@Component
class WebhookSender implements Sender {

    private static final int MAX_REASON = 200;
    private static final int KEPT_BODY_BYTES = 1024;

    private final MembershipMessages messages;
    private final Duration requestTimeout;
    private final HttpClient client;

    WebhookSender(MembershipMessages messages,
                  @Value("${openaudience.delivery.request-timeout}") Duration requestTimeout) {
        this.messages = messages;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: no h2c upgrade headers on a request with a body, which some servers and proxies refuse
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public OutputKind kind() {
        return OutputKind.WEBHOOK;
    }

    @Override
    public String send(Output output, Delivery delivery) throws DeliveryFailure {
        byte[] body = messages.json(delivery).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(output.url()))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "OpenAudience")
                .header(MembershipMessages.SIGNATURE_HEADER, MembershipMessages.signature(output.secret(), body))
                .header(MembershipMessages.DELIVERY_HEADER, delivery.deliveryId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (output.headers() != null) {
            output.headers().lines().filter(line -> line.contains(":")).forEach(line -> request.header(
                    line.substring(0, line.indexOf(':')).trim(), line.substring(line.indexOf(':') + 1).trim()));
        }
        // the whole exchange, body included, is bounded in time; of the body only the first kilobyte is kept
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request.build(), firstKilobyte());
        HttpResponse<String> response;
        try {
            response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new DeliveryFailure("No answer from " + host(output) + " within " + requestTimeout.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DeliveryFailure("Could not reach " + host(output) + ": " + describe(cause), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("Delivery interrupted (the server is stopping)", e);
        }
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            throw new DeliveryFailure("HTTP " + response.statusCode() + " from " + host(output)
                    + (answer.isEmpty() ? "" : ": " + abbreviate(answer)));
        }
        return "HTTP " + response.statusCode();
    }

    private static String host(Output output) {
        URI uri = URI.create(output.url());
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** Keeps the first kilobyte of a body (for the reason people see) and discards the rest as it arrives. */
    private static HttpResponse.BodyHandler<String> firstKilobyte() {
        return info -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk ->
                    chunk.ifPresent(bytes -> kept.write(bytes, 0, Math.min(bytes.length,
                            Math.max(0, KEPT_BODY_BYTES - kept.size()))))), done -> kept.toString(StandardCharsets.UTF_8));
        };
    }

    private static String describe(Throwable e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON) + "…";
    }
}
