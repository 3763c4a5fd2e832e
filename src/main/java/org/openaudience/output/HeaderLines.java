package org.openaudience.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openaudience.base.InvalidRequestException;

/**
 * A webhook's extra headers, stored one {@code Name: value} per line. Their values are credentials (API keys,
 * bearer tokens), so they are write-only: the browser only ever gets {@link #masked} lines, and a line left masked
 * on save keeps the stored value of that header.
 */
final class HeaderLines {

    /** Stands for a saved value; never a value itself (values are plain ASCII). */
    static final String MASK = Output.MASKED_VALUE;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]+");
    /** Visible ASCII, spaces and tabs: what every HTTP stack passes on unchanged. */
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E\\t]+");
    /** Set by the sender itself, or refused by HTTP clients. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "connection",
            "expect", "upgrade", "transfer-encoding");

    record Header(String name, String value) {
    }

    private HeaderLines() {
    }

    /** The stored lines as headers. */
    static List<Header> parse(String stored) {
        List<Header> headers = new ArrayList<>();
        if (stored != null) {
            stored.lines().filter(line -> line.contains(":")).forEach(line -> headers.add(new Header(
                    line.substring(0, line.indexOf(':')).trim(), line.substring(line.indexOf(':') + 1).trim())));
        }
        return headers;
    }

    /** The stored lines with every value replaced by {@link #MASK}: what a person may see. */
    static String masked(String stored) {
        StringBuilder text = new StringBuilder();
        for (Header header : parse(stored)) {
            text.append(header.name()).append(": ").append(MASK).append('\n');
        }
        return text.toString().strip();
    }

    /**
     * Checks what a person typed and returns it cleaned, one {@code Name: value} per line. A masked line takes the
     * stored value of that header (the n-th masked line of a name the n-th stored one) unless {@code keepStored} is
     * false (the URL moved to another host): then every value must be typed again.
     */
    static String clean(String typed, String stored, boolean keepStored) {
        Map<String, Deque<String>> storedValues = new HashMap<>();
        for (Header header : parse(stored)) {
            storedValues.computeIfAbsent(lower(header.name()), name -> new ArrayDeque<>()).add(header.value());
        }
        Set<String> toRetype = new LinkedHashSet<>();
        StringBuilder clean = new StringBuilder();
        for (String line : (typed == null ? "" : typed).split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (NAME.matcher(name).matches() && value.equals(MASK)) {
                Deque<String> saved = storedValues.get(lower(name));
                if (!keepStored) {
                    toRetype.add(name);
                    continue;
                }
                if (saved == null || saved.isEmpty()) {
                    throw new InvalidRequestException("headers", "Type a value for " + name + ": " + MASK
                            + " only stands for a value saved before.");
                }
                value = saved.poll();
            }
            if (!NAME.matcher(name).matches() || value.isEmpty() || !VALUE.matcher(value).matches()) {
                throw new InvalidRequestException("headers", "Write one header per line as Name: value (\""
                        + line.trim() + "\" is not).");
            }
            if (RESERVED.contains(lower(name)) || lower(name).startsWith("x-openaudience-")) {
                throw new InvalidRequestException("headers", name + " is set by OpenAudience itself.");
            }
            clean.append(name).append(": ").append(value).append('\n');
        }
        if (!toRetype.isEmpty()) {
            throw new InvalidRequestException("headers", "The URL now points to another host: type the value of "
                    + String.join(", ", toRetype) + " again (or remove the line), so that what was saved for the"
                    + " old host is not sent to the new one.");
        }
        return clean.toString().strip();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
