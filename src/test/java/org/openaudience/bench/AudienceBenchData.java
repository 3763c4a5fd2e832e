package org.openaudience.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A deterministic, seeded benchmark workspace: profiles (random signed 64-bit MPIDs, as mParticle's), their
 * customer_id identities and events over the last 60 days, with the JSON shapes ingestion writes. Rows go to
 * tab-separated files under {@code target/} (the DuckDB anchor reads the very same files) and from there into
 * MariaDB with {@code LOAD DATA LOCAL INFILE}, which beats multi-row INSERTs for a bulk load.
 */
final class AudienceBenchData {

    static final String WEB = "web";
    static final List<String> PLATFORMS = List.of("iOS", "Android", WEB);
    /** Paris in three spellings: the engine and the anchors must match it case-insensitively. */
    static final List<String> DESTINATIONS = List.of("Paris", "paris", "PARIS", "Cannes", "Rome", "Lisbon", "Tokyo",
            "New York", "London", "Berlin", "Madrid", "Nice", "Lyon", "Barcelona", "Amsterdam", "Vienna", "Prague",
            "Dublin", "Oslo", "Athens");
    static final List<String> STATUSES = List.of("Free", "Premium", "Trial", "Churned");
    static final List<String> COUNTRIES = List.of("FR", "US", "DE", "GB", "ES", "IT", "JP", "BR");
    static final List<String> CATEGORIES = List.of("Destination Intro", "Travel Guide", "Hotel Tour", "Food",
            "Culture");
    static final Duration SPAN = Duration.ofDays(60);
    static final int EVENTS_PER_FILE = 500_000;

    /** ~150 custom event names, most frequent first (Zipf-distributed). */
    static final List<String> EVENT_NAMES = eventNames();

    final int profiles;
    final long events;
    final long workspaceId;
    final long[] inputIdByPlatform;
    final Instant now;
    final Path dir;
    final long[] mpids;
    private final byte[] platformOf;
    private final boolean[] alsoWeb;
    private final double[] zipfCumulative;
    private final ZoneOffset offset;
    /** (event type, key) → [count, custom event type index or -1], filled by the writers for the catalog. */
    final Map<String, long[]> catalogCounts = new TreeMap<>();

    /** The platform generated for the user at {@code index} (their profile's, and their events'). */
    String platform(int index) {
        return PLATFORMS.get(platformOf[index]);
    }

    AudienceBenchData(int profiles, long events, long seed, long workspaceId, long[] inputIdByPlatform,
                      Instant now, Path dir) {
        this.profiles = profiles;
        this.events = events;
        this.workspaceId = workspaceId;
        this.inputIdByPlatform = inputIdByPlatform;
        this.now = now;
        this.dir = dir;
        // JDBC maps Timestamps through the JVM zone; the files must spell times the same way
        this.offset = ZoneId.systemDefault().getRules().getOffset(now);
        Random random = new Random(seed);
        mpids = new long[profiles];
        platformOf = new byte[profiles];
        alsoWeb = new boolean[profiles];
        for (int i = 0; i < profiles; i++) {
            long mpid;
            do {
                mpid = random.nextLong();
            } while (mpid == 0);
            mpids[i] = mpid;
            double p = random.nextDouble();
            platformOf[i] = (byte) (p < 0.4 ? 0 : p < 0.8 ? 1 : 2);
            alsoWeb[i] = platformOf[i] != 2 && random.nextDouble() < 0.15;
        }
        long[] sorted = mpids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalStateException("Seed " + seed + " gives a duplicate MPID; choose another seed");
            }
        }
        zipfCumulative = new double[EVENT_NAMES.size()];
        double sum = 0;
        for (int rank = 0; rank < zipfCumulative.length; rank++) {
            sum += 1.0 / (rank + 1);
            zipfCumulative[rank] = sum;
        }
        for (int rank = 0; rank < zipfCumulative.length; rank++) {
            zipfCumulative[rank] /= sum;
        }
    }

    private static List<String> eventNames() {
        List<String> names = new ArrayList<>(List.of("Play Video", "View Destination", "Search", "Open App Menu",
                "Share", "Like", "Add to Favorites", "View Offer", "Read Article", "Rate Video", "Start Booking",
                "Select Dates", "Select Room", "Apply Coupon", "Open Map", "Filter Results", "Sort Results",
                "Subscribe Newsletter", "Download Guide", "Pause Video"));
        for (int i = names.size(); i < 150; i++) {
            names.add(String.format("Custom Event %03d", i));
        }
        return List.copyOf(names);
    }

    /** Writes the files and loads them, two at a time (one file is written while another loads). */
    void writeAndLoad(String jdbcUrl, String user, String password) throws Exception {
        Files.createDirectories(dir);
        int files = (int) Math.max(1, (events + EVENTS_PER_FILE - 1) / EVENTS_PER_FILE);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            done.add(workers.submit(() -> {
                writeProfiles(dir.resolve("profile.tsv"), dir.resolve("profile_identity.tsv"));
                load(jdbcUrl, user, password, "profile", dir.resolve("profile.tsv"), "workspace_id, mpid, identities,"
                        + " user_attributes, device_info, platforms, country, region, city, latitude, longitude,"
                        + " first_seen_at, last_seen_at");
                load(jdbcUrl, user, password, "profile_identity", dir.resolve("profile_identity.tsv"),
                        "workspace_id, identity_type, identity_value, mpid");
                return null;
            }));
            for (int f = 0; f < files; f++) {
                int file = f;
                done.add(workers.submit(() -> {
                    long from = (long) file * EVENTS_PER_FILE;
                    Path path = eventFile(file);
                    writeEvents(path, file, Math.min(EVENTS_PER_FILE, events - from));
                    load(jdbcUrl, user, password, "event", path, "workspace_id, mpid, input_id, batch_id, event_type,"
                            + " event_key, custom_event_type, platform, environment, event_time, received_at,"
                            + " attributes, data");
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }

    /** The catalog rows ingestion would have written: activation refuses events the catalog has not seen. */
    void writeCatalog(JdbcClient jdbc) {
        Timestamp first = Timestamp.from(now.minus(SPAN));
        Timestamp last = Timestamp.from(now);
        catalogCounts.forEach((typeAndKey, count) -> {
            String[] parts = typeAndKey.split("\t");
            jdbc.sql("INSERT INTO catalog_event (workspace_id, event_type, event_key, custom_event_type, event_count,"
                            + " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(workspaceId, parts[0], parts[1], parts[0].equals("custom_event") ? customType(parts[1])
                            : null, count[0], first, last).update();
        });
        List<String[]> attributes = List.of(new String[] {"custom_event", "Play Video", "category", "0"},
                new String[] {"custom_event", "Play Video", "destination", "0"},
                new String[] {"custom_event", "View Destination", "price", "1"},
                new String[] {"user_attribute", "", "status", "0"},
                new String[] {"user_attribute", "", "$country", "0"},
                new String[] {"user_attribute", "", "age", "1"});
        for (String[] a : attributes) {
            long observations = a[0].equals("user_attribute") ? profiles : events / 10;
            jdbc.sql("INSERT INTO catalog_attribute (workspace_id, event_type, event_key, name, observations, numbers,"
                            + " booleans, dates, lists, examples, first_seen_at, last_seen_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '[]', ?, ?)")
                    .params(workspaceId, a[0], a[1], a[2], observations, a[3].equals("1") ? observations : 0, first,
                            last).update();
        }
    }

    static String customType(String name) {
        return name.equals("Play Video") || name.equals("Pause Video") || name.equals("Rate Video") ? "media"
                : name.equals("Search") || name.equals("Filter Results") ? "search" : "navigation";
    }

    Path eventFile(int file) {
        return dir.resolve("event-" + file + ".tsv");
    }

    int eventFiles() {
        return (int) Math.max(1, (events + EVENTS_PER_FILE - 1) / EVENTS_PER_FILE);
    }

    private void writeProfiles(Path profileFile, Path identityFile) throws IOException {
        Random random = new Random(mpids.length * 7919L);
        long spanMs = SPAN.toMillis();
        try (BufferedWriter out = Files.newBufferedWriter(profileFile, StandardCharsets.UTF_8);
             BufferedWriter ids = Files.newBufferedWriter(identityFile, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(512);
            for (int i = 0; i < profiles; i++) {
                String status = STATUSES.get(pick(random.nextDouble(), 0.55, 0.80, 0.92));
                String country = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
                int age = 18 + random.nextInt(63);
                String platform = PLATFORMS.get(platformOf[i]);
                long firstSeen = now.toEpochMilli() - spanMs + (long) (random.nextDouble() * spanMs / 2);
                long lastSeen = now.toEpochMilli() - (long) (random.nextDouble() * spanMs / 2) - 1000;
                line.setLength(0);
                line.append(workspaceId).append('\t').append(mpids[i]).append('\t')
                        .append("{\"customer_id\":\"").append(customerId(i)).append("\"}\t")
                        .append("{\"status\":\"").append(status).append("\",\"$country\":\"").append(country)
                        .append("\",\"age\":").append(age).append("}\t")
                        .append("{\"platform\":\"").append(platform).append("\",\"os_version\":\"")
                        .append(platformOf[i] == 0 ? "17.4" : platformOf[i] == 1 ? "14" : "Chrome 121").append("\"}\t")
                        .append("{\"").append(platform).append("\":true").append(alsoWeb[i] ? ",\"web\":true" : "")
                        .append("}\t").append(country).append("\t\\N\t\\N\t\\N\t\\N\t");
                time(line, firstSeen).append('\t');
                time(line, lastSeen).append('\n');
                out.append(line);
                ids.append(String.valueOf(workspaceId)).append("\tcustomer_id\t").append(customerId(i)).append('\t')
                        .append(String.valueOf(mpids[i])).append('\n');
            }
        }
    }

    static String customerId(int profile) {
        return "bench-" + profile;
    }

    /** One file of events; each file has its own seed, so files can be written in any order and in parallel. */
    private void writeEvents(Path path, int file, long count) throws IOException {
        Random random = new Random(1_000_003L * (file + 1));
        long spanMs = SPAN.toMillis() - 1000;
        long end = now.toEpochMilli() - 1000;
        Map<String, long[]> counts = new TreeMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder line = new StringBuilder(1024);
            for (long n = 0; n < count; n++) {
                // skewed activity: a few heavy users, a long tail of light ones
                int user = (int) (profiles * Math.pow(random.nextDouble(), 1.6));
                int platform = alsoWeb[user] && random.nextInt(4) == 0 ? 2 : platformOf[user];
                long time = end - (long) (random.nextDouble() * spanMs);
                double kind = random.nextDouble();
                line.setLength(0);
                line.append(workspaceId).append('\t').append(mpids[user]).append('\t')
                        .append(inputIdByPlatform[platform]).append("\t0\t");
                String type;
                String key;
                if (kind < 0.05) {
                    type = "session_start";
                    key = "session_start";
                    line.append("session_start\tsession_start\t\\N\t");
                    row(line, platform, time, "{}", "{\"timestamp_unixtime_ms\":" + time + "}");
                } else if (kind < 0.13) {
                    type = "screen_view";
                    key = "Destination " + random.nextInt(20);
                    line.append("screen_view\t").append(key).append("\t\\N\t");
                    row(line, platform, time, "{}", "{\"screen_name\":\"" + key + "\",\"timestamp_unixtime_ms\":"
                            + time + "}");
                } else if (kind < 0.17) {
                    type = "commerce_event";
                    key = kind < 0.16 ? "add_to_cart" : "purchase";
                    commerce(line, key, platform, time, random);
                } else {
                    type = "custom_event";
                    key = EVENT_NAMES.get(zipfRank(random.nextDouble()));
                    custom(line, key, platform, time, random);
                }
                counts.computeIfAbsent(type + '\t' + key, k -> new long[1])[0]++;
                out.append(line);
            }
        }
        synchronized (catalogCounts) {
            counts.forEach((k, v) -> catalogCounts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        }
    }

    private void custom(StringBuilder line, String name, int platform, long time, Random random) {
        String customType = customType(name);
        StringBuilder attributes = new StringBuilder(160).append("{\"category\":\"")
                .append(CATEGORIES.get(random.nextInt(CATEGORIES.size()))).append('"');
        if (name.equals("Play Video") || name.equals("View Destination") || name.equals("Start Booking")) {
            // Paris in any spelling is ~15 % of destinations
            double d = random.nextDouble();
            String destination = d < 0.15 ? DESTINATIONS.get(random.nextInt(3))
                    : DESTINATIONS.get(3 + random.nextInt(DESTINATIONS.size() - 3));
            attributes.append(",\"destination\":\"").append(destination).append('"');
        }
        if (!name.equals("Play Video")) {
            attributes.append(",\"price\":\"").append(20 + random.nextInt(480)).append('.')
                    .append(random.nextInt(10)).append("9\"");
        }
        attributes.append('}');
        line.append("custom_event\t").append(name).append('\t').append(customType).append('\t');
        row(line, platform, time, attributes.toString(), "{\"event_name\":\"" + name + "\",\"custom_event_type\":\""
                + customType + "\",\"timestamp_unixtime_ms\":" + time + ",\"custom_attributes\":" + attributes + "}");
    }

    /** Commerce events are stored under their product action, with the product fields as lists (BatchParser). */
    private void commerce(StringBuilder line, String action, int platform, long time, Random random) {
        int hotel = random.nextInt(500);
        String price = (60 + random.nextInt(400)) + ".5";
        String transaction = action.equals("purchase") ? "\"transaction_id\":\"T-" + random.nextInt(1 << 30) + "\","
                : "";
        String attributes = "{" + transaction + "\"total_amount\":" + price + ",\"product.id\":[\"H-" + hotel
                + "\"],\"product.name\":[\"Hotel " + hotel + "\"],\"product.price\":[" + price
                + "],\"product.quantity\":[1]}";
        String data = "{\"timestamp_unixtime_ms\":" + time + ",\"product_action\":{\"action\":\"" + action + "\","
                + transaction + "\"total_amount\":" + price + ",\"products\":[{\"id\":\"H-" + hotel + "\",\"name\":"
                + "\"Hotel " + hotel + "\",\"price\":" + price + ",\"quantity\":1}]}}";
        line.append("commerce_event\t").append(action).append("\t\\N\t");
        row(line, platform, time, attributes, data);
    }

    private void row(StringBuilder line, int platform, long time, String attributes, String data) {
        line.append(PLATFORMS.get(platform)).append("\tproduction\t");
        time(line, time).append('\t');
        time(line, time + 200).append('\t').append(attributes).append('\t').append(data).append('\n');
    }

    private int zipfRank(double u) {
        int rank = Arrays.binarySearch(zipfCumulative, u);
        return Math.min(zipfCumulative.length - 1, rank >= 0 ? rank : -rank - 1);
    }

    private static int pick(double u, double... bounds) {
        for (int i = 0; i < bounds.length; i++) {
            if (u < bounds[i]) {
                return i;
            }
        }
        return bounds.length;
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in the JVM zone, as the driver writes a Timestamp. */
    StringBuilder time(StringBuilder line, long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, offset);
        line.append(t.getYear()).append('-');
        two(line, t.getMonthValue()).append('-');
        two(line, t.getDayOfMonth()).append(' ');
        two(line, t.getHour()).append(':');
        two(line, t.getMinute()).append(':');
        two(line, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        return line.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }

    private static StringBuilder two(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void load(String jdbcUrl, String user, String password, String table, Path file, String columns)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                + "allowLocalInfile=true", user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION unique_checks = 0");
            // a LOAD DATA holds the table's AUTO-INC lock to its end: the next file's load waits for it, longer than
            // the default 50 s with a small buffer pool ("Failed to read auto-increment value from storage engine")
            statement.execute("SET SESSION innodb_lock_wait_timeout = 3600");
            statement.execute("LOAD DATA LOCAL INFILE '" + file.toAbsolutePath() + "' INTO TABLE " + table
                    + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (" + columns + ")");
        }
    }
}
