package org.openaudience.output;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a URL's host as an IP address without asking DNS. IPv4 is read as the C library's inet_aton does, so
 * {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1} and {@code 127.1} all are 127.0.0.1 — what most HTTP
 * stacks connect to — while Java reads some of them differently; such forms count as not {@link #canonical}.
 */
final class IpLiteral {

    /** A number as inet_aton takes it: hexadecimal, octal (leading 0) or decimal. */
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern CANONICAL_IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    private IpLiteral() {
    }

    /** Lower case, without IPv6 brackets and without the one trailing dot a fully qualified name may carry. */
    static String normalize(String host) {
        String clean = host.toLowerCase(Locale.ROOT);
        if (clean.startsWith("[") && clean.endsWith("]")) {
            return clean.substring(1, clean.length() - 1);
        }
        return clean.endsWith(".") && clean.length() > 1 ? clean.substring(0, clean.length() - 1) : clean;
    }

    /** Whether a (normalized) host is meant as an IP address rather than a name: IPv6, or numbers and dots only. */
    static boolean isLiteral(String host) {
        if (host.contains(":")) {
            return true;
        }
        for (String part : host.split("\\.", -1)) {
            if (!NUMBER.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The address a (normalized) literal host stands for; empty when it is none (e.g. 256.1.1.1, a zone id). */
    static Optional<InetAddress> parse(String host) {
        if (host.contains(":")) {
            if (!IPV6.matcher(host).matches()) {
                return Optional.empty(); // a zone id (%eth0) or garbage; never handed to a lookup
            }
            try {
                return Optional.of(InetAddress.getByName(host)); // a literal with ':' never goes to DNS
            } catch (UnknownHostException invalid) {
                return Optional.empty();
            }
        }
        return inetAton(host);
    }

    /** Written the one way everyone reads alike: four decimal numbers, or an IPv6 address. */
    static boolean canonical(String host) {
        return host.contains(":") || CANONICAL_IPV4.matcher(host).matches();
    }

    /** inet_aton: a, a.b (b: 24 bits), a.b.c (c: 16 bits) or a.b.c.d, each hexadecimal, octal or decimal. */
    private static Optional<InetAddress> inetAton(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            boolean last = i == parts.length - 1;
            long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (value < 0 || value > max) {
                return Optional.empty();
            }
            address = last ? address << (8 * (4 - i)) | value : address << 8 | value;
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // four bytes are always an address
        }
    }

    /** The value of one part, or -1 when it is not a number inet_aton takes (or too large to matter). */
    private static long number(String part) {
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 || part.length() > 10 ? -1 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return part.length() > 12 ? -1 : Long.parseLong(part.substring(1), 8);
            }
            return part.isEmpty() || part.length() > 10 ? -1 : Long.parseLong(part);
        } catch (NumberFormatException notANumber) {
            return -1; // e.g. an octal part with an 8 or 9: inet_aton refuses it too
        }
    }
}
