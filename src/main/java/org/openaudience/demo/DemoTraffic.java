package org.openaudience.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Makes mParticle v2 batches of the mPTravel demo: travel-app users who start sessions, view screens, play
 * destination videos, search, add hotels and flights to the cart and sometimes buy. Deterministic per seed.
 */
final class DemoTraffic {

    static final List<String> DESTINATIONS = List.of("Paris", "Cannes", "Rome", "Lisbon", "Barcelona", "London",
            "New York", "Tokyo");
    private static final List<String[]> PLACES = List.of(new String[] {"FR", "IDF", "Paris"},
            new String[] {"FR", "PAC", "Nice"}, new String[] {"US", "NY", "New York"},
            new String[] {"US", "CA", "San Francisco"}, new String[] {"GB", "ENG", "London"},
            new String[] {"DE", "BE", "Berlin"}, new String[] {"ES", "CT", "Barcelona"});
    private static final List<String> SCREENS = List.of("Home", "Destinations", "Destination Detail", "Search Results",
            "Cart", "Checkout");
    private static final List<String> QUERIES = List.of("beach hotel", "city break", "ski", "family resort",
            "weekend deals", "museum tour");

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final ObjectMapper json;

    DemoTraffic(ObjectMapper json) {
        this.json = json;
    }

    /** A demo user; their platform decides which input sends their batches. */
    record User(int number, String platform, String status, String[] place) {

        String customerId() {
            return "cust-%05d".formatted(number);
        }

        String email() {
            return "traveler%05d@mptravel.example".formatted(number);
        }
    }

    static User user(int number, Random random) {
        String platform = switch (random.nextInt(3)) {
            case 0 -> "web";
            case 1 -> "iOS";
            default -> "Android";
        };
        int statusRoll = random.nextInt(10);
        String status = statusRoll < 2 ? "Premium" : statusRoll < 8 ? "Free" : "Trial";
        return new User(number, platform, status, PLACES.get(random.nextInt(PLACES.size())));
    }

    /** One session of a user as a batch: session start, screens, videos, searches, maybe a cart and a purchase. */
    ObjectNode session(User user, Instant start, String environment, Random random) {
        ObjectNode batch = baseBatch(user, environment, start);
        ArrayNode events = batch.putArray("events");
        Instant time = start;
        events.add(event("session_start", time, nodes.objectNode()));
        int steps = 2 + random.nextInt(6);
        String destination = DESTINATIONS.get(random.nextInt(DESTINATIONS.size()));
        for (int step = 0; step < steps; step++) {
            time = time.plus(Duration.ofSeconds(20 + random.nextInt(200)));
            events.add(randomStep(random, time, destination));
        }
        if (random.nextInt(4) == 0) {
            time = time.plusSeconds(30);
            events.add(commerce("add_to_cart", time, destination, random));
            if (random.nextInt(3) == 0) {
                time = time.plusSeconds(90);
                events.add(commerce("purchase", time, destination, random));
            }
        }
        ObjectNode end = nodes.objectNode();
        end.put("session_duration_ms", Duration.between(start, time).toMillis());
        events.add(event("session_end", time.plusSeconds(5), end));
        return batch;
    }

