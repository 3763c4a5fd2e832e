package org.openaudience.output;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * POSTs a batch as JSON, signed; any 2xx answer counts as delivered, anything else is retried.
 *
 * <p>Where it connects: Apache HttpClient asks {@link DestinationPolicy#addressesFor} (its {@link DnsResolver}) for
 * the addresses of the URL's host — looked up once and each checked — and opens the socket to one of exactly those.
 * The request itself keeps the URL's host name, so the {@code Host} header, TLS SNI and the certificate's host name
 * check are the ordinary ones. (The JDK's HttpClient cannot be given addresses: connecting it to the IP literal
 * would need the restricted {@code Host} header and breaks certificate checks.)
 *
 * <p>What people see of the outcome is the status code or a short fixed reason: never the receiver's body or an
 * exception's text, which could carry whatever an internal service answered.
 */
@Component
class WebhookSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final MembershipMessages messages;
    private final Duration requestTimeout;
    private final CloseableHttpClient client;
    /** Runs each exchange, so the delivery thread waits interruptibly and for the whole exchange at most. */
    private final ExecutorService exchanges = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-exchange");
        thread.setDaemon(true);
        return thread;
    });

    WebhookSender(MembershipMessages messages, DestinationPolicy destinations,
                  @Value("${openaudience.delivery.request-timeout}") Duration requestTimeout) {
        this.messages = messages;
        this.requestTimeout = requestTimeout;
        Timeout timeout = Timeout.of(requestTimeout);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedDns(destinations))
                        .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                        // a kept connection is reused for a minute at most: then the host is looked up again
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT)).setSocketTimeout(timeout)
                                .setTimeToLive(TimeValue.ofMinutes(1)).build())
                        .setMaxConnTotal(64).setMaxConnPerRoute(8)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout).build())
                // a POST is never repeated here (the worker retries with backoff) nor sent on to another URL
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("OpenAudience")
                .build();
    }

    @Override
    public OutputKind kind() {
        return OutputKind.WEBHOOK;
    }

    @Override
    public String send(Output output, Delivery delivery) throws DeliveryFailure {
        byte[] body = messages.json(delivery).getBytes(StandardCharsets.UTF_8);
        HttpPost post = new HttpPost(target(output));
        post.setEntity(new ByteArrayEntity(body, ContentType.create("application/json")));
        post.setHeader(MembershipMessages.SIGNATURE_HEADER, MembershipMessages.signature(output.secret(), body));
        post.setHeader(MembershipMessages.DELIVERY_HEADER, delivery.deliveryId());
        HeaderLines.parse(output.headers()).forEach(header -> post.addHeader(header.name(), header.value()));
        Future<Integer> exchange = exchanges.submit(() -> statusOf(post));
        int status;
        try {
            status = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            post.cancel();
            exchange.cancel(true);
            throw new DeliveryFailure("No answer from " + host(output) + " within " + requestTimeout.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // the full text stays in the server's log: it may quote what an internal service answered
            log.info("Webhook of output {} to {} failed: {}", output.id(), host(output), cause.toString());
            throw new DeliveryFailure("Could not reach " + host(output) + ": " + reason(cause), cause);
        } catch (InterruptedException e) {
            post.cancel();
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("Delivery interrupted (the server is stopping)", e);
        }
        if (status / 100 != 2) {
            throw new DeliveryFailure("HTTP " + status + " from " + host(output));
        }
        return "HTTP " + status;
    }

    /** Sends the request and takes the status code; a body is not read: the connection is dropped instead. */
    private int statusOf(HttpPost post) throws IOException {
        ClassicHttpResponse response = client.executeOpen(null, post, null);
        int status = response.getCode();
        if (response.getEntity() == null || response.getEntity().getContentLength() == 0) {
            response.close(); // nothing to read: the connection goes back to the pool
        } else {
            post.cancel(); // closes the connection at once; closing the response would read the body to its end
            try {
                response.close();
            } catch (IOException alreadyClosed) {
                log.trace("Closing a cancelled webhook response", alreadyClosed);
            }
        }
        return status;
    }

    /** The output's URL without user:password@, which was never sent (the service refuses it on save now). */
    private static URI target(Output output) {
        URI uri = URI.create(output.url());
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String authority = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
        return URI.create(uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String host(Output output) {
        URI uri = URI.create(output.url());
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** A short fixed reason for a failed exchange; our own refusals say which address and why. */
    static String reason(Throwable e) {
        if (e instanceof DestinationPolicy.RefusedDestination refused) {
            return refused.getMessage();
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out waiting for the answer";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
            return "its TLS certificate is not for this host";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return causedBy(e, java.security.cert.CertificateException.class) ? "its TLS certificate is not trusted"
                    : "TLS handshake failed";
        }
        if (e instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            return "the connection closed without an answer";
        }
        if (e instanceof org.apache.hc.core5.http.ProtocolException
                || e instanceof org.apache.hc.core5.http.ParseException
                || e instanceof org.apache.hc.core5.http.MessageConstraintException) {
            return "the answer is not HTTP";
        }
        if (e instanceof java.net.SocketException) {
            return "connection lost";
        }
        return "failed (" + e.getClass().getSimpleName() + ")";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void close() {
        exchanges.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }

    /** HttpClient's name lookup, answered by the destination policy: checked addresses or a refusal. */
    private record CheckedDns(DestinationPolicy destinations) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return destinations.addressesFor(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // only for Kerberos, which webhooks do not use; no lookup that nobody checks
        }
    }
}
