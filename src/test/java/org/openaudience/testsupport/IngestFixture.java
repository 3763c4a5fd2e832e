package org.openaudience.testsupport;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

import org.openaudience.input.Input;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.workspace.Workspace;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** A fresh workspace with a Web input, and counts of what ingestion stored in it. */
public class IngestFixture {

    public final Workspace workspace;
    public final InputCredentials credentials;
    public final Input input;
    private final TestMembers members;
    private final InputService inputs;
    private final JdbcClient jdbc;

    /** Made by {@link IngestFixtures#create()}. */
    IngestFixture(TestMembers members, InputService inputs, JdbcClient jdbc) {
        this(members, inputs, jdbc, members.workspace("Ingest"), "Web");
    }

    /** Made by {@link IngestFixtures#existing}: a new Web input in a workspace that exists. */
    IngestFixture(TestMembers members, InputService inputs, JdbcClient jdbc, Workspace workspace, String inputName) {
        this.members = members;
        this.inputs = inputs;
        this.jdbc = jdbc;
        this.workspace = workspace;
        this.credentials = addInput(inputName, Platform.WEB);
        this.input = inputs.findByCredentials(credentials.apiKey(), credentials.secret()).orElseThrow();
    }

    /** Another input of this workspace, added by the test Admin. */
    public InputCredentials addInput(String name, Platform platform) {
        return members.asAdmin(() -> inputs.addInput(workspace.id(), name, platform));
    }

    /** A MockMvc {@code POST} of a JSON body to a path such as {@code /v2/events}, with this input's credentials. */
    public MockHttpServletRequestBuilder post(String path, String json) {
        return MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(json)
                .with(httpBasic(credentials.apiKey(), credentials.secret()));
    }

    public long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE workspace_id = ?").param(workspace.id())
                .query(Long.class).single();
    }

    /** Rows written anywhere by ingestion in this workspace. */
    public long written() {
        return count("ingest_batch") + count("event") + count("profile") + count("profile_identity")
                + count("catalog_event") + count("catalog_attribute");
    }

    public long mpidOf(String identityType, String value) {
        return jdbc.sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_type = ?"
                        + " AND identity_value = ?")
                .params(workspace.id(), identityType, value).query(Long.class).single();
    }

    /** The profiles that hold this identity (one at most, by the primary key), or none. */
    public java.util.List<Long> ownersOf(String identityType, String value) {
        return jdbc.sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_type = ?"
                        + " AND identity_value = ?")
                .params(workspace.id(), identityType, value).query(Long.class).list();
    }

    /** The distinct MPIDs of the events with this key. */
    public java.util.List<Long> mpidsOfEvents(String eventKey) {
        return jdbc.sql("SELECT DISTINCT mpid FROM event WHERE workspace_id = ? AND event_key = ?")
                .params(workspace.id(), eventKey).query(Long.class).list();
    }

    /**
     * Where a profile's identities JSON and profile_identity disagree: an identity in a profile's JSON that the table
     * gives to another profile (or to none), or a user identity (not a device id) the table gives a profile whose
     * JSON shows another value. Empty when they agree.
     */
    public java.util.List<String> identityDisagreements() {
        java.util.Map<String, Long> owners = new java.util.HashMap<>();
        java.util.Map<String, String> held = new java.util.HashMap<>();
        jdbc.sql("SELECT identity_type, identity_value, mpid FROM profile_identity WHERE workspace_id = ?")
                .param(workspace.id()).query((rs, row) -> {
                    owners.put(rs.getString(1) + "=" + rs.getString(2), rs.getLong(3));
                    held.put(rs.getLong(3) + "/" + rs.getString(1) + "=" + rs.getString(2), rs.getString(2));
                    return null;
                }).list();
        java.util.List<String> disagreements = new java.util.ArrayList<>();
        java.util.Set<String> inJson = new java.util.HashSet<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        jdbc.sql("SELECT mpid, identities FROM profile WHERE workspace_id = ?").param(workspace.id())
                .query((rs, row) -> {
                    long mpid = rs.getLong(1);
                    try {
                        json.readTree(rs.getString(2)).fields().forEachRemaining(field -> {
                            String key = field.getKey() + "=" + field.getValue().asText();
                            inJson.add(mpid + "/" + key);
                            if (!Long.valueOf(mpid).equals(owners.get(key))) {
                                disagreements.add("MPID " + mpid + " shows " + key + " held by " + owners.get(key));
                            }
                        });
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }).list();
        held.keySet().stream().filter(key -> !inJson.contains(key))
                .filter(key -> !org.openaudience.profile.IdentityRule.DEVICE_ID_TYPES.contains(key.substring(key.indexOf('/') + 1, key.indexOf('='))))
                .forEach(key -> disagreements.add("table gives " + key + " but the profile's JSON does not show it"));
        return disagreements;
    }


    /** A column of a profile as text; null when the column is NULL. */
    public String profileColumn(long mpid, String column) {
        java.util.List<String> values = jdbc.sql("SELECT " + column + " FROM profile WHERE workspace_id = ? AND mpid = ?")
                .params(workspace.id(), mpid).query(String.class).list();
        if (values.size() != 1) {
            throw new IllegalStateException("No profile " + mpid);
        }
        return values.get(0);
    }
}
