package org.openaudience.output;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.calculation.MembershipFeed;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The Connect tab (PRODUCT.md §3.7): connecting an audience, or one variation of its saved A/B test, to an output;
 * pausing, resuming and disconnecting. Everyone of the workspace sees connections; those who edit audiences change
 * them.
 */
@Service
public class ConnectionService {

    private static final java.util.regex.Pattern IDENTITY_TYPE = java.util.regex.Pattern.compile("[a-z0-9_]{1,40}");
    private static final int MAX_IDENTITY_TYPES = 20;

    private final ConnectionStore store;
    private final OutputRepository outputs;
    private final AudienceService audiences;
    private final AbTestService abTests;
    private final MembershipFeed feed;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final Clock clock;

    ConnectionService(ConnectionStore store, OutputRepository outputs, AudienceService audiences,
                      AbTestService abTests, MembershipFeed feed, AccessGuard guard, AuditLog audit, Clock clock) {
        this.store = store;
        this.outputs = outputs;
        this.audiences = audiences;
        this.abTests = abTests;
        this.feed = feed;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<Connection> connections(long audienceId) {
        audiences.audience(audienceId);
        return store.ofAudience(audienceId);
    }

    /** One connection, for everyone of its workspace (as the Connect tab shows it). */
    @Transactional(readOnly = true)
    public Connection connection(long connectionId) {
        Connection connection = store.connection(connectionId).orElseThrow(() -> noConnection(connectionId));
        guard.requireWorkspace(connection.workspaceId(), () -> noConnection(connectionId));
        return connection;
    }

    /** How many connections each of these audiences of the workspace has (the list's Connected outputs column). */
    @Transactional(readOnly = true)
    public Map<Long, Integer> connectionCounts(long workspaceId, Collection<Long> audienceIds) {
        guard.requireWorkspace(workspaceId);
        return store.countsByAudience(workspaceId, audienceIds);
    }

    /**
     * Connects the audience (variation null) or one variation of its saved test to an output, sending the chosen
     * identity types. Delivery starts with the current members as adds, then follows the change log from this
     * moment: the audience row is locked while the cursor is taken, so no change is in flight. Refused for an
     * audience never calculated ({@link #whyNotConnectable}).
     */
    @Transactional
    public Connection connect(long audienceId, Integer variation, long outputId, Set<String> identityTypes) {
        Audience audience = audiences.audience(audienceId);
        MemberAccess member = guard.require(Capability.CONNECT_AUDIENCES, audience.workspaceId());
        Optional<String> notYet = notCalculated(audience);
        if (notYet.isPresent()) {
            throw new InvalidRequestException("audience", notYet.get());
        }
        Output output = outputs.findById(outputId)
                .filter(found -> found.workspaceId().equals(audience.workspaceId()))
                .orElseThrow(() -> new InvalidRequestException("outputId", "Choose an output of this workspace."));
        String target = audience.externalName();
        if (variation != null) {
            AbTest test = abTests.test(audienceId).filter(AbTest::saved).orElseThrow(() ->
                    new InvalidRequestException("variation", "Save the A/B test before connecting a variation."));
            if (variation < 0 || variation >= test.variations().size()) {
                throw new InvalidRequestException("variation", "This test has no such variation.");
            }
            target += " - " + test.variations().get(variation).name();
        }
        List<String> types = identityTypes(identityTypes);
        long changeCursor = feed.lockAndLastChangeId(audienceId);
        if (store.exists(audienceId, variation, outputId)) { // under the audience lock: no race with a twin
            throw alreadyConnected(target, output);
        }
        long id;
        try {
            id = store.insert(audience.workspaceId(), audienceId, variation, outputId, types, changeCursor,
                    member.email(), clock.instant());
        } catch (DuplicateKeyException e) {
            throw alreadyConnected(target, output);
        } catch (DataIntegrityViolationException e) {
            throw new InvalidRequestException("outputId", "The output or the A/B test was deleted meanwhile; reload"
                    + " and choose again.");
        }
        audit.record(AuditAction.AUDIENCE_CONNECTED, target, "to " + output.name() + ", identities "
                + new TreeSet<>(identityTypes), audience.workspaceId());
        return store.connection(id).orElseThrow();
    }

    /**
     * Why the audience cannot be connected yet, if it cannot: one never calculated (a draft) has no members to send,
     * and connecting it would deliver nothing until someone happened to activate it.
     */
    @Transactional(readOnly = true)
    public Optional<String> whyNotConnectable(long audienceId) {
        return notCalculated(audiences.audience(audienceId));
    }

    private Optional<String> notCalculated(Audience audience) {
        if (!CalculationProgress.NEVER.equals(audiences.progress(audience.id()))) {
            return Optional.empty();
        }
        return Optional.of("\"" + audience.name() + "\" has never been calculated, so it has no members to send yet."
                + " Activate it first, then connect it.");
    }

    /**
     * Other audiences' connections to the output under the name this one would be sent as (its External Name, or
     * "{@code <External Name> - <Variation>}"), compared ignoring case: the output could not tell them apart. For
     * the Connect form's warning; connecting is not refused.
     */
    @Transactional(readOnly = true)
    public List<Connection> sameNameConnections(long audienceId, Integer variation, long outputId) {
        Audience audience = audiences.audience(audienceId);
        String variationName = null;
        if (variation != null) {
            var test = abTests.test(audienceId).filter(AbTest::saved).orElse(null);
            if (test == null || variation < 0 || variation >= test.variations().size()) {
                return List.of();
            }
            variationName = test.variations().get(variation).name();
        }
        String target = Connection.externalName(audience.externalName(), variationName);
        return store.toOutputExcept(outputId, audienceId).stream()
                .filter(connection -> connection.workspaceId() == audience.workspaceId())
                .filter(connection -> connection.externalName().equalsIgnoreCase(target))
                .toList();
    }

    private static InvalidRequestException alreadyConnected(String target, Output output) {
        return new InvalidRequestException("outputId", "\"" + target + "\" is already connected to \""
                + output.name() + "\".");
    }

    /** Identity type names as profiles store them (e.g. customer_id, email, ios_idfv). */
    private static List<String> identityTypes(Set<String> identityTypes) {
        Set<String> types = new TreeSet<>(identityTypes == null ? Set.of() : identityTypes);
        if (types.size() > MAX_IDENTITY_TYPES || !types.stream().allMatch(type -> IDENTITY_TYPE.matcher(type).matches())) {
            throw new InvalidRequestException("identityTypes", "Choose identity types from the list.");
        }
        return List.copyOf(types);
    }

    @Transactional
    public Connection pause(long connectionId) {
        return setStatus(connectionId, ConnectionStatus.PAUSED, AuditAction.CONNECTION_PAUSED);
    }

    /** Sending again (after Pause or a fault), from where delivery stopped, with the failure count reset. */
    @Transactional
    public Connection resume(long connectionId) {
        return setStatus(connectionId, ConnectionStatus.SENDING, AuditAction.CONNECTION_RESUMED);
    }

    /** Stops delivery for good; the output keeps what it received. */
    @Transactional
    public void disconnect(long connectionId) {
        Connection connection = editable(connectionId);
        store.delete(connectionId);
        audit.record(AuditAction.AUDIENCE_DISCONNECTED, connection.externalName(), "from "
                + connection.outputName(), connection.workspaceId());
    }

    private Connection setStatus(long connectionId, ConnectionStatus status, AuditAction action) {
        Connection connection = editable(connectionId);
        store.setStatus(connectionId, status, clock.instant());
        audit.record(action, connection.externalName(), connection.outputName(), connection.workspaceId());
        return store.connection(connectionId).orElseThrow();
    }

    private Connection editable(long connectionId) {
        Connection connection = store.connection(connectionId)
                .orElseThrow(() -> noConnection(connectionId));
        guard.require(Capability.CONNECT_AUDIENCES, connection.workspaceId(), () -> noConnection(connectionId));
        return connection;
    }

    /** The same answer for a missing connection and one of a workspace the member may not use. */
    private static NotFoundException noConnection(long connectionId) {
        return new NotFoundException("Connection " + connectionId
                + " does not exist, or it is in a workspace you cannot use.");
    }
}
