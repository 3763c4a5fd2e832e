package org.openaudience.criteria;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Random profiles and events written straight into a workspace's tables, with values chosen to hit the edges of the
 * text rule (mixed case, accents composed and decomposed, leading and trailing spaces, LIKE and pattern wildcards,
 * non-Latin scripts, case pairs Java and MariaDB must fold alike), numbers as text and as JSON, dates in every
 * accepted form, lists (with nested lists and nulls), JSON nulls, missing attributes, and brand-new profiles with
 * nothing but an MPID.
 */
final class RandomProfiles {

    /** Names criteria use; events are also sent under {@link #NAME_VARIANTS} of them. */
    static final List<String> EVENT_NAMES = List.of("Play Video", "Search", "Add Note", "Écouter");
    static final List<String> NAME_VARIANTS = List.of("play video", "PLAY VIDEO", "Play Video ", "Play Vidéo",
            "SEARCH", "écouter", "ÉCOUTER", "Ecouter", "Écouter");
    static final List<String> SCREENS = List.of("Home", "Cart");
    static final List<String> ACTIONS = List.of("purchase", "add_to_cart");
    static final List<String> EVENT_ATTRIBUTES = List.of("destination", "duration", "tags", "when", "autoplay");
    static final List<String> USER_ATTRIBUTES = List.of("status", "age", "interests", "signup", "vip");
    static final List<String> STRINGS = List.of("Paris", "paris", "Cannes", "Nice", "Été", "a_b%c", "x*y", "premium",
            "Premium", "12", "true", "");
    /** The text rule's edges: only case may differ for a match. */
    static final List<String> ODD_TEXT = List.of("São Paulo", "sao paulo", "SÃO PAULO", "Sa\u0303o Paulo", "München",
            "munchen", "MÜNCHEN", "Gold ", "gold", " GOLD", "東京", "Москва", "МОСКВА", "ΟΔΟΣ", "οδος", "οδοσ",
            "straße", "STRASSE", "İstanbul", "ıstanbul", "ISTANBUL", "%", "_", "a%b", "A_B", "?", "*", "12\n",
            "TRUE ", " true", "😀 Fun", "😀 FUN", "ǅemal", "ǆemal", "Ⱟ", "ⱟ", "ẞ", "ß", "ſ", "S");

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Random random;
    private final Instant now;

    RandomProfiles(Random random, Instant now) {
        this.random = random;
        this.now = now;
    }

