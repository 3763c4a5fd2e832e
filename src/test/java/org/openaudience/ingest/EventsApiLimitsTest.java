package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Every value the Events API stores has a limit no larger than its column's: a value at the limit is accepted and
 * stored as sent, one over is refused with 400 naming the field, and a refused request writes nothing (README, Events
 * API limits). Lengths are characters (code points), so limits hold for emoji and non-Latin scripts too.
 */
@IntegrationTest
@AutoConfigureMockMvc
class EventsApiLimitsTest {

    static final String EMOJI = "\uD83D\uDE00";
    static final String KANJI = "東";
    static final String HIRAGANA = "あ";
    static final String CYRILLIC_UPPER = "Ж";
    static final String CYRILLIC_LOWER = "ж";

    @Autowired
    MockMvc mvc;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    IngestFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
    }

    /**
     * One limit: {@code template} with {@code $V} replaced by a value at the limit is accepted and {@code storedSql}
     * (with the workspace id as its parameter) reads back {@code stored}; with a value one over, it is refused naming
     * {@code path}. A template that starts with {@code [} is a bulk request.
     */
    record Limit(String name, String path, String template, String atLimit, String overLimit, String storedSql,
                 String stored) {

        String body(String value) {
            return template.replace("$V", value);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Limit limit(String name, String path, String template, String atLimit, String overLimit,
                       String storedSql) {
        return new Limit(name, path, template, atLimit, overLimit, storedSql, atLimit);
    }

    static Limit limit(String name, String path, String template, String atLimit, String overLimit,
                       String storedSql, String stored) {
        return new Limit(name, path, template, atLimit, overLimit, storedSql, stored);
    }

    static String text(int length) {
        return "x".repeat(length);
    }

    static String customEvent(String data) {
        return "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Limits\"," + data + "}}]}";
    }

    static String purchase(String productAction) {
        return "{\"events\":[{\"event_type\":\"commerce_event\",\"data\":{\"product_action\":{\"action\":\"purchase\","
                + productAction + "}}}]}";
    }

    static String identityChange(String side) {
        return "{\"events\":[{\"event_type\":\"user_identity_change\",\"data\":{\"" + side
                + "\":{\"identity_type\":\"other\",\"identity\":\"$V\"}}}]}";
    }

    static String attributeChange(String name) {
        return "{\"events\":[{\"event_type\":\"user_attribute_change\",\"data\":{\"user_attribute_name\":\"" + name
                + "\",\"new\":\"$V\"}}]}";
    }

    static String strings(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
    }

    static String products(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"id\":\"p" + i + "\"}").collect(Collectors.joining(","));
    }

    static String customAttributes(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"a" + i + "\":\"v\"").collect(Collectors.joining(","));
    }

    /** Nested arrays around one string: {@code levels} levels of arrays. */
    static String nested(int levels) {
        return "[".repeat(levels) + "\"deep\"" + "]".repeat(levels);
    }

    static final String EVENT_KEY = "SELECT event_key FROM event WHERE workspace_id = ?";
    static final String IDENTITY = "SELECT identity_value FROM profile_identity WHERE workspace_id = ? AND "
            + "identity_type = ";
    static final String USER_ATTRIBUTES = "SELECT JSON_VALUE(user_attributes, '$.%s') FROM profile "
            + "WHERE workspace_id = ?";
    static final String EVENT_ATTRIBUTE = "SELECT JSON_VALUE(attributes, '$.%s') FROM event WHERE workspace_id = ?";

    static Stream<Limit> limits() {
        return Stream.of(
                limit("source_request_id ≤ 100", "source_request_id", "{\"source_request_id\":\"$V\"}", text(100),
                        text(101), "SELECT source_request_id FROM ingest_batch WHERE workspace_id = ?"),
                limit("device_info.platform ≤ 30", "device_info.platform",
                        "{\"device_info\":{\"platform\":\"$V\"},\"events\":[{\"event_type\":\"session_start\"}]}",
                        text(30), text(31), "SELECT platform FROM event WHERE workspace_id = ?"),
                limit("other device_info values ≤ 4096", "device_info.os_version",
                        "{\"device_info\":{\"os_version\":\"$V\"}}", text(4096), text(4097),
                        "SELECT JSON_VALUE(device_info, '$.os_version') FROM profile WHERE workspace_id = ?"),
                limit("customer_id ≤ 255", "user_identities.customer_id",
                        "{\"user_identities\":{\"customer_id\":\"$V\"}}", text(255), text(256),
                        IDENTITY + "'customer_id'"),
                limit("customerid ≤ 255 in kanji", "user_identities.customerid",
                        "{\"user_identities\":{\"customerid\":\"$V\"}}", KANJI.repeat(255), KANJI.repeat(256),
                        IDENTITY + "'customer_id'"),
                limit("email ≤ 255 as stored: trimmed and lower-cased (Cyrillic)", "user_identities.email",
                        "{\"user_identities\":{\"email\":\"  $V \"}}", CYRILLIC_UPPER.repeat(255),
                        CYRILLIC_UPPER.repeat(256), IDENTITY + "'email'", CYRILLIC_LOWER.repeat(255)),
                limit("other ≤ 255 in emoji", "user_identities.other",
                        "{\"user_identities\":{\"other\":\"$V\"}}", EMOJI.repeat(255), EMOJI.repeat(256),
                        IDENTITY + "'other'"),
                limit("mp_deviceid ≤ 255", "mp_deviceid", "{\"mp_deviceid\":\"$V\"}", text(255), text(256),
                        IDENTITY + "'mp_deviceid'"),
                limit("device_info.ios_idfv ≤ 255", "device_info.ios_idfv",
                        "{\"device_info\":{\"ios_idfv\":\"$V\"}}", text(255), text(256), IDENTITY + "'ios_idfv'"),
                limit("user_identity_change new identity ≤ 255", "events[0].data.new.identity",
                        identityChange("new"), text(255), text(256), IDENTITY + "'other'"),
                limit("user_identity_change old identity ≤ 255", "events[0].data.old.identity",
                        identityChange("old"), text(255), text(256), EVENT_KEY, "user_identity_change"),
                limit("user attribute name ≤ 256", "user_attributes", "{\"user_attributes\":{\"$V\":\"v\"}}",
                        text(256), text(257), "SELECT name FROM catalog_attribute WHERE workspace_id = ?"),
                limit("user attribute value ≤ 4096", "user_attributes.note", "{\"user_attributes\":{\"note\":\"$V\"}}",
                        text(4096), text(4097), USER_ATTRIBUTES.formatted("note")),
                limit("user attribute list ≤ 1000 entries", "user_attributes.tags",
                        "{\"user_attributes\":{\"tags\":[$V]}}", strings(1000), strings(1001),
                        "SELECT JSON_LENGTH(user_attributes, '$.tags') FROM profile WHERE workspace_id = ?", "1000"),
                limit("user attribute list entry ≤ 4096", "user_attributes.tags[1]",
                        "{\"user_attributes\":{\"tags\":[\"a\",\"$V\"]}}", text(4096), text(4097),
                        USER_ATTRIBUTES.formatted("tags[1]")),
                limit("$country ≤ 100", "user_attributes.$country", "{\"user_attributes\":{\"$country\":\"$V\"}}",
                        text(100), text(101), "SELECT country FROM profile WHERE workspace_id = ?"),
                limit("$state ≤ 100", "user_attributes.$state", "{\"user_attributes\":{\"$state\":\"$V\"}}",
                        text(100), text(101), "SELECT region FROM profile WHERE workspace_id = ?"),
                limit("$city ≤ 100", "user_attributes.$city", "{\"user_attributes\":{\"$city\":\"$V\"}}",
                        HIRAGANA.repeat(100), HIRAGANA.repeat(101), "SELECT city FROM profile WHERE workspace_id = ?"),
                limit("deleted_user_attributes entry ≤ 256", "deleted_user_attributes[0]",
                        "{\"deleted_user_attributes\":[\"$V\"],\"user_attributes\":{\"kept\":\"yes\"}}", text(256),
                        text(257), USER_ATTRIBUTES.formatted("kept"), "yes"),
                limit("user_attribute_change name ≤ 256", "events[0].data.user_attribute_name",
                        "{\"events\":[{\"event_type\":\"user_attribute_change\",\"data\":{\"user_attribute_name\":"
                                + "\"$V\",\"new\":\"gold\"}}]}", text(256), text(257),
                        "SELECT JSON_UNQUOTE(JSON_EXTRACT(JSON_KEYS(user_attributes), '$[0]')) FROM profile "
                                + "WHERE workspace_id = ?"),
                limit("user_attribute_change value ≤ 4096", "events[0].data.new", attributeChange("plan"),
                        text(4096), text(4097), USER_ATTRIBUTES.formatted("plan")),
                limit("user_attribute_change $city ≤ 100", "events[0].data.new", attributeChange("$city"),
                        text(100), text(101), "SELECT city FROM profile WHERE workspace_id = ?"),
                limit("event_name ≤ 255", "events[0].data.event_name",
                        "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"$V\"}}]}",
                        text(255), text(256), EVENT_KEY),
                limit("event_name ≤ 255 in emoji", "events[0].data.event_name",
                        "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"$V\"}}]}",
                        EMOJI.repeat(255), EMOJI.repeat(256), EVENT_KEY),
                limit("event_name ≤ 255 in hiragana, in a bulk request", "[1].events[0].data.event_name",
                        "[{},{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"$V\"}}]}]",
                        HIRAGANA.repeat(255), HIRAGANA.repeat(256), EVENT_KEY),
                limit("screen_name ≤ 255", "events[0].data.screen_name",
                        "{\"events\":[{\"event_type\":\"screen_view\",\"data\":{\"screen_name\":\"$V\"}}]}",
                        text(255), text(256), EVENT_KEY),
                limit("product_action.action ≤ 255", "events[0].data.product_action.action",
                        "{\"events\":[{\"event_type\":\"commerce_event\",\"data\":{\"product_action\":"
                                + "{\"action\":\"$V\"}}}]}", text(255), text(256), EVENT_KEY),
                limit("promotion_action.action ≤ 245 (the key has the promotion_ prefix)",
                        "events[0].data.promotion_action.action",
                        "{\"events\":[{\"event_type\":\"commerce_event\",\"data\":{\"promotion_action\":"
                                + "{\"action\":\"$V\"}}}]}", text(245), text(246), EVENT_KEY,
                        "promotion_" + text(245)),
                limit("application_transition_type ≤ 255", "events[0].data.application_transition_type",
                        "{\"events\":[{\"event_type\":\"application_state_transition\",\"data\":"
                                + "{\"application_transition_type\":\"$V\"}}]}", text(255), text(256), EVENT_KEY),
                limit("custom attribute key ≤ 256", "events[0].data.custom_attributes",
                        customEvent("\"custom_attributes\":{\"$V\":\"v\"}"), text(256), text(257),
                        "SELECT name FROM catalog_attribute WHERE workspace_id = ? AND event_type = 'custom_event'"),
                limit("custom attribute value ≤ 4096", "events[0].data.custom_attributes.destination",
                        customEvent("\"custom_attributes\":{\"destination\":\"$V\"}"), text(4096), text(4097),
                        EVENT_ATTRIBUTE.formatted("destination")),
                limit("custom attributes ≤ 100 per event", "events[0].data.custom_attributes",
                        customEvent("\"custom_attributes\":{$V}"), customAttributes(100), customAttributes(101),
                        "SELECT JSON_LENGTH(attributes) FROM event WHERE workspace_id = ?", "100"),
                limit("product field name ≤ 248 (stored as product.<name> ≤ 256)",
                        "events[0].data.product_action.products[0]", purchase("\"products\":[{\"$V\":\"v\"}]"),
                        text(248), text(249), "SELECT name FROM catalog_attribute WHERE workspace_id = ? AND name "
                                + "LIKE 'product.%'", "product." + text(248)),
                limit("product field value ≤ 4096", "events[0].data.product_action.products[0].name",
                        purchase("\"products\":[{\"name\":\"$V\"}]"), text(4096), text(4097),
                        EVENT_ATTRIBUTE.formatted("\"product.name\"[0]")),
                limit("products ≤ 1000 per event", "events[0].data.product_action.products",
                        purchase("\"products\":[$V]"), products(1000), products(1001),
                        "SELECT JSON_LENGTH(attributes, '$.\"product.id\"') FROM event WHERE workspace_id = ?",
                        "1000"),
                limit("product action values ≤ 4096", "events[0].data.product_action.transaction_id",
                        purchase("\"transaction_id\":\"$V\""), text(4096), text(4097),
                        EVENT_ATTRIBUTE.formatted("transaction_id")),
                limit("body nested 32 levels deep", "nested more than 32 levels",
                        // batch, events, event and data are 4 levels; the extra value inside data the rest
                        customEvent("\"extra\":$V"), nested(28), nested(29),
                        "SELECT JSON_VALUE(data, '$.extra" + "[0]".repeat(28) + "') FROM event WHERE workspace_id = ?",
                        "deep"),
                limit("latitude from -90 to 90", "events[0].data.location.latitude",
                        "{\"events\":[{\"event_type\":\"session_start\",\"data\":{\"location\":{\"latitude\":$V,"
                                + "\"longitude\":0}}}]}", "-90", "-90.000001",
                        "SELECT latitude FROM profile WHERE workspace_id = ?", "-90.0"),
                limit("longitude from -180 to 180", "events[0].data.location.longitude",
                        "{\"events\":[{\"event_type\":\"session_start\",\"data\":{\"location\":{\"latitude\":0,"
                                + "\"longitude\":$V}}}]}", "180", "180.000001",
                        "SELECT longitude FROM profile WHERE workspace_id = ?", "180.0"),
                limit("mpid fits a signed 64-bit integer", "mpid", "{\"mpid\":$V}", "9223372036854775807",
                        "9223372036854775808", "SELECT mpid FROM profile WHERE workspace_id = ?"));
    }

    /** Requests that break a rule other than a length: the field (or the problem) the message must name. */
    record Refusal(String name, String body, String messagePart) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("an unknown identity type, listing the known ones", "{\"user_identities\":{\"fax\":\"1\"}}",
                        "user_identities.fax is not a known identity type; known types are customer_id, customerid, "
                                + "email"),
                new Refusal("an unknown identity type in a user_identity_change event",
                        "{\"events\":[{\"event_type\":\"user_identity_change\",\"data\":{\"new\":{\"identity_type\":"
                                + "\"fax\",\"identity\":\"1\"}}}]}", "events[0].data.new.identity_type \"fax\""),
                new Refusal("a user_identity_change identity that is not a string",
                        "{\"events\":[{\"event_type\":\"user_identity_change\",\"data\":{\"new\":{\"identity_type\":"
                                + "\"email\",\"identity\":{\"a\":1}}}}]}", "events[0].data.new.identity"),
                new Refusal("an identity value that is an object", "{\"user_identities\":{\"customer_id\":{}}}",
                        "user_identities.customer_id must be a string"),
                new Refusal("an object-valued user attribute",
                        "{\"user_attributes\":{\"address\":{\"city\":\"Paris\"}}}",
                        "user_attributes.address must be a string, number, boolean or list"),
                new Refusal("a nested list in a user attribute", "{\"user_attributes\":{\"tags\":[[\"a\"]]}}",
                        "user_attributes.tags[0] must be a string, number or boolean"),
                new Refusal("an object as user_attribute_change value",
                        "{\"events\":[{\"event_type\":\"user_attribute_change\",\"data\":{\"user_attribute_name\":"
                                + "\"plan\",\"new\":{\"a\":1}}}]}", "events[0].data.new must be"),
                new Refusal("a user_attribute_change without a name",
                        "{\"events\":[{\"event_type\":\"user_attribute_change\",\"data\":{\"new\":\"gold\"}}]}",
                        "events[0].data.user_attribute_name"),
                new Refusal("a blank user attribute name", "{\"user_attributes\":{\" \":\"v\"}}",
                        "user_attributes has an empty attribute name"),
                new Refusal("a deleted user attribute that is not a name", "{\"deleted_user_attributes\":[1]}",
                        "deleted_user_attributes[0] must be an attribute name"),
                new Refusal("an object in device_info", "{\"device_info\":{\"screen\":{\"width\":1}}}",
                        "device_info.screen must be a string, number, boolean or null"),
                new Refusal("a source_request_id that is an object", "{\"source_request_id\":{\"id\":1}}",
                        "source_request_id must be a string"),
                new Refusal("a latitude that is not a number",
                        "{\"events\":[{\"event_type\":\"session_start\",\"data\":{\"location\":{\"latitude\":\"north\","
                                + "\"longitude\":0}}}]}", "events[0].data.location.latitude must be a number"),
                new Refusal("an infinite longitude",
                        "{\"events\":[{\"event_type\":\"session_start\",\"data\":{\"location\":{\"latitude\":0,"
                                + "\"longitude\":1e999}}}]}", "events[0].data.location.longitude must be a number"),
                new Refusal("an infinite custom attribute number",
                        "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"x\","
                                + "\"custom_attributes\":{\"price\":1e999}}}]}",
                        "events[0].data.custom_attributes.price is a number out of range"),
                new Refusal("an infinite user attribute number", "{\"user_attributes\":{\"score\":-1e999}}",
                        "user_attributes.score is a number out of range"),
                new Refusal("a second JSON value after the body", "{\"events\":[]}{\"events\":[]}",
                        "more content after the end of the JSON body"),
                new Refusal("text after the body", "{\"events\":[]} x", "Malformed JSON at line 1, column 16"),
                new Refusal("a second array after a bulk body", "[{}] []",
                        "more content after the end of the JSON body"),
                new Refusal("a body nested deeper than 32 levels, in a bulk request", "[" + nested(32) + "]",
                        "nested more than 32 levels"));
    }

    @Test
    void an_empty_source_request_id_names_no_request_so_every_batch_with_one_is_stored() throws Exception {
        send("{\"source_request_id\":\"\",\"events\":[{\"event_type\":\"session_start\"}]}")
                .andExpect(status().isAccepted());
        send("{\"source_request_id\":\"\",\"events\":[{\"event_type\":\"session_start\"}]}")
                .andExpect(status().isAccepted());
        assertThat(fixture.count("event")).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ingest_batch WHERE workspace_id = ? AND source_request_id IS NULL")
                .param(fixture.workspace.id()).query(Long.class).single()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void a_value_at_the_limit_is_accepted_and_stored_as_sent(Limit limit) throws Exception {
        send(limit.body(limit.atLimit())).andExpect(status().isAccepted());
        assertThat(jdbc.sql(limit.storedSql()).param(fixture.workspace.id()).query(String.class).single())
                .isEqualTo(limit.stored());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void a_value_one_over_the_limit_is_refused_naming_the_field_and_nothing_is_written(Limit limit)
            throws Exception {
        assertRefused(send(limit.body(limit.overLimit())), limit.path());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void a_value_of_the_wrong_kind_is_refused_naming_the_field_and_nothing_is_written(Refusal refusal)
            throws Exception {
        assertRefused(send(refusal.body()), refusal.messagePart());
    }

    /** Where a time field is, and the column that stores it. */
    record TimeField(String name, String path, String template, String earliestSql, String latestSql) {

        String body(long millis) {
            return template.replace("$T", Long.toString(millis));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TimeField> timeFields() {
        return Stream.of(
                new TimeField("batch time", "timestamp_unixtime_ms", "{\"timestamp_unixtime_ms\":$T}",
                        "SELECT MIN(first_seen_at) FROM profile WHERE workspace_id = ?",
                        "SELECT MAX(last_seen_at) FROM profile WHERE workspace_id = ?"),
                new TimeField("event time", "events[0].data.timestamp_unixtime_ms",
                        "{\"events\":[{\"event_type\":\"session_start\",\"data\":{\"timestamp_unixtime_ms\":$T}}]}",
                        "SELECT MIN(event_time) FROM event WHERE workspace_id = ?",
                        "SELECT MAX(event_time) FROM event WHERE workspace_id = ?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeFields")
    void times_from_2000_to_24_hours_ahead_are_stored_and_times_outside_are_refused(TimeField field)
            throws Exception {
        Instant earliest = Instant.parse("2000-01-01T00:00:00Z");
        Instant latest = clock.instant().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        assertRefused(send(field.body(earliest.toEpochMilli() - 1)), field.path() + " 946684799999 is outside "
                + "the accepted range");
        assertRefused(send(field.body(latest.toEpochMilli() + 1)), field.path());

        send(field.body(earliest.toEpochMilli())).andExpect(status().isAccepted());
        send(field.body(latest.toEpochMilli())).andExpect(status().isAccepted());
        assertThat(storedTime(field.earliestSql())).isEqualTo(earliest);
        assertThat(storedTime(field.latestSql())).isEqualTo(latest);
    }

    @Test
    void a_time_of_0_or_null_is_the_time_received() throws Exception {
        send("{\"timestamp_unixtime_ms\":0,\"events\":[{\"event_type\":\"session_start\",\"data\":"
                + "{\"timestamp_unixtime_ms\":null}}]}").andExpect(status().isAccepted());
        Instant received = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(storedTime("SELECT event_time FROM event WHERE workspace_id = ?")).isEqualTo(received);
        assertThat(storedTime("SELECT first_seen_at FROM profile WHERE workspace_id = ?")).isEqualTo(received);
    }

    @Test
    void a_negative_time_is_refused_rather_than_taken_as_the_time_received() throws Exception {
        assertRefused(send("{\"timestamp_unixtime_ms\":-1}"), "timestamp_unixtime_ms -1 is outside");
    }

    private Instant storedTime(String sql) {
        return jdbc.sql(sql).param(fixture.workspace.id()).query(Timestamp.class).single().toInstant();
    }

    private ResultActions send(String body) throws Exception {
        return mvc.perform(fixture.post(body.startsWith("[") ? "/v2/bulkevents" : "/v2/events", body));
    }

    private void assertRefused(ResultActions result, String messagePart) throws Exception {
        result.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].code").value("BAD_REQUEST"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString(messagePart)));
        assertThat(fixture.written()).as("rows written by a refused request").isZero();
    }
}
