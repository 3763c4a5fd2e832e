package org.openaudience.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UrlPathHelper;

/**
 * The mParticle-compatible Events API (PRODUCT.md §5). Answers 202 only after the request's data is committed.
 * Checks, in order: credentials (401 / 403), Content-Type (415), size (413), JSON and fields (400), rate (429).
 * Every answer is JSON whatever the client's {@code Accept} (so no {@code produces} here: a mismatch would become
 * Spring's 406 and an HTML error page); failures are answered by {@link EventsApiErrors} and
 * {@link EventsApiErrorFilter}.
 */
@RestController
@RequestMapping("/v2")
class EventsApiController {

    static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** The paths of the two POST mappings below, for the 405 of other methods on them. */
    static final Set<String> ENDPOINTS = Set.of("/v2/events", "/v2/bulkevents");
    private static final MediaType ANY_JSON = new MediaType("application", "*+json");

    private static final Logger log = LoggerFactory.getLogger(EventsApiController.class);

    private final InputService inputs;
    private final BatchParser parser;
    private final IngestionService ingestion;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    EventsApiController(InputService inputs, BatchParser parser, IngestionService ingestion, RateLimiter rateLimiter,
                        Clock clock) {
        this.inputs = inputs;
        this.parser = parser;
        this.ingestion = ingestion;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
    }

    @PostMapping("/events")
    ResponseEntity<Object> events(HttpServletRequest request) throws IOException {
        return handle(request, false);
    }

    @PostMapping("/bulkevents")
    ResponseEntity<Object> bulkEvents(HttpServletRequest request) throws IOException {
        return handle(request, true);
    }

    private ResponseEntity<Object> handle(HttpServletRequest request, boolean bulk) throws IOException {
        Optional<String[]> credentials = basicCredentials(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (credentials.isEmpty()) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"OpenAudience Events API\"")
                    .body(EventsApiAnswers.body("UNAUTHORIZED", "Send the input's API key and secret with HTTP Basic "
                            + "authentication."));
        }
        Optional<Input> input = inputs.findByCredentials(credentials.get()[0], credentials.get()[1]);
        if (input.isEmpty()) {
            return error(HttpStatus.FORBIDDEN, "FORBIDDEN", "The API key and secret are not valid.");
        }
        request.setAttribute(EventsApiAnswers.INPUT_ID_ATTRIBUTE, input.get().id());
        if (!input.get().enabled()) {
            return error(HttpStatus.FORBIDDEN, "FORBIDDEN", "The input of this API key is disabled.");
        }
        if (!isJson(request.getContentType())) {
            return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE + ", " + ANY_JSON)
                    .body(EventsApiAnswers.body("UNSUPPORTED_MEDIA_TYPE", "The body must be JSON: send it with "
                            + "Content-Type: application/json."));
        }
        byte[] body;
        try {
            body = readLimited(request);
        } catch (IOException e) {
            // the client closed the connection or stalled mid-body: its own doing, not a fault of ours
            log.warn("Events API body not read completely: {} {} (input {}): {}", request.getMethod(),
                    request.getRequestURI(), input.get().id(), e.toString());
            return error(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "The request body could not be read completely.");
        }
        if (body == null) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE, "REQUEST_TOO_LARGE",
                    "The request body is larger than " + MAX_REQUEST_BYTES / 1024 + " KB.");
        }
        List<IncomingBatch> batches;
        try {
            String platform = input.get().platform().wireName();
            batches = bulk ? parser.parseBulk(body, platform, clock.instant())
                    : parser.parseSingle(body, platform, clock.instant());
        } catch (BadRequestException e) {
            return error(HttpStatus.BAD_REQUEST, "BAD_REQUEST", e.getMessage());
        }
        long retryAfter = rateLimiter.acquire(input.get().id(), Math.max(batches.size(), 1));
        if (retryAfter > 0) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter))
                    .body(EventsApiAnswers.body("TOO_MANY_REQUESTS", "The input's rate limit is exceeded; retry after "
                            + retryAfter + " s."));
        }
        ingestion.ingest(input.get(), batches);
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON).body(Map.of());
    }

    /**
     * Everything else under /v2. Without it Spring hands the request on to the Vaadin servlet, which answers its
     * HTML route-not-found page with 200 and a new session. Other methods on an endpoint arrive here too (this
     * mapping matches any method), so they get their 405 here.
     */
    @RequestMapping("/**")
    ResponseEntity<Object> notAnEndpoint(HttpServletRequest request) {
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        if (ENDPOINTS.contains(path)) {
            return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.ALLOW, HttpMethod.POST.name())
                    .body(EventsApiAnswers.body("METHOD_NOT_ALLOWED", "Use POST; " + request.getMethod()
                            + " is not supported here."));
        }
        return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "There is no Events API endpoint at " + path
                + "; use POST /v2/events or POST /v2/bulkevents.");
    }

    /**
     * JSON by its Content-Type: application/json or application/*+json, with any parameters (charset). A missing
     * Content-Type is taken as JSON: the body is parsed as JSON either way, and server-to-server clients that leave
     * the header out would otherwise lose their events for nothing. Anything else (text/plain, forms, multipart,
     * an unparseable value) is refused, since such a body was not meant as a batch.
     */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.includes(type) || ANY_JSON.includes(type);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** The body, or null when it is over the limit; a declared length over it is refused before reading. */
    private static byte[] readLimited(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_REQUEST_BYTES) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            return body.length > MAX_REQUEST_BYTES ? null : body;
        }
    }

    private static Optional<String[]> basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<Object> error(HttpStatus status, String code, String message) {
        return EventsApiAnswers.error(status, code, message);
    }
}
