package org.openaudience.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.UserField;
import org.openaudience.criteria.Window;

/** The five audiences of issue 4's benchmark, and variants that make up the 20 active during the real-time run. */
final class BenchAudiences {

    private BenchAudiences() {
    }

    static EventCriterion playVideo(String destination, int days) {
        return new EventCriterion(EventKind.EVENT, "Play Video", null,
                List.of(Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, destination)), null,
                new Window.LastDays(days));
    }

    static UserCriterion status(String status) {
        return UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH, status);
    }

    static EventCriterion commerce(String action, int days) {
        return new EventCriterion(EventKind.ECOMMERCE, action, null, List.of(), null, new Window.LastDays(days));
    }

    static EventCriterion atLeast(String event, int times, int days) {
        return new EventCriterion(EventKind.EVENT, event, null, List.of(), Frequency.of(Frequency.Comparison.AT_LEAST,
                times), new Window.LastDays(days));
    }

    /** Name → definition, in the issue's order (1)–(5). */
    static Map<String, Definition> issueAudiences() {
        Map<String, Definition> audiences = new LinkedHashMap<>();
        // (1) Play Video with destination Exact Match "paris" in the last 30 days
        audiences.put("1 Paris video 30d", Definition.of(playVideo("paris", 30)));
        // (2) (1) And status = Premium
        audiences.put("2 (1) And Premium", Definition.of(Group.of(playVideo("paris", 30))
                .then(Connector.AND, status("Premium"))));
        // (3) Add to Cart in the last 7 days Exclude Purchase in the last 7 days
        audiences.put("3 Cart, no purchase 7d", Definition.of(Group.of(commerce("add_to_cart", 7))
                .then(Connector.EXCLUDE, commerce("purchase", 7))));
        // (4) Play Video at least 5 times in the last 30 days
        audiences.put("4 Play Video >=5 30d", Definition.of(atLeast("Play Video", 5, 30)));
        // (5) ((1) Or Search at least 3 times in the last 14 days) And platform iOS Exclude status = Free
        Group either = Group.of(playVideo("paris", 30)).then(Connector.OR, atLeast("Search", 3, 14));
        audiences.put("5 ((1) Or Search) iOS, not Free", Definition.of(Group.of(either)
                .then(Connector.AND, new UserCriterion(UserField.PLATFORM,
                        Condition.of("platform", DataType.LIST, Operator.INCLUDES, "iOS")))
                .then(Connector.EXCLUDE, status("Free"))));
        return audiences;
    }

    /** Other destinations, events and statuses: the rest of the active audiences real-time re-evaluates. */
    static Map<String, Definition> variants(int count) {
        Map<String, Definition> variants = new LinkedHashMap<>();
        List<Definition> all = new ArrayList<>();
        for (String destination : List.of("Cannes", "Rome", "Lisbon", "Tokyo", "New York", "London", "Berlin",
                "Madrid")) {
            all.add(Definition.of(playVideo(destination, 30)));
        }
        all.add(Definition.of(new EventCriterion(EventKind.EVENT, "View Destination", null,
                List.of(Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "paris")), null,
                new Window.LastDays(7))));
        all.add(Definition.of(atLeast("Search", 2, 7)));
        all.add(Definition.of(atLeast("Start Booking", 1, 30)));
        all.add(Definition.of(commerce("add_to_cart", 30)));
        all.add(Definition.of(Group.of(commerce("purchase", 14)).then(Connector.AND, status("Premium"))));
        all.add(Definition.of(Group.of(atLeast("Share", 1, 30)).then(Connector.EXCLUDE, status("Churned"))));
        all.add(Definition.of(Group.of(playVideo("nice", 14)).then(Connector.OR, playVideo("lyon", 14))));
        for (int i = 0; i < Math.min(count, all.size()); i++) {
            variants.put("Variant " + (i + 1), all.get(i));
        }
        return variants;
    }
}
