package org.openaudience.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** The catalog groups names the way criteria match them. */
@IntegrationTest
@AutoConfigureMockMvc
class CatalogTextRuleTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    CatalogService catalog;
    @Autowired
    JdbcClient jdbc;

    @Test
    void event_names_differing_only_in_case_are_one_entry_and_accents_make_another() throws Exception {
        IngestFixture fixture = fixtures.create();
        for (String name : new String[] {"Play Video", "PLAY VIDEO", "Play Vidéo", "Play Video "}) {
            mvc.perform(fixture.post("/v2/events", """
                    {"mpid":1,"events":[{"event_type":"custom_event","data":{"event_name":"%s",
                     "custom_attributes":{"Destination":"Paris","destination":"paris"}}}],
                     "user_attributes":{"Status":"Premium"}}""".formatted(name)))
                    .andExpect(status().isAccepted());
        }
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT event_key, event_count FROM catalog_event WHERE workspace_id = ?")
                .param(fixture.workspace.id()).query((rs, row) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        // the Events API trims event names, so "Play Video " arrives as "Play Video"
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("Play Video", 3L, "Play Vidéo", 1L));
        assertThat(jdbc.sql("""
                        SELECT DISTINCT name FROM catalog_attribute WHERE workspace_id = ? AND event_type = 'custom_event'
                        ORDER BY name""").param(fixture.workspace.id()).query(String.class).list())
                .as("attribute names are JSON keys, matched exactly").containsExactly("Destination", "destination");
        assertThat(fixtures.members().asAdmin(() -> catalog.userAttributes(fixture.workspace.id(), "stat", 0, 10)))
                .as("searching names is case-insensitive").extracting(CatalogAttribute::name).containsExactly("Status");
    }
}
