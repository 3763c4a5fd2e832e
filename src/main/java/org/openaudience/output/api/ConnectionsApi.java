package org.openaudience.output.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.openaudience.api.PageOf;
import org.openaudience.api.Locations;
import org.openaudience.api.RestApi;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.output.Connection;
import org.openaudience.output.ConnectionService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Connect tab (PRODUCT.md §3.7): an audience's connections, connecting it (or a variation of its saved A/B test)
 * to an output, pause, resume, disconnect. Everyone of the workspace reads; those who may connect change.
 */
@RestApi
@Tag(name = "Connections", description = "Audiences and A/B variations sent to outputs")
class ConnectionsApi {

    static final String OF_AUDIENCE = "/api/v1/workspaces/{workspaceId}/audiences/{audienceId}/connections";
    static final String CONNECTION = "/api/v1/workspaces/{workspaceId}/connections/{connectionId}";

    private final ConnectionService connections;
    private final AudienceService audiences;

    ConnectionsApi(ConnectionService connections, AudienceService audiences) {
        this.connections = connections;
        this.audiences = audiences;
    }

    @GetMapping(OF_AUDIENCE)
    @Operation(summary = "List an audience's connections", description = "Whole audience first, then by variation "
            + "and output name; each with its status, delivery counts, last delivery and last error.")
    PageOf<ConnectionBody> list(@PathVariable long workspaceId, @PathVariable long audienceId,
                                @RequestParam(defaultValue = "0") int offset,
                                @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        audienceIn(workspaceId, audienceId);
        List<Connection> all = connections.connections(audienceId);
        List<ConnectionBody> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()))
                .stream().map(ConnectionBody::of).toList();
        return new PageOf<>(page, offset, limit, all.size());
    }

    @PostMapping(OF_AUDIENCE)
    @Operation(summary = "Connect an audience to an output", description = """
            Sends the audience's members to an existing output of its workspace: first everyone in it now, as adds, \
            then every add and remove as it happens. With `variation`, only that variation of the audience's saved \
            A/B test is sent, under `<External Name> - <Variation>`. Each (audience or variation, output) pair is \
            connected once. Audited.""")
    @ApiResponse(responseCode = "201", description = "Connected; `Location` is the connection")
    ResponseEntity<ConnectionBody> connect(@PathVariable long workspaceId, @PathVariable long audienceId,
                                           @RequestBody ConnectRequest request) {
        audienceIn(workspaceId, audienceId);
        if (request.outputId() == null) {
            throw new InvalidRequestException("outputId", "Choose an output: output_id is required.");
        }
        if (request.identityTypes() == null) {
            throw new InvalidRequestException("identityTypes", "Choose the identity types to send with each "
                    + "member, e.g. [\"customer_id\", \"email\"]; [] sends MPIDs only.");
        }
        Connection made = connections.connect(audienceId, request.variation(), request.outputId(),
                request.identityTypes());
        URI location = Locations.of(CONNECTION, workspaceId, made.id());
        return ResponseEntity.created(location).body(ConnectionBody.of(made));
    }

    @GetMapping(CONNECTION)
    @Operation(summary = "Get a connection", description = "Its status, delivery counts, last delivery and last "
            + "error.")
    ConnectionBody get(@PathVariable long workspaceId, @PathVariable long connectionId) {
        return ConnectionBody.of(connectionIn(workspaceId, connectionId));
    }

    @PostMapping(CONNECTION + "/pause")
    @Operation(summary = "Pause a connection", description = "Delivery stops where it is until resumed. Audited.")
    ConnectionBody pause(@PathVariable long workspaceId, @PathVariable long connectionId) {
        connectionIn(workspaceId, connectionId);
        return ConnectionBody.of(connections.pause(connectionId));
    }

    @PostMapping(CONNECTION + "/resume")
    @Operation(summary = "Resume a connection", description = "Sending again after a pause or a fault, from where "
            + "delivery stopped, with the failure count reset. Audited.")
    ConnectionBody resume(@PathVariable long workspaceId, @PathVariable long connectionId) {
        connectionIn(workspaceId, connectionId);
        return ConnectionBody.of(connections.resume(connectionId));
    }

    @DeleteMapping(CONNECTION)
    @Operation(summary = "Disconnect", description = "Stops delivery for good; the output keeps what it received. "
            + "Connecting again starts over with the current members. Audited.")
    @ApiResponse(responseCode = "204", description = "Disconnected")
    ResponseEntity<Void> disconnect(@PathVariable long workspaceId, @PathVariable long connectionId) {
        connectionIn(workspaceId, connectionId);
        connections.disconnect(connectionId);
        return ResponseEntity.noContent().build();
    }

    /** An audience asked for under another workspace's path does not exist there. */
    private void audienceIn(long workspaceId, long audienceId) {
        Audience audience = audiences.audience(audienceId);
        if (audience.workspaceId() != workspaceId) {
            throw new NotFoundException("Audience " + audienceId + " does not exist, or it is in a workspace you "
                    + "cannot use.");
        }
    }

    /** The same answer for a connection of another workspace's path as for a missing one. */
    private Connection connectionIn(long workspaceId, long connectionId) {
        Connection connection = connections.connection(connectionId);
        if (connection.workspaceId() != workspaceId) {
            throw new NotFoundException("Connection " + connectionId + " does not exist, or it is in a workspace "
                    + "you cannot use.");
        }
        return connection;
    }
}
