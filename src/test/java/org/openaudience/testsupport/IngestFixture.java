package org.openaudience.testsupport;

import org.openaudience.input.Input;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.workspace.Workspace;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A fresh workspace with a Web input, and counts of what ingestion stored in it. */
public class IngestFixture {

    public final Workspace workspace;
    public final InputCredentials credentials;
    public final Input input;
    private final JdbcClient jdbc;

    public IngestFixture(TestMembers members, InputService inputs, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.workspace = members.workspace("Ingest");
        this.credentials = members.asAdmin(() -> inputs.addInput(workspace.id(), "Web", Platform.WEB));
        this.input = inputs.findByCredentials(credentials.apiKey(), credentials.secret()).orElseThrow();
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

    public String profileColumn(long mpid, String column) {
        return jdbc.sql("SELECT " + column + " FROM profile WHERE workspace_id = ? AND mpid = ?")
                .params(workspace.id(), mpid).query(String.class).single();
    }
}
