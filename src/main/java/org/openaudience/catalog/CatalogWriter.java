package org.openaudience.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openaudience.base.MultiRowInsert;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adds one request's observations to the catalog: aggregated in memory first, then one batched upsert per table in
 * key order (so concurrent requests lock catalog rows in the same order and never deadlock). Called last in the
 * ingesting transaction, so the hot catalog rows stay locked only until the commit.
 */
@Component
public class CatalogWriter {

    /** Event keys and user attribute names beyond this many per workspace are stored but not catalogued. */
    public static final int MAX_NAMES = 1_000;
    static final String USER_ATTRIBUTE_TYPE = "user_attribute";
    private static final int MAX_EXAMPLES = 5;

    private static final MultiRowInsert UPSERT_EVENT = new MultiRowInsert("INSERT INTO catalog_event (workspace_id, "
            + "event_type, event_key, custom_event_type, event_count, first_seen_at, last_seen_at)", 7, """
            ON DUPLICATE KEY UPDATE event_count = event_count + VALUES(event_count),
                custom_event_type = COALESCE(VALUES(custom_event_type), custom_event_type),
                first_seen_at = LEAST(first_seen_at, VALUES(first_seen_at)),
                last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))""");
    private static final MultiRowInsert UPSERT_ATTRIBUTE = new MultiRowInsert("INSERT INTO catalog_attribute ("
            + "workspace_id, event_type, event_key, name, observations, numbers, booleans, dates, lists, examples, "
            + "first_seen_at, last_seen_at)", 12, """
            ON DUPLICATE KEY UPDATE observations = observations + VALUES(observations),
                numbers = numbers + VALUES(numbers), booleans = booleans + VALUES(booleans),
                dates = dates + VALUES(dates), lists = lists + VALUES(lists),
                examples = IF(JSON_LENGTH(examples) >= 5, examples, JSON_MERGE_PRESERVE(examples, VALUES(examples))),
                first_seen_at = LEAST(first_seen_at, VALUES(first_seen_at)),
                last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))""");

    private final NamedParameterJdbcTemplate jdbc;

    CatalogWriter(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Collects the observations of one request. */
    public static final class Observations {
        private final Map<List<String>, EventAggregate> events = new TreeMap<>(CatalogWriter::compareKeys);
        private final Map<List<String>, AttributeAggregate> attributes = new TreeMap<>(CatalogWriter::compareKeys);

        public void event(String eventType, String eventKey, String customEventType, Instant time, ObjectNode attrs) {
            events.computeIfAbsent(List.of(eventType, eventKey), k -> new EventAggregate(customEventType))
                    .observe(time, customEventType);
            attributes(eventType, eventKey, time, attrs);
        }

        public void userAttributes(Instant time, ObjectNode attrs) {
            attributes(USER_ATTRIBUTE_TYPE, "", time, attrs);
        }

        private void attributes(String eventType, String eventKey, Instant time, ObjectNode attrs) {
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    continue;
                }
                AttributeAggregate aggregate = attributes.computeIfAbsent(List.of(eventType, eventKey,
                        field.getKey()), k -> new AttributeAggregate());
                if (field.getKey().startsWith("product.") && field.getValue().isArray()) {
                    // one value per product of a commerce event: the type is the elements' type
                    field.getValue().forEach(value -> aggregate.observe(time, value));
                } else {
                    aggregate.observe(time, field.getValue());
                }
            }
        }

