package org.openaudience.input;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Setup › Inputs: adding inputs, rotating their secrets, enabling and disabling them. */
@Service
public class InputService {

    private final InputRepository inputs;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final Clock clock;
    private final JdbcClient jdbc;

    InputService(InputRepository inputs, AccessGuard guard, AuditLog audit, Clock clock, JdbcClient jdbc) {
        this.inputs = inputs;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** By name, from exactly {@code offset} (the REST API's pages need not line up with the limit). */
    @Transactional(readOnly = true)
    public List<Input> page(long workspaceId, int offset, int limit) {
        guard.require(Capability.MANAGE_INPUTS, workspaceId);
        List<Long> ids = jdbc.sql("SELECT id FROM input WHERE workspace_id = ? ORDER BY name, id LIMIT ? OFFSET ?")
                .params(workspaceId, Math.max(limit, 1), Math.max(offset, 0)).query(Long.class).list();
        Map<Long, Input> found = inputs.findAllById(ids).stream()
                .collect(Collectors.toMap(Input::id, Function.identity()));
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    @Transactional(readOnly = true)
    public int count(long workspaceId) {
        guard.require(Capability.MANAGE_INPUTS, workspaceId);
        return (int) inputs.countByWorkspaceId(workspaceId);
    }

    /** Whether the signed-in member may see the workspace's inputs in full (key, state); others see summaries. */
    @Transactional(readOnly = true)
    public boolean mayManageInputs(long workspaceId) {
        return guard.requireWorkspace(workspaceId).can(Capability.MANAGE_INPUTS);
    }

    /** Names and platforms of a workspace's inputs, for filters any member of the workspace uses. */
    @Transactional(readOnly = true)
    public List<InputSummary> inputsOf(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        return inputs.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(0, 1000)).stream()
                .map(input -> new InputSummary(input.id(), input.name(), input.platform())).toList();
    }

    /** Adds an input with generated credentials; the secret in the answer is never shown again. */
    @Transactional
    public InputCredentials addInput(long workspaceId, String name, Platform platform) {
        return addInput(workspaceId, name, platform, SecretHash.newApiKey(), SecretHash.newSecret());
    }

    /** Adds an input with given credentials (the demo's documented ones); same checks as {@link #addInput}. */
    @Transactional
    public InputCredentials addInput(long workspaceId, String name, Platform platform, String apiKey, String secret) {
        guard.require(Capability.MANAGE_INPUTS, workspaceId);
        String cleanName = name == null ? "" : name.trim();
        if (cleanName.isEmpty()) {
            throw new InvalidRequestException("name", "Enter a name.");
        }
        if (cleanName.length() > Input.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "Use at most " + Input.MAX_NAME_LENGTH + " characters.");
        }
        if (platform == null) {
            throw new InvalidRequestException("platform", "Choose a platform or feed.");
        }
        if (inputs.existsByWorkspaceIdAndName(workspaceId, cleanName)) {
            throw new InvalidRequestException("name", "This workspace already has an input named \"" + cleanName
                    + "\".");
        }
        if (inputs.findByApiKey(apiKey).isPresent()) {
            throw new InvalidRequestException("apiKey", "The API key " + apiKey + " is already in use.");
        }
        Input input = inputs.save(Input.create(workspaceId, cleanName, platform, apiKey, SecretHash.hash(secret),
                clock.instant()));
        audit.record(AuditAction.INPUT_CREATED, cleanName, platform.label() + ", key " + apiKey, workspaceId);
        return new InputCredentials(input.id(), apiKey, secret);
    }

    /** Replaces the secret at once; clients still sending the old one are refused from now on. */
    @Transactional
    public InputCredentials rotateSecret(long inputId) {
        Input input = find(inputId);
        guard.require(Capability.MANAGE_INPUTS, input.workspaceId(), () -> notFound(inputId));
        String secret = SecretHash.newSecret();
        inputs.save(input.withSecretHash(SecretHash.hash(secret), clock.instant()));
        audit.record(AuditAction.INPUT_SECRET_ROTATED, input.name(), "key " + input.apiKey(), input.workspaceId());
        return new InputCredentials(input.id(), input.apiKey(), secret);
    }

    @Transactional
    public Input setEnabled(long inputId, boolean enabled) {
        Input input = find(inputId);
        guard.require(Capability.MANAGE_INPUTS, input.workspaceId(), () -> notFound(inputId));
        if (input.enabled() == enabled) {
            return input;
        }
        Input saved = inputs.save(input.withEnabled(enabled));
        audit.record(enabled ? AuditAction.INPUT_ENABLED : AuditAction.INPUT_DISABLED, input.name(),
                "key " + input.apiKey(), input.workspaceId());
        return saved;
    }

    /**
     * The enabled input these credentials belong to, for the Events API. Callers are API clients, not members,
     * so there is no member check here; a wrong key or secret or a disabled input answers empty.
     */
    @Transactional(readOnly = true)
    public Optional<Input> authenticate(String apiKey, String secret) {
        return findByCredentials(apiKey, secret).filter(Input::enabled);
    }

    /** The input these credentials belong to, enabled or not (so the API can say "disabled" rather than "wrong"). */
    @Transactional(readOnly = true)
    public Optional<Input> findByCredentials(String apiKey, String secret) {
        return inputs.findByApiKey(apiKey).filter(input -> SecretHash.matches(secret, input.secretHash()));
    }

    private Input find(long inputId) {
        return inputs.findById(inputId).orElseThrow(() -> notFound(inputId));
    }

    /** One answer for a missing input and one of a workspace the member may not use: ids cannot be probed. */
    private static NotFoundException notFound(long inputId) {
        return new NotFoundException("Input " + inputId + " does not exist, or it is in a workspace you cannot use.");
    }
}
