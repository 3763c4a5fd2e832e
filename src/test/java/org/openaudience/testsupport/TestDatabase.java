package org.openaudience.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives every test run its own MariaDB database and drops it afterwards, so tests never touch the dev database.
 * Spring reads {@code DB_URL} from the system property set here.
 */
public class TestDatabase implements LauncherSessionListener {

    static final String SERVER = System.getenv().getOrDefault("TEST_DB_SERVER", "jdbc:mariadb://127.0.0.1:3306/");
    static final String USER = System.getenv().getOrDefault("DB_USER", "root");
    static final String PASSWORD = System.getenv().getOrDefault("DB_PASSWORD", "");

    private String name;
    /** Extra databases for tests that need an empty one of their own (the demo on a fresh install). */
    private static final java.util.List<String> EXTRA = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Creates an empty database, dropped with the run's; returns its JDBC URL. */
    public static String freshDatabase(String purpose) {
        String extra = "oa_test_" + purpose + "_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMddHHmmss")) + "_" + ThreadLocalRandom.current().nextInt(1000, 10000);
        execute("CREATE DATABASE " + extra + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        EXTRA.add(extra);
        return SERVER + extra;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String kept = System.getenv("REUSE_TEST_DB");
        if (kept != null && !kept.isBlank()) {
            // a benchmark's kept database (KEEP_TEST_DB=true earlier): used as it is and kept again
            System.setProperty("DB_URL", SERVER + kept);
            return;
        }
        name = "oa_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + ThreadLocalRandom.current().nextInt(1000, 10000);
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        System.setProperty("DB_URL", SERVER + name);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if ("true".equals(System.getenv("KEEP_TEST_DB"))) {
            // for looking at a benchmark's data afterwards
            System.out.println("Kept the test database " + name + " (KEEP_TEST_DB=true)");
            return;
        }
        if (name != null) {
            execute("DROP DATABASE IF EXISTS " + name);
        }
        EXTRA.forEach(extra -> execute("DROP DATABASE IF EXISTS " + extra));
        EXTRA.clear();
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Tests need MariaDB at " + SERVER + " (start it, see README): " + sql, e);
        }
    }
}
