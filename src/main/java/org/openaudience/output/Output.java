package org.openaudience.output;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A destination for audience memberships in a workspace: a webhook (URL, HMAC secret, extra headers) or a CSV file
 * drop (a folder under the server's file-drop root). Both deliver in batches of {@code batchSize} members and turn
 * a connection Faulted after {@code maxAttempts} failed attempts in a row.
 *
 * @param headers extra request headers, one {@code Name: value} per line; their values are credentials
 * @param folder  the drop folder relative to the file-drop root
 */
@Table("output")
public record Output(@Id Long id, Long workspaceId, String name, OutputKind kind, String url, String secret,
                     String headers, String folder, int batchSize, int maxAttempts, String createdBy,
                     Instant createdAt, String updatedBy, Instant updatedAt, @Version Integer version) {

    public static final int MAX_NAME_LENGTH = 100;
    /** What people see instead of a saved header value. */
    public static final String MASKED_VALUE = "••••••";

    static Output create(long workspaceId, OutputSettings settings, String by, Instant now) {
        return new Output(null, workspaceId, settings.name(), settings.kind(), settings.url(), settings.secret(),
                settings.headers(), settings.folder(), settings.batchSize(), settings.maxAttempts(), by, now, by, now,
                null);
    }

    Output withSettings(OutputSettings settings, String by, Instant now) {
        return new Output(id, workspaceId, settings.name(), settings.kind(), settings.url(), settings.secret(),
                settings.headers(), settings.folder(), settings.batchSize(), settings.maxAttempts(), createdBy,
                createdAt, by, now, version);
    }

    /**
     * For lists and dialogs, which travel to the browser: no secret, and header names with masked values (the
     * service keeps a masked value on save).
     */
    Output withoutSecrets() {
        return new Output(id, workspaceId, name, kind, url, null, headers == null ? null : maskedHeaders(),
                folder, batchSize, maxAttempts, createdBy, createdAt, updatedBy, updatedAt, version);
    }

    /** The extra headers with their values masked: what a person may see of them. */
    public String maskedHeaders() {
        return headers == null ? "" : HeaderLines.masked(headers);
    }

    /** Where it delivers without anything secret a URL may carry in its path or query: scheme, host, port. */
    public String shortDestination() {
        return shortDestination(kind, url, folder);
    }

    static String shortDestination(OutputKind kind, String url, String folder) {
        if (kind == OutputKind.FILE_DROP) {
            return folder;
        }
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** Never the secret, which logs and debuggers would otherwise show. */
    @Override
    public String toString() {
        return "Output[id=" + id + ", workspaceId=" + workspaceId + ", name=" + name + ", kind=" + kind
                + ", destination=" + shortDestination() + "]";
    }

    /** Where it delivers, for lists: the URL or the folder. */
    public String destination() {
        return kind == OutputKind.WEBHOOK ? url : folder;
    }
}
