package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.profile.IdentityConflict;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.Profile;
import org.openaudience.profile.ProfileService;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Identities compare by one rule, identity changes release old values, conflicts stay apart and are visible, and
 * user attribute updates end as the last write says — sent through the HTTP stack.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProfileIntegrityTest {

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    ProfileService profiles;
    @Autowired
    ObjectMapper json;

    IngestFixture fixture;
    EventsApiClient api;
    TestMembers members;

    @BeforeEach
    void setUp() {
        members = fixtures.members();
        fixture = fixtures.create();
        api = new EventsApiClient(port, fixture.credentials);
    }

    void send(String batchJson) {
        EventsApiClient.Response response = api.post("/v2/events", batchJson);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    void sendBulk(String... batches) {
        EventsApiClient.Response response = api.post("/v2/bulkevents", "[" + String.join(",", batches) + "]");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    /** Sends a batch with a unique event and returns the MPID the event was stored under. */
    long mpidOf(String identitiesJson) {
        String event = "probe " + TestMembers.unique();
        send("{" + identitiesJson + ",\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\""
                + event + "\"}}]}");
        return fixture.mpidsOfEvents(event).get(0);
    }

    static String customer(String id) {
        return "\"user_identities\":{\"customer_id\":\"" + id + "\"}";
    }

    static String email(String email) {
        return "\"user_identities\":{\"email\":\"" + email + "\"}";
    }

    @Test
    void ids_match_exactly_so_case_accents_and_spaces_make_different_users_and_each_returns_to_its_own() {
        List<String> ids = List.of("X-CaseId", "x-caseid", "José", "Jose", "abc", "abc ", " abc", "İd", "id");
        List<Long> first = ids.stream().map(id -> mpidOf(customer(id))).toList();
        assertThat(first).doesNotHaveDuplicates();
        assertThat(ids.stream().map(id -> mpidOf(customer(id))).toList()).as("each id again").isEqualTo(first);
        assertThat(fixture.count("profile")).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(fixture.ownersOf("customer_id", ids.get(i))).containsExactly(first.get(i));
        }
    }

    @Test
    void emails_match_after_trimming_and_lower_casing_only() {
        long jose = mpidOf(email(" José@Example.COM "));
        assertThat(mpidOf(email("josé@example.com"))).isEqualTo(jose);
        assertThat(mpidOf(email("JOSÉ@EXAMPLE.COM"))).isEqualTo(jose);
        long withoutAccent = mpidOf(email("jose@example.com"));
        assertThat(withoutAccent).isNotEqualTo(jose);
        assertThat(fixture.ownersOf("email", "josé@example.com")).containsExactly(jose);
        assertThat(fixture.profileColumn(jose, "identities")).contains("josé@example.com");
        Profile found = members.asAdmin(() -> profiles.lookup(fixture.workspace.id(), LookupKind.EMAIL,
                "  JOSÉ@example.com")).orElseThrow();
        assertThat(found.mpid()).isEqualTo(jose);
    }

    @Test
    void a_user_identity_change_releases_the_old_value_so_it_no_longer_lands_on_the_profile() {
        long user = mpidOf("\"user_identities\":{\"customer_id\":\"mover\",\"email\":\"old@example.com\"}");
        send("""
                {"user_identities":{"customer_id":"mover"},"events":[{"event_type":"user_identity_change","data":{
                 "old":{"identity_type":"email","identity":"old@example.com"},
                 "new":{"identity_type":"email","identity":"new@example.com"}}}]}""");
        assertThat(fixture.ownersOf("email", "old@example.com")).isEmpty();
        assertThat(fixture.ownersOf("email", "new@example.com")).containsExactly(user);
        assertThat(fixture.profileColumn(user, "identities")).contains("new@example.com")
                .doesNotContain("old@example.com");
        assertThat(mpidOf(email("old@example.com"))).as("the old email is someone new").isNotEqualTo(user);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void of_two_emails_in_one_request_the_last_stays_and_the_other_is_released() {
        sendBulk("{\"user_identities\":{\"customer_id\":\"twice\",\"email\":\"a@example.com\"}}",
                "{\"user_identities\":{\"customer_id\":\"twice\",\"email\":\"b@example.com\"}}");
        long user = fixture.ownersOf("customer_id", "twice").get(0);
        assertThat(fixture.ownersOf("email", "a@example.com")).isEmpty();
        assertThat(fixture.ownersOf("email", "b@example.com")).containsExactly(user);
        sendBulk("{\"user_identities\":{\"customer_id\":\"twice\",\"email\":\"c@example.com\"}}",
                "{\"user_identities\":{\"customer_id\":\"twice\",\"email\":\"b@example.com\"}}");
        assertThat(fixture.ownersOf("email", "c@example.com")).isEmpty();
        assertThat(fixture.ownersOf("email", "b@example.com")).containsExactly(user);
        assertThat(mpidOf(email("a@example.com"))).isNotEqualTo(user);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void a_changed_email_in_a_batch_replaces_and_releases_the_old_one_while_devices_accumulate() {
        long user = mpidOf("\"user_identities\":{\"customer_id\":\"switcher\",\"email\":\"first@example.com\"},"
                + "\"device_info\":{\"ios_idfv\":\"PHONE-1\"}");
        assertThat(mpidOf("\"user_identities\":{\"customer_id\":\"switcher\",\"email\":\"second@example.com\"},"
                + "\"device_info\":{\"ios_idfv\":\"PHONE-2\"}")).isEqualTo(user);
        assertThat(fixture.ownersOf("email", "first@example.com")).isEmpty();
        assertThat(fixture.profileColumn(user, "identities")).contains("second@example.com", "PHONE-2");
        assertThat(mpidOf("\"device_info\":{\"ios_idfv\":\"PHONE-1\"}")).as("the first phone is still theirs")
                .isEqualTo(user);
        assertThat(mpidOf(email("first@example.com"))).isNotEqualTo(user);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void an_identity_another_profile_holds_stays_there_is_not_shown_by_the_claimant_and_the_conflict_is_visible() {
        long alice = mpidOf("\"user_identities\":{\"customer_id\":\"alice\",\"email\":\"alice@example.com\"}");
        long bob = mpidOf("\"user_identities\":{\"customer_id\":\"bob\",\"email\":\"bob@example.com\"}");
        send("{\"user_identities\":{\"customer_id\":\"alice\",\"email\":\"bob@example.com\"}}");
        send("{\"user_identities\":{\"customer_id\":\"alice\",\"email\":\"bob@example.com\"}}");

        assertThat(fixture.ownersOf("email", "bob@example.com")).containsExactly(bob);
        assertThat(fixture.profileColumn(alice, "identities")).contains("alice@example.com")
                .doesNotContain("bob@example.com");
        assertThat(fixture.identityDisagreements()).isEmpty();

        List<IdentityConflict> seenFromAlice = members.asAdmin(() -> profiles.lookup(fixture.workspace.id(),
                LookupKind.CUSTOMER_ID, "alice")).orElseThrow().identityConflicts();
        assertThat(seenFromAlice).singleElement().satisfies(conflict -> {
            assertThat(conflict.claimantMpid()).isEqualTo(alice);
            assertThat(conflict.ownerMpid()).isEqualTo(bob);
            assertThat(conflict.identityType()).isEqualTo("email");
            assertThat(conflict.identityValue()).isEqualTo("bob@example.com");
            assertThat(conflict.occurrences()).isEqualTo(2);
        });
        assertThat(members.asAdmin(() -> profiles.lookup(fixture.workspace.id(), LookupKind.CUSTOMER_ID, "bob"))
                .orElseThrow().identityConflicts()).extracting(IdentityConflict::claimantMpid).containsExactly(alice);
    }

    @Test
    void an_anonymous_device_profile_becomes_the_user_who_logs_in_but_a_second_user_on_the_device_gets_their_own() {
        long anonymous = mpidOf("\"device_info\":{\"ios_idfv\":\"SHARED-IPAD\"}");
        assertThat(mpidOf("\"user_identities\":{\"customer_id\":\"first-user\"},"
                + "\"device_info\":{\"ios_idfv\":\"SHARED-IPAD\"}")).as("logging in keeps the history").isEqualTo(anonymous);
        long second = mpidOf("\"user_identities\":{\"customer_id\":\"second-user\"},"
                + "\"device_info\":{\"ios_idfv\":\"SHARED-IPAD\"}");
        assertThat(second).as("another customer id is another user").isNotEqualTo(anonymous);
        assertThat(fixture.ownersOf("customer_id", "first-user")).containsExactly(anonymous);
        assertThat(fixture.ownersOf("customer_id", "second-user")).containsExactly(second);
        assertThat(fixture.ownersOf("ios_idfv", "SHARED-IPAD")).containsExactly(anonymous);
        assertThat(mpidOf("\"user_identities\":{\"customer_id\":\"second-user\"}")).isEqualTo(second);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void user_attribute_updates_within_one_request_end_as_the_last_write_says() throws Exception {
        long user = mpidOf("\"user_identities\":{\"customer_id\":\"attrs\"},\"user_attributes\":{\"a\":\"1\","
                + "\"b\":\"2\",\"c\":\"3\",\"$city\":\"Paris\",\"$country\":\"FR\"}");
        sendBulk("{\"user_identities\":{\"customer_id\":\"attrs\"},\"deleted_user_attributes\":[\"a\"],"
                        + "\"user_attributes\":{\"b\":\"3\"}}",
                """
                {"user_identities":{"customer_id":"attrs"},"user_attributes":{"e":["x","y"]},"events":[
                 {"event_type":"user_attribute_change","data":{"user_attribute_name":"c","deleted":true}},
                 {"event_type":"user_attribute_change","data":{"user_attribute_name":"d","new":"1"}},
                 {"event_type":"user_attribute_change","data":{"user_attribute_name":"d","deleted":true}},
                 {"event_type":"user_attribute_change","data":{"user_attribute_name":"d","new":"4"}}]}""",
                "{\"user_identities\":{\"customer_id\":\"attrs\"},\"deleted_user_attributes\":[\"$city\"]}");
        assertThat(json.readTree(fixture.profileColumn(user, "user_attributes")))
                .isEqualTo(json.readTree("{\"b\":\"3\",\"d\":\"4\",\"e\":[\"x\",\"y\"],\"$country\":\"FR\"}"));
        assertThat(fixture.profileColumn(user, "city")).as("deleting $city clears the column").isNull();
        assertThat(fixture.profileColumn(user, "country")).isEqualTo("FR");
    }

    @Test
    void user_attribute_updates_across_requests_end_as_the_last_write_says() throws Exception {
        long user = mpidOf("\"user_identities\":{\"customer_id\":\"later\"},\"user_attributes\":{\"a\":\"1\","
                + "\"b\":\"2\"}");
        // MariaDB's JSON_MERGE_PATCH('{"a":1,"b":2}', '{"b":3,"a":null}') answers {"b":2}: the case that lost updates
        send("{\"user_identities\":{\"customer_id\":\"later\"},\"user_attributes\":{\"b\":\"3\"},"
                + "\"deleted_user_attributes\":[\"a\"]}");
        assertThat(json.readTree(fixture.profileColumn(user, "user_attributes")))
                .isEqualTo(json.readTree("{\"b\":\"3\"}"));
        send("{\"user_identities\":{\"customer_id\":\"later\"},\"user_attributes\":{\"a\":\"again\"}}");
        send("{\"user_identities\":{\"customer_id\":\"later\"},\"deleted_user_attributes\":[\"b\",\"a\"]}");
        send("{\"user_identities\":{\"customer_id\":\"later\"},\"user_attributes\":{\"b\":\"last\"}}");
        assertThat(json.readTree(fixture.profileColumn(user, "user_attributes")))
                .isEqualTo(json.readTree("{\"b\":\"last\"}"));
    }
}
