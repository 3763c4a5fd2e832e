package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DefinitionJsonTest {

    @Test
    void every_random_definition_survives_a_round_trip_through_its_stored_json() {
        long seed = System.nanoTime();
        RandomDefinitions definitions = new RandomDefinitions(new Random(seed), Instant.now(), List.of(3L, 4L), List.of(7L, 8L));
        for (int i = 0; i < 1_000; i++) {
            Definition definition = definitions.next();
            String json = DefinitionJson.write(definition);
            assertThat(DefinitionJson.read(json)).as("seed %d: %s", seed, json).isEqualTo(definition);
        }
    }

    @Test
    void the_stored_json_carries_its_schema_version_and_newer_versions_are_refused() {
        String json = DefinitionJson.write(Definition.of(EventCriterion.event("Play Video")));
        assertThat(json).startsWith("{\"schemaVersion\":1,");
        assertThatThrownBy(() -> DefinitionJson.read(json.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
                .hasMessageContaining("schema version 2");
    }
}