        public boolean isEmpty() {
            return events.isEmpty() && attributes.isEmpty();
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    /** Records what one input sent to a workspace. */
    public void record(long workspaceId, long inputId, Observations observations, Instant now) {
        if (observations.isEmpty()) {
            return;
        }
        Set<List<String>> dropped = dropOverflow(workspaceId, inputId, observations, now);
        List<Object[]> eventRows = new ArrayList<>();
        observations.events.forEach((key, agg) -> {
            if (!dropped.contains(key)) {
                eventRows.add(new Object[] {workspaceId, key.get(0), key.get(1), agg.customEventType, agg.count,
                        Timestamp.from(agg.first), Timestamp.from(agg.last)});
            }
        });
        UPSERT_EVENT.execute(jdbc.getJdbcTemplate(), eventRows);
        List<Object[]> attributeRows = new ArrayList<>();
        observations.attributes.forEach((key, agg) -> {
            if (!dropped.contains(key.subList(0, 2)) && !dropped.contains(key)) {
                attributeRows.add(new Object[] {workspaceId, key.get(0), key.get(1), key.get(2), agg.observations,
                        agg.numbers, agg.booleans, agg.dates, agg.lists, agg.examples.toString(),
                        Timestamp.from(agg.first), Timestamp.from(agg.last)});
            }
        });
        UPSERT_ATTRIBUTE.execute(jdbc.getJdbcTemplate(), attributeRows);
    }

    /**
     * Keeps the catalog at {@link #MAX_NAMES} event keys and {@link #MAX_NAMES} user attributes per workspace:
     * names beyond that are left out (their events are still stored) and counted, so the UI can say so.
     */
    private Set<List<String>> dropOverflow(long workspaceId, long inputId, Observations observations, Instant now) {
        Set<List<String>> dropped = new HashSet<>();
        long eventNames = count("SELECT COUNT(*) FROM catalog_event WHERE workspace_id = :workspaceId", workspaceId);
        if (eventNames + observations.events.size() > MAX_NAMES) {
            Set<List<String>> existing = existingKeys(workspaceId);
            long room = MAX_NAMES - eventNames;
            for (List<String> key : observations.events.keySet()) {
                if (!existing.contains(key)) {
                    if (room > 0) {
                        room--;
                    } else {
                        dropped.add(key);
                    }
                }
            }
        }
        long userNames = count("SELECT COUNT(*) FROM catalog_attribute WHERE workspace_id = :workspaceId"
                + " AND event_type = '" + USER_ATTRIBUTE_TYPE + "'", workspaceId);
        List<List<String>> userKeys = observations.attributes.keySet().stream()
                .filter(key -> key.get(0).equals(USER_ATTRIBUTE_TYPE)).toList();
        if (userNames + userKeys.size() > MAX_NAMES) {
            Set<String> existing = new HashSet<>(jdbc.queryForList("SELECT name FROM catalog_attribute"
                    + " WHERE workspace_id = :workspaceId AND event_type = '" + USER_ATTRIBUTE_TYPE + "'",
                    new MapSqlParameterSource("workspaceId", workspaceId), String.class));
            long room = MAX_NAMES - userNames;
            for (List<String> key : userKeys) {
                if (!existing.contains(key.get(2))) {
                    if (room > 0) {
                        room--;
                    } else {
                        dropped.add(key);
                    }
                }
            }
        }
        if (!dropped.isEmpty()) {
            jdbc.update("""
                    INSERT INTO catalog_overflow (workspace_id, dropped_names, last_dropped_at)
                    VALUES (:workspaceId, :dropped, :now)
                    ON DUPLICATE KEY UPDATE dropped_names = dropped_names + VALUES(dropped_names),
                        last_dropped_at = VALUES(last_dropped_at)""",
                    new MapSqlParameterSource("workspaceId", workspaceId).addValue("dropped", dropped.size())
                            .addValue("now", Timestamp.from(now)));
            // and by input, so whoever manages inputs sees which key fills the catalog
            jdbc.update("""
                    INSERT INTO catalog_overflow_input (workspace_id, input_id, dropped_names, last_dropped_at)
                    VALUES (:workspaceId, :inputId, :dropped, :now)
                    ON DUPLICATE KEY UPDATE dropped_names = dropped_names + VALUES(dropped_names),
                        last_dropped_at = VALUES(last_dropped_at)""",
                    new MapSqlParameterSource("workspaceId", workspaceId).addValue("inputId", inputId)
                            .addValue("dropped", dropped.size()).addValue("now", Timestamp.from(now)));
        }
        return dropped;
    }

    private Set<List<String>> existingKeys(long workspaceId) {
        Set<List<String>> keys = new HashSet<>();
        jdbc.query("SELECT event_type, event_key FROM catalog_event WHERE workspace_id = :workspaceId",
                new MapSqlParameterSource("workspaceId", workspaceId),
                rs -> {
                    keys.add(List.of(rs.getString(1), rs.getString(2)));
                });
        return keys;
    }

    private long count(String sql, long workspaceId) {
        return jdbc.queryForObject(sql, new MapSqlParameterSource("workspaceId", workspaceId), Long.class);
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static final class EventAggregate {
        String customEventType;
        long count;
        Instant first;
        Instant last;

        EventAggregate(String customEventType) {
            this.customEventType = customEventType;
        }

        void observe(Instant time, String customType) {
            count++;
            if (customType != null) {
                customEventType = customType;
            }
            first = first == null || time.isBefore(first) ? time : first;
            last = last == null || time.isAfter(last) ? time : last;
        }
    }

    private static final class AttributeAggregate {
        long observations;
        long numbers;
        long booleans;
        long dates;
        long lists;
        final ArrayNode examples = JsonNodeFactory.instance.arrayNode();
        final Set<String> exampleTexts = new HashSet<>();
        Instant first;
        Instant last;

        void observe(Instant time, JsonNode value) {
            ValueKinds kinds = ValueKinds.of(value);
            observations++;
            numbers += kinds.number() ? 1 : 0;
            booleans += kinds.bool() ? 1 : 0;
            dates += kinds.date() ? 1 : 0;
            lists += kinds.list() ? 1 : 0;
            String text = value.isValueNode() ? value.asText() : value.toString();
            if (examples.size() < MAX_EXAMPLES && text.length() <= 200 && exampleTexts.add(text)) {
                examples.add(text);
            }
            first = first == null || time.isBefore(first) ? time : first;
            last = last == null || time.isAfter(last) ? time : last;
        }
    }
}
