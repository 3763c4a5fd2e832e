package org.openaudience.output;

/**
 * An output as the REST API lists it: never its secret or header values, and its destination (scheme, host and port
 * of a webhook, or a file drop's folder — no URL path or query, which may carry credentials) only for those who
 * manage outputs; those who only connect audiences see names, as on the Connect tab.
 *
 * @param destination        null when the reader may not manage outputs
 * @param connectedAudiences how many audiences are connected to it (one audience's variations count once)
 */
public record OutputOverview(long id, long workspaceId, String name, OutputKind kind, String destination,
                             int connectedAudiences) {
}
