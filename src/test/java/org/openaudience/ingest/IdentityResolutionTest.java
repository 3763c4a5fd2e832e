package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/** PRODUCT.md §2: mpid, else customer_id, else email, else device id, else a new profile; conflicts never merge. */
@IntegrationTest
class IdentityResolutionTest {

    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    IngestFixtures fixtures;

    IngestFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
    }

    long ingest(String batchJson) {
        List<IncomingBatch> batches = parser.parseSingle(batchJson.getBytes(StandardCharsets.UTF_8), "web",
                Instant.now());
        return ingestion.ingest(fixture.input, batches).mpids().get(0);
    }

    @Test
    void a_batch_with_unknown_identities_creates_a_new_profile() {
        long mpid = ingest("{\"user_identities\":{\"customer_id\":\"new-1\",\"email\":\"New@Example.com\"}}");
        assertThat(fixture.count("profile")).isEqualTo(1);
        assertThat(fixture.mpidOf("customer_id", "new-1")).isEqualTo(mpid);
        assertThat(fixture.mpidOf("email", "new@example.com")).isEqualTo(mpid);
    }

    @Test
    void a_known_customer_id_resolves_to_its_profile() {
        long first = ingest("{\"user_identities\":{\"customer_id\":\"c-7\"}}");
        long second = ingest("{\"user_identities\":{\"customer_id\":\"c-7\",\"email\":\"seven@example.com\"}}");
        assertThat(second).isEqualTo(first);
        assertThat(fixture.mpidOf("email", "seven@example.com")).isEqualTo(first);
    }

    @Test
    void a_known_email_resolves_when_there_is_no_customer_id() {
        long first = ingest("{\"user_identities\":{\"email\":\"mail@example.com\"}}");
        assertThat(ingest("{\"user_identities\":{\"email\":\"MAIL@example.com\"}}")).isEqualTo(first);
    }

    @Test
    void a_device_id_alone_resolves_to_the_profile_that_used_the_device() {
        long first = ingest("{\"device_info\":{\"ios_idfv\":\"IDFV-1\",\"platform\":\"iOS\"}}");
        long second = ingest("{\"device_info\":{\"ios_idfv\":\"IDFV-1\"},\"user_identities\":{\"customer_id\":\"c-d\"}}");
        assertThat(second).isEqualTo(first);
        assertThat(fixture.profileColumn(first, "platforms")).contains("iOS");
        assertThat(fixture.profileColumn(first, "device_info")).doesNotContain("IDFV-1");
    }

    @Test
    void a_given_mpid_wins_and_creates_the_profile_if_needed() {
        assertThat(ingest("{\"mpid\":\"-42\",\"user_identities\":{\"customer_id\":\"c-m\"}}")).isEqualTo(-42L);
        assertThat(ingest("{\"mpid\":-42}")).isEqualTo(-42L);
        assertThat(fixture.mpidOf("customer_id", "c-m")).isEqualTo(-42L);
    }

    @Test
    void conflicting_identities_never_merge_the_first_strong_identity_wins() {
        long alice = ingest("{\"user_identities\":{\"customer_id\":\"alice\",\"email\":\"alice@example.com\"}}");
        long bob = ingest("{\"user_identities\":{\"customer_id\":\"bob\",\"email\":\"bob@example.com\"}}");
        long resolved = ingest("{\"user_identities\":{\"customer_id\":\"alice\",\"email\":\"bob@example.com\"}}");
        assertThat(resolved).isEqualTo(alice);
        assertThat(fixture.mpidOf("email", "bob@example.com")).isEqualTo(bob);
        assertThat(fixture.count("profile")).isEqualTo(2);
    }

    @Test
    void batches_of_one_request_that_share_a_new_identity_share_one_profile() {
        List<IncomingBatch> batches = parser.parseBulk(("[{\"user_identities\":{\"customer_id\":\"twin\"}},"
                + "{\"user_identities\":{\"customer_id\":\"twin\"}}]").getBytes(StandardCharsets.UTF_8), "web",
                Instant.now());
        List<Long> mpids = ingestion.ingest(fixture.input, batches).mpids();
        assertThat(mpids.get(0)).isEqualTo(mpids.get(1));
        assertThat(fixture.count("profile")).isEqualTo(1);
    }

    @Test
    void two_customers_of_one_request_who_share_a_new_email_stay_two_profiles() {
        long first = ingest("{\"user_identities\":{\"customer_id\":\"c-one\"}}");
        List<IncomingBatch> batches = parser.parseBulk(("[{\"user_identities\":{\"customer_id\":\"c-one\","
                + "\"email\":\"shared@example.com\"}},{\"user_identities\":{\"customer_id\":\"c-two\","
                + "\"email\":\"shared@example.com\"}}]").getBytes(StandardCharsets.UTF_8), "web", Instant.now());
        List<Long> mpids = ingestion.ingest(fixture.input, batches).mpids();
        assertThat(mpids.get(0)).isEqualTo(first);
        assertThat(mpids.get(1)).isNotEqualTo(first);
        assertThat(fixture.mpidOf("customer_id", "c-one")).isEqualTo(first);
        assertThat(fixture.mpidOf("email", "shared@example.com")).isEqualTo(first);
        assertThat(fixture.mpidOf("customer_id", "c-two")).isEqualTo(mpids.get(1));
    }

    @Test
    void attributes_are_set_listed_deleted_and_changed_by_events() {
        long mpid = ingest("""
                {"user_identities":{"customer_id":"attr"},
                 "user_attributes":{"status":"Trial","$country":"FR","$state":"IDF","$city":"Paris","tags":["a","b"],
                                    "age":"31"}}""");
        ingest("""
                {"user_identities":{"customer_id":"attr"},"deleted_user_attributes":["age"],
                 "user_attributes":{"status":"Premium"},
                 "events":[{"event_type":"user_attribute_change","data":{"user_attribute_name":"tags","deleted":true}},
                           {"event_type":"user_identity_change","data":{"new":{"identity_type":"email",
                            "identity":"attr@example.com"}}},
                           {"event_type":"custom_event","data":{"event_name":"Search",
                            "location":{"latitude":48.85,"longitude":2.35}}}]}""");
        String attributes = fixture.profileColumn(mpid, "user_attributes");
        assertThat(attributes).contains("\"status\":\"Premium\"").doesNotContain("age").doesNotContain("tags");
        assertThat(fixture.profileColumn(mpid, "city")).isEqualTo("Paris");
        assertThat(fixture.profileColumn(mpid, "region")).isEqualTo("IDF");
        assertThat(fixture.profileColumn(mpid, "latitude")).isEqualTo("48.85");
        assertThat(fixture.mpidOf("email", "attr@example.com")).isEqualTo(mpid);
        assertThat(fixture.profileColumn(mpid, "identities")).contains("attr@example.com");
    }

    @Test
    void first_and_last_seen_follow_the_event_times() {
        // batch times too, in the past: a batch without one is as of now, which would be its profile's last seen
        long mpid = ingest("{\"user_identities\":{\"customer_id\":\"times\"},\"timestamp_unixtime_ms\":"
                + "1700000000000,\"events\":[{\"event_type\":\"session_start\",\"data\":"
                + "{\"timestamp_unixtime_ms\":1700000000000}}]}");
        ingest("{\"user_identities\":{\"customer_id\":\"times\"},\"timestamp_unixtime_ms\":1650000000000,"
                + "\"events\":[{\"event_type\":\"session_start\",\"data\":{\"timestamp_unixtime_ms\":"
                + "1600000000000}},{\"event_type\":\"session_end\",\"data\":{\"timestamp_unixtime_ms\":"
                + "1750000000000}}]}");
        assertThat(fixture.profileColumn(mpid, "first_seen_at")).startsWith("2020-09-13");
        assertThat(fixture.profileColumn(mpid, "last_seen_at")).startsWith("2025-06-15");
    }
}
