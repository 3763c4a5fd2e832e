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
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The mParticle-compatible Events API (PRODUCT.md §5). Answers 202 only after the request's data is committed.
 * Checks, in order: credentials (401 / 403), size (413), JSON and fields (400), rate (429).
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
class EventsApiController {

    static final int MAX_REQUEST_BYTES = 256 * 1024;

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
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"OpenAudience Events API\"")
                    .body(errors("UNAUTHORIZED", "Send the input's API key and secret with HTTP Basic "
                            + "authentication."));
        }
        Optional<Input> input = inputs.findByCredentials(credentials.get()[0], credentials.get()[1]);
        if (input.isEmpty()) {
            return error(HttpStatus.FORBIDDEN, "FORBIDDEN", "The API key and secret are not valid.");
        }
        if (!input.get().enabled()) {
            return error(HttpStatus.FORBIDDEN, "FORBIDDEN", "The input of this API key is disabled.");
        }
        byte[] body = readLimited(request);
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
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter))
                    .body(errors("TOO_MANY_REQUESTS", "The input's rate limit is exceeded; retry after "
                            + retryAfter + " s."));
        }
        ingestion.ingest(input.get(), batches);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of());
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
        return ResponseEntity.status(status).body(errors(code, message));
    }

    private static Map<String, Object> errors(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }
}
