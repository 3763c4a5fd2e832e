package org.openaudience.output;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Setup › Outputs (PRODUCT.md §3.7): webhooks and CSV file drops of a workspace. Admins, Support and Users manage
 * them; everyone who may connect audiences sees their names.
 */
@Service
public class OutputService {

    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final OutputRepository outputs;
    private final FileDropRoot fileDropRoot;
    private final DestinationPolicy destinations;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OutputService(OutputRepository outputs, FileDropRoot fileDropRoot, DestinationPolicy destinations,
                  AccessGuard guard, AuditLog audit, JdbcClient jdbc, Clock clock) {
        this.outputs = outputs;
        this.fileDropRoot = fileDropRoot;
        this.destinations = destinations;
        this.guard = guard;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<Output> page(long workspaceId, int offset, int limit) {
        guard.require(Capability.MANAGE_OUTPUTS, workspaceId);
        int size = Math.max(limit, 1);
        return outputs.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(offset / size, size)).stream()
                .map(Output::withoutSecrets).toList();
    }

    @Transactional(readOnly = true)
    public int count(long workspaceId) {
        guard.require(Capability.MANAGE_OUTPUTS, workspaceId);
        return (int) outputs.countByWorkspaceId(workspaceId);
    }

    /** The outputs an audience of the workspace can be connected to, for the Connect tab (no secrets). */
    @Transactional(readOnly = true)
    public List<OutputChoice> choices(long workspaceId) {
        guard.require(Capability.CONNECT_AUDIENCES, workspaceId);
        return outputs.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(0, 1000)).stream()
                .map(output -> new OutputChoice(output.id(), output.name(), output.kind())).toList();
    }

    /** The server folder a workspace's file drops are in (each workspace has its own). */
    public java.nio.file.Path fileDropFolder(long workspaceId) {
        guard.require(Capability.MANAGE_OUTPUTS, workspaceId);
        return fileDropRoot.path(workspaceId);
    }

    /** The output with its secret and header values, for the server's own use: views get {@link #page}'s. */
    @Transactional(readOnly = true)
    public Output output(long outputId) {
        Output output = outputs.findById(outputId).orElseThrow(() -> noOutput(outputId));
        guard.require(Capability.MANAGE_OUTPUTS, output.workspaceId(), () -> noOutput(outputId));
        return output;
    }

    /** Audiences connected to the output, by name, for the delete confirmation. */
    @Transactional(readOnly = true)
    public List<String> connectedAudiences(long outputId) {
        output(outputId);
        return jdbc.sql("SELECT DISTINCT a.name FROM output_connection c JOIN audience a ON a.id = c.audience_id"
                + " WHERE c.output_id = ? ORDER BY a.name").param(outputId).query(String.class).list();
    }

    @Transactional
    public Output createOutput(long workspaceId, OutputSettings settings) {
        MemberAccess member = guard.require(Capability.MANAGE_OUTPUTS, workspaceId);
        OutputSettings clean = validate(workspaceId, settings, null);
        if (outputs.existsByWorkspaceIdAndName(workspaceId, clean.name())) {
            throw new InvalidRequestException("name", "This workspace already has an output named \""
                    + clean.name() + "\".");
        }
        Output created = outputs.save(Output.create(workspaceId, clean, member.email(), clock.instant()));
        audit.record(AuditAction.OUTPUT_CREATED, created.name(), created.kind().label() + " "
                + created.shortDestination(), workspaceId);
        return created;
    }

    @Transactional
    public Output updateOutput(long outputId, OutputSettings settings) {
        Output current = outputs.findById(outputId)
                .orElseThrow(() -> noOutput(outputId));
        MemberAccess member = guard.require(Capability.MANAGE_OUTPUTS, current.workspaceId(), () -> noOutput(outputId));
        OutputSettings clean = validate(current.workspaceId(), settings, current);
        if (!clean.name().equalsIgnoreCase(current.name())
                && outputs.existsByWorkspaceIdAndName(current.workspaceId(), clean.name())) {
            throw new InvalidRequestException("name", "This workspace already has an output named \""
                    + clean.name() + "\".");
        }
        Output saved = outputs.save(current.withSettings(clean, member.email(), clock.instant()));
        audit.record(AuditAction.OUTPUT_CHANGED, saved.name(), saved.kind().label() + " "
                + saved.shortDestination(), saved.workspaceId());
        return saved;
    }

    /** Deletes an output that nothing is connected to; connected outputs are refused, naming the audiences. */
    @Transactional
    public void deleteOutput(long outputId) {
        Output output = output(outputId);
        // locked: a connection made meanwhile waits for this (its foreign key check), then finds the output gone
        jdbc.sql("SELECT id FROM output WHERE id = ? FOR UPDATE").param(outputId).query(Long.class).single();
        // a locking read of the connections only: it sees those committed after this transaction's snapshot
        List<Long> audienceIds = jdbc.sql("SELECT audience_id FROM output_connection WHERE output_id = ?"
                + " LOCK IN SHARE MODE").param(outputId).query(Long.class).list();
        List<String> connected = audienceIds.isEmpty() ? List.of() : jdbc.sql("SELECT name FROM audience"
                + " WHERE id IN (:ids) ORDER BY name").param("ids", audienceIds).query(String.class).list();
        if (!connected.isEmpty()) {
            throw new InvalidRequestException(null, "\"" + output.name() + "\" is connected to "
                    + String.join(", ", connected) + ". Disconnect those audiences first.");
        }
        outputs.delete(output);
        audit.record(AuditAction.OUTPUT_DELETED, output.name(), output.kind().label(), output.workspaceId());
    }

    private OutputSettings validate(long workspaceId, OutputSettings settings, Output current) {
        String name = settings.name() == null ? "" : settings.name().trim();
        if (name.isEmpty()) {
            throw new InvalidRequestException("name", "Enter a name.");
        }
        if (name.length() > Output.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "Use at most " + Output.MAX_NAME_LENGTH + " characters.");
        }
        if (settings.kind() == null) {
            throw new InvalidRequestException("kind", "Choose Webhook or CSV file drop.");
        }
        if (current != null && current.kind() != settings.kind()) {
            throw new InvalidRequestException("kind", "The kind of an output cannot change; create a new one.");
        }
        if (settings.batchSize() < 1 || settings.batchSize() > OutputSettings.MAX_BATCH_SIZE) {
            throw new InvalidRequestException("batchSize", "Use 1 to " + OutputSettings.MAX_BATCH_SIZE
                    + " members per batch.");
        }
        if (settings.maxAttempts() < 1 || settings.maxAttempts() > OutputSettings.MAX_MAX_ATTEMPTS) {
            throw new InvalidRequestException("maxAttempts", "Use 1 to " + OutputSettings.MAX_MAX_ATTEMPTS
                    + " attempts.");
        }
        if (settings.kind() == OutputKind.FILE_DROP) {
            return new OutputSettings(name, OutputKind.FILE_DROP, null, null, null,
                    folder(workspaceId, settings.folder()), settings.batchSize(), settings.maxAttempts());
        }
        String url = url(settings.url());
        // what was saved for one host (secret, header values) is not handed to another without being typed again
        boolean sameHost = current != null && hostAndPort(url).equals(hostAndPort(current.url()));
        return new OutputSettings(name, OutputKind.WEBHOOK, url, secret(settings.secret(), current, sameHost),
                HeaderLines.clean(settings.headers(), current == null ? null : current.headers(),
                        current == null || sameHost), null,
                settings.batchSize(), settings.maxAttempts());
    }

    private String url(String url) {
        String clean = url == null ? "" : url.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException("url", "Enter the URL to post to.");
        }
        URI uri;
        try {
            uri = new URI(clean);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url", "Enter an http:// or https:// URL with a host, e.g."
                    + " https://crm.example.com/hooks/audiences (spaces and some characters must be %-encoded).");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null) {
            throw new InvalidRequestException("url", "Enter an http:// or https:// URL with a host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException("url", "Leave user:password@ out of the URL: it is not sent. Put"
                    + " credentials in an extra header such as Authorization.");
        }
        if (uri.getHost() == null) {
            // java.net.URI takes 127.1 or 0x7f.1 for no host; other programs read an address there
            String literal = uri.getRawAuthority().replaceFirst(":[0-9]*$", "");
            if (IpLiteral.isLiteral(IpLiteral.normalize(literal))) {
                destinations.checkAtSave(literal);
            }
            throw new InvalidRequestException("url", "Enter an http:// or https:// URL with a host.");
        }
        if (clean.length() > 2000) {
            throw new InvalidRequestException("url", "Use at most 2000 characters.");
        }
        destinations.checkAtSave(uri.getHost());
        return clean;
    }

    /** Where a URL connects: its host and port (the scheme's default when none is written). */
    private static String hostAndPort(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return IpLiteral.normalize(uri.getHost()) + ":" + port;
    }

    private String secret(String secret, Output current, boolean sameHost) {
        String clean = secret == null ? "" : secret.trim();
        if (clean.isEmpty()) {
            if (current != null && !sameHost) {
                throw new InvalidRequestException("secret", "The URL now points to another host: enter the HMAC"
                        + " secret again, or a new one, so that the old host's secret does not sign for the new"
                        + " one.");
            }
            if (current != null) {
                return current.secret();
            }
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
        if (clean.length() < 16 || clean.length() > 200) {
            throw new InvalidRequestException("secret", "Use 16 to 200 characters, or leave it empty for a random"
                    + " one.");
        }
        return clean;
    }

    private String folder(long workspaceId, String folder) {
        String clean = folder == null ? "" : folder.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException("folder", "Enter a folder name.");
        }
        if (clean.length() > 200 || !FOLDER.matcher(clean).matches()
                || List.of(clean.split("/")).stream().anyMatch(part -> part.equals("..") || part.equals("."))) {
            throw new InvalidRequestException("folder", "Use letters, digits, '.', '_', '-' and '/' between folder"
                    + " names; the folder is inside " + fileDropRoot.path(workspaceId) + ".");
        }
        Path path = fileDropRoot.resolve(workspaceId, clean);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new InvalidRequestException("folder", "The server cannot create " + path + ": " + e.getMessage());
        }
        if (!Files.isWritable(path)) {
            throw new InvalidRequestException("folder", "The server may not write to " + path + ".");
        }
        return clean;
    }

    /** The same answer for a missing output and one of a workspace the member may not use. */
    private static NotFoundException noOutput(long outputId) {
        return new NotFoundException("Output " + outputId + " does not exist, or it is in a workspace you cannot use.");
    }
}