    /** A short burst of development events for the live trickle. */
    ObjectNode trickle(User user, Instant now, Random random) {
        ObjectNode batch = baseBatch(user, "development", now);
        ArrayNode events = batch.putArray("events");
        String destination = DESTINATIONS.get(random.nextInt(DESTINATIONS.size()));
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            events.add(randomStep(random, now, destination));
        }
        return batch;
    }

    private ObjectNode baseBatch(User user, String environment, Instant time) {
        ObjectNode batch = nodes.objectNode();
        batch.put("environment", environment);
        batch.put("timestamp_unixtime_ms", time.toEpochMilli());
        ObjectNode identities = batch.putObject("user_identities");
        identities.put("customer_id", user.customerId());
        identities.put("email", user.email());
        ObjectNode attributes = batch.putObject("user_attributes");
        attributes.put("status", user.status());
        attributes.put("$country", user.place()[0]);
        attributes.put("$state", user.place()[1]);
        attributes.put("$city", user.place()[2]);
        ObjectNode device = batch.putObject("device_info");
        device.put("platform", user.platform());
        switch (user.platform()) {
            case "iOS" -> {
                device.put("ios_idfv", "IDFV-%08d".formatted(user.number()));
                device.put("os_version", "17.4");
                device.put("device_model", "iPhone15,2");
            }
            case "Android" -> {
                device.put("android_uuid", "ANDROID-%08d".formatted(user.number()));
                device.put("os_version", "14");
                device.put("device_model", "Pixel 8");
            }
            default -> batch.put("mp_deviceid", "web-%08d".formatted(user.number()));
        }
        ObjectNode application = batch.putObject("application_info");
        application.put("application_name", "mPTravel");
        application.put("application_version", "3.2.0");
        return batch;
    }

    private ObjectNode randomStep(Random random, Instant time, String destination) {
        int roll = random.nextInt(10);
        if (roll < 4) {
            ObjectNode data = nodes.objectNode();
            data.put("screen_name", SCREENS.get(random.nextInt(SCREENS.size())));
            return event("screen_view", time, data);
        }
        if (roll < 8) {
            ObjectNode attributes = nodes.objectNode();
            attributes.put("category", random.nextInt(5) == 0 ? "Trailer" : "Destination Intro");
            attributes.put("destination", destination);
            attributes.put("duration_seconds", String.valueOf(30 + random.nextInt(300)));
            attributes.put("autoplay", String.valueOf(random.nextBoolean()));
            return custom("Play Video", "media", time, attributes);
        }
        ObjectNode attributes = nodes.objectNode();
        attributes.put("query", QUERIES.get(random.nextInt(QUERIES.size())));
        attributes.put("results", String.valueOf(random.nextInt(80)));
        return custom("Search", "search", time, attributes);
    }

    private ObjectNode custom(String name, String type, Instant time, ObjectNode attributes) {
        ObjectNode data = nodes.objectNode();
        data.put("event_name", name);
        data.put("custom_event_type", type);
        data.set("custom_attributes", attributes);
        return event("custom_event", time, data);
    }

    private ObjectNode commerce(String action, Instant time, String destination, Random random) {
        boolean hotel = random.nextBoolean();
        double price = hotel ? 80 + random.nextInt(400) : 120 + random.nextInt(900);
        ObjectNode product = nodes.objectNode();
        product.put("id", (hotel ? "H-" : "F-") + destination.toUpperCase().replace(' ', '-'));
        product.put("name", (hotel ? "Hotel in " : "Flight to ") + destination);
        product.put("category", hotel ? "Hotel" : "Flight");
        product.put("brand", hotel ? "mPTravel Stays" : "mPTravel Air");
        product.put("price", price);
        product.put("quantity", 1);
        ObjectNode productAction = nodes.objectNode();
        productAction.put("action", action);
        productAction.put("total_amount", price);
        if (action.equals("purchase")) {
            productAction.put("transaction_id", "T-" + Long.toHexString(random.nextLong()));
        }
        productAction.putArray("products").add(product);
        ObjectNode data = nodes.objectNode();
        data.set("product_action", productAction);
        data.putObject("custom_attributes").put("destination", destination);
        return event("commerce_event", time, data);
    }

    private ObjectNode event(String type, Instant time, ObjectNode data) {
        data.put("timestamp_unixtime_ms", time.toEpochMilli());
        ObjectNode event = nodes.objectNode();
        event.put("event_type", type);
        event.set("data", data);
        return event;
    }

    byte[] bytes(ArrayNode batches) {
        try {
            return json.writeValueAsBytes(batches);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Demo batches are plain JSON trees", e);
        }
    }
}
