package org.openaudience.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.springframework.stereotype.Service;

/**
 * Member downloads written straight to a stream (the REST API), as CSV or NDJSON: the same membership, identity
 * types, A/B split, CSV ({@link MemberCsv}) and audit entry as the Download dialog's ZIP, without a file between.
 * Everything a caller can get wrong is checked by {@link #prepare} before a byte is written.
 */
@Service
public class MemberStreams {

    /** The identity types the Download dialog ticks when the workspace has them. */
    static final List<String> DEFAULT_TYPES = List.of("customer_id", "email");

    public enum Format {
        /** The download's {@code members.csv}, byte for byte. */
        CSV("text/csv", "csv"),
        /** One JSON object a line, with the CSV's columns as fields and values as stored (not spreadsheet-escaped). */
        NDJSON("application/x-ndjson", "ndjson");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    private final AudienceService audiences;
    private final AudienceMembers members;
    private final MemberExports exports;
    private final AudienceVariations variations;
    private final AccessGuard guard;
    private final ObjectMapper json;
    private final Clock clock;

    MemberStreams(AudienceService audiences, AudienceMembers members, MemberExports exports,
                  AudienceVariations variations, AccessGuard guard, ObjectMapper json, Clock clock) {
        this.audiences = audiences;
        this.members = members;
        this.exports = exports;
        this.variations = variations;
        this.guard = guard;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Checks a download: the member may download the audience's members, the identity types are the workspace's
     * (null: those the Download dialog ticks; "mpid" is always the first column), the variation exists in the saved
     * A/B test (null: all members). Nothing is read or audited yet.
     */
    public MemberStream prepare(long audienceId, Format format, Collection<String> identityTypes, Integer variation) {
        Audience audience = audiences.audience(audienceId);
        guard.require(Capability.DOWNLOAD_AUDIENCES, audience.workspaceId(),
                () -> AudienceService.notFound(audienceId));
        Set<String> types = identityTypes(audience.workspaceId(), identityTypes);
        String fileName = safe(audience.name()) + "-members";
        AudienceVariations.Split split = null;
        if (variation != null) {
            split = variations.savedSplit(audienceId).orElseThrow(() -> new InvalidRequestException("variation",
                    "This audience has no saved A/B test, so it has no variations; leave variation out."));
            if (variation < 0 || variation >= split.names().size()) {
                throw new InvalidRequestException("variation", "Variation " + variation + " does not exist; use "
                        + "0 (" + split.names().get(0) + ") to " + (split.names().size() - 1) + ".");
            }
            // as the dialog names the variation's CSV in its ZIP
            fileName += "-" + safe(split.names().get(variation)).toLowerCase(Locale.ROOT);
        }
        return new MemberStream(audienceId, format, types, variation, split, fileName + "." + format.extension);
    }

    private Set<String> identityTypes(long workspaceId, Collection<String> asked) {
        List<String> known = exports.identityTypes(workspaceId);
        if (asked == null) {
            return new TreeSet<>(known.stream().filter(DEFAULT_TYPES::contains).toList());
        }
        Set<String> types = new TreeSet<>();
        for (String type : asked) {
            String clean = type == null ? "" : type.strip();
            if (clean.isEmpty() || clean.equals("mpid")) {
                continue;
            }
            if (!known.contains(clean)) {
                String shown = clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
                throw new InvalidRequestException("identity_types", "Unknown identity type \"" + shown + "\"; "
                        + (known.isEmpty() ? "this workspace has no identities yet."
                        : "this workspace has " + String.join(", ", known) + "."));
            }
            types.add(clean);
        }
        return types;
    }

    /** File names as the Download dialog makes them: letters, digits, dots, dashes and underscores. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "-");
    }

    /** A checked download of an audience's members, ready to write. */
    public final class MemberStream {

        private final long audienceId;
        private final Format format;
        private final Set<String> identityTypes;
        private final Integer variation;
        private final AudienceVariations.Split split;
        private final String fileName;

        private MemberStream(long audienceId, Format format, Set<String> identityTypes, Integer variation,
                             AudienceVariations.Split split, String fileName) {
            this.audienceId = audienceId;
            this.format = format;
            this.identityTypes = identityTypes;
            this.variation = variation;
            this.split = split;
            this.fileName = fileName;
        }

        public Format format() {
            return format;
        }

        /** e.g. {@code Paris-premium-viewers-members.csv}. */
        public String fileName() {
            return fileName;
        }

        public Set<String> identityTypes() {
            return identityTypes;
        }

        /**
         * Writes the members row by row as the database returns them (never all in memory) and audits the
         * download, as the Download dialog's export does.
         *
         * @return the rows written, the header not counted
         */
        public long writeTo(OutputStream out) throws IOException {
            // the moment the membership is read; every row carries it
            long scannedAt = clock.millis();
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            MemberCsv csv = format == Format.CSV ? new MemberCsv(writer) : null;
            long[] rows = {0};
            try {
                members.streamMembers(audienceId, identityTypes, row -> {
                    if (split != null && split.positionOf().applyAsInt(row.mpid()) != variation) {
                        return;
                    }
                    try {
                        if (csv != null) {
                            csv.print(row, scannedAt);
                        } else {
                            writer.write(ndjson(row, scannedAt));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    rows[0]++;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (csv != null) {
                csv.flush();
            }
            writer.flush();
            return rows[0];
        }

        private String ndjson(MemberRow row, long scannedAt) throws IOException {
            ObjectNode line = json.createObjectNode();
            line.put(MemberCsv.HEADER[0], Long.toString(row.mpid())); // a string: 64 bits lose digits in JavaScript
            line.put(MemberCsv.HEADER[1], scannedAt);
            line.put(MemberCsv.HEADER[2], row.identityValue());
            line.put(MemberCsv.HEADER[3], row.identityType());
            return json.writeValueAsString(line) + "\n";
        }
    }
}