    void write(JdbcClient jdbc, long workspaceId, List<Long> inputIds, int profiles) {
        for (int i = 0; i < profiles; i++) {
            long mpid = random.nextLong();
            if (random.nextInt(10) == 0) {
                // brand new: no attributes, identities, location or events yet
                jdbc.sql("""
                                INSERT INTO profile (workspace_id, mpid, identities, user_attributes, device_info,
                                                     platforms, first_seen_at, last_seen_at)
                                VALUES (?, ?, '{}', '{}', '{}', '{}', ?, ?)""")
                        .params(workspaceId, mpid, Timestamp.from(now), Timestamp.from(now)).update();
                continue;
            }
            Instant firstSeen = now.minus(Duration.ofMinutes(random.nextInt(70 * 24 * 60)));
            jdbc.sql("""
                            INSERT INTO profile (workspace_id, mpid, identities, user_attributes, device_info, platforms,
                                                 country, region, city, first_seen_at, last_seen_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(workspaceId, mpid, identities().toString(), attributes(USER_ATTRIBUTES).toString(),
                            device().toString(), platforms().toString(), maybe(text()), maybe(text()),
                            maybe(text()), Timestamp.from(firstSeen),
                            Timestamp.from(now.minus(Duration.ofMinutes(random.nextInt(24 * 60)))))
                    .update();
            for (int e = random.nextInt(25); e > 0; e--) {
                writeEvent(jdbc, workspaceId, mpid, inputIds.get(random.nextInt(inputIds.size())));
            }
        }
    }

    private void writeEvent(JdbcClient jdbc, long workspaceId, long mpid, long inputId) {
        writeEvent(jdbc, workspaceId, mpid, event(inputId));
    }

    /** Stores the event for the profile as ingestion does (attributes as JSON text). */
    void writeEvent(JdbcClient jdbc, long workspaceId, long mpid, ProfileFacts.EventFact event) {
        jdbc.sql("""
                        INSERT INTO event (workspace_id, mpid, input_id, batch_id, event_type, event_key,
                                           custom_event_type, platform, environment, event_time, received_at,
                                           attributes, data)
                        VALUES (?, ?, ?, 0, ?, ?, ?, 'web', 'production', ?, ?, ?, '{}')""")
                .params(workspaceId, mpid, event.inputId(), event.eventType(), event.eventKey(), event.customEventType(),
                        Timestamp.from(event.time()), Timestamp.from(now), event.attributes().toString())
                .update();
    }

    /** A random event of the kinds, names, attributes and times the generated profiles have. */
    ProfileFacts.EventFact event(long inputId) {
        String[] typeAndKey = switch (random.nextInt(7)) {
            case 0, 1 -> new String[] {"custom_event", random.nextBoolean() ? pick(EVENT_NAMES) : pick(NAME_VARIANTS)};
            case 2 -> new String[] {"screen_view", pick(SCREENS)};
            case 3 -> new String[] {"commerce_event", pick(ACTIONS)};
            case 4 -> new String[] {"session_start", "session_start"};
            case 5 -> new String[] {"application_state_transition", "application_initialized"};
            default -> new String[] {pick(List.of("crash_report", "uninstall")), null};
        };
        String key = typeAndKey[1] == null ? typeAndKey[0] : typeAndKey[1];
        ObjectNode attributes = attributes(EVENT_ATTRIBUTES);
        if (typeAndKey[0].equals("application_state_transition")) {
            attributes.put("is_first_run", random.nextBoolean() ? "true" : "false");
            attributes.put("is_upgrade", random.nextBoolean());
        }
        // mostly within the last 60 days, some a few minutes around the window edges
        Instant time = now.minus(Duration.ofMinutes(random.nextInt(62 * 24 * 60))).minusMillis(random.nextInt(1000));
        String customEventType = typeAndKey[0].equals("custom_event")
                ? pick(List.of("media", "Media", "média", "search", "other")) : null;
        return new ProfileFacts.EventFact(typeAndKey[0], key, customEventType, inputId, time, attributes);
    }

    /** A random profile's facts (attributes, identities, platforms) with these events, as the evaluator reads them. */
    ProfileFacts facts(long mpid, List<ProfileFacts.EventFact> events) {
        Instant firstSeen = now.minus(Duration.ofMinutes(random.nextInt(70 * 24 * 60)));
        return new ProfileFacts(mpid, attributes(USER_ATTRIBUTES), identities(), device(), platforms(), maybe(text()),
                maybe(text()), maybe(text()), firstSeen, now.minus(Duration.ofMinutes(random.nextInt(24 * 60))),
                events);
    }

    private ObjectNode attributes(List<String> names) {
        ObjectNode attributes = json.objectNode();
        for (String name : names) {
            switch (random.nextInt(11)) {
                case 0 -> { } // missing
                case 1 -> attributes.put(name, pick(STRINGS));
                case 9 -> attributes.put(name, pick(ODD_TEXT));
                case 10 -> attributes.putNull(name);
                case 2 -> attributes.put(name, pick(List.of("12", "12.5", "-3", "100", "abc", "7.50", "12\n", " 12",
                        "1e2", "٣")));
                case 3 -> attributes.put(name, pick(List.of(12, 7, 100, -3)));
                case 4 -> attributes.put(name, random.nextInt(3) == 0 ? 12.5 : 0.0);
                case 5 -> attributes.put(name, pick(List.of("true", "FALSE", "True", "true ", " TRUE")));
                case 6 -> attributes.put(name, random.nextBoolean());
                case 7 -> attributes.put(name, date());
                default -> {
                    ArrayNode list = attributes.putArray(name);
                    for (int i = random.nextInt(3); i >= 0; i--) {
                        switch (random.nextInt(8)) {
                            case 0 -> list.add(random.nextInt(20));
                            case 1 -> list.add(pick(ODD_TEXT));
                            case 2 -> list.addArray().add(pick(STRINGS)); // nested lists are not searched
                            case 3 -> list.add(random.nextBoolean() ? list.nullNode() : list.booleanNode(true));
                            default -> list.add(pick(STRINGS));
                        }
                    }
                }
            }
        }
        return attributes;
    }

    private String date() {
        Instant time = now.minus(Duration.ofHours(random.nextInt(70 * 24)));
        return switch (random.nextInt(4)) {
            case 0 -> String.valueOf(time.toEpochMilli());
            case 1 -> time.toString().substring(0, 10);
            // dates that are no dates (MariaDB's STR_TO_DATE rolls them over), and a real leap day
            case 2 -> pick(List.of("2024-02-30", "2023-02-29", "2024-04-31T10:00:00Z", "2024-06-15T24:00:00Z",
                    "2024-02-29", "2024-02-29T23:59:59Z"));
            default -> time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        };
    }

    private ObjectNode identities() {
        ObjectNode identities = json.objectNode();
        if (random.nextBoolean()) {
            identities.put("customer_id", pick(List.of("C-1", "c-1", "Paris", "x*y", "C-1 ", "Ç-1")));
        }
        if (random.nextBoolean()) {
            identities.put("email", pick(List.of("a@b.c", "Premium@x.y")));
        }
        return identities;
    }

    private ObjectNode device() {
        ObjectNode device = json.objectNode();
        if (random.nextBoolean()) {
            device.put("os_version", pick(List.of("17.4", "14", "12")));
        }
        return device;
    }

    private ObjectNode platforms() {
        ObjectNode platforms = json.objectNode();
        for (String platform : List.of("iOS", "web", "Android")) {
            if (random.nextInt(3) == 0) {
                platforms.put(platform, true);
            }
        }
        return platforms;
    }

    private String text() {
        return random.nextInt(3) == 0 ? pick(ODD_TEXT) : pick(STRINGS);
    }

    private String maybe(String value) {
        return random.nextInt(3) == 0 ? null : value;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
