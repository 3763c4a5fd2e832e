package org.openaudience.output;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The address ranges webhooks do not reach unless an operator allows them: whatever sits next to the server
 * (loopback, private and carrier-grade NAT networks, link-local with the clouds' metadata services) and addresses no
 * single receiver has (unspecified, multicast, broadcast, reserved). IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
enum AddressRange {
    LOOPBACK("a loopback address", true),
    PRIVATE("in a private network", true),
    CARRIER_GRADE_NAT("in the carrier-grade NAT range 100.64.0.0/10", true),
    LINK_LOCAL("link-local (where cloud metadata services answer)", false),
    UNSPECIFIED("the unspecified address", false),
    MULTICAST("a multicast address", false),
    RESERVED("a broadcast or reserved address", false);

    private final String description;
    private final boolean privateNetwork;

    AddressRange(String description, boolean privateNetwork) {
        this.description = description;
        this.privateNetwork = privateNetwork;
    }

    /** Completes "address 10.0.0.5 is …". */
    String description() {
        return description;
    }

    /**
     * Whether {@code openaudience.outputs.allow-private-networks} opens it; the others (metadata services among
     * them) only open for an explicit entry of {@code openaudience.outputs.allowed-private-hosts}.
     */
    boolean privateNetwork() {
        return privateNetwork;
    }

    /** The range an address is in, or empty for an ordinary public address. */
    static Optional<AddressRange> of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return Optional.ofNullable(bytes.length == 4 ? ofIpv4(bytes) : ofIpv6(bytes));
    }

    private static AddressRange ofIpv4(byte[] b) {
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0) {
            return UNSPECIFIED; // 0.0.0.0/8: "this network"; Linux connects 0.0.0.0 to itself
        }
        if (first == 127) {
            return LOOPBACK;
        }
        if (first == 10 || first == 172 && (second & 0xF0) == 16 || first == 192 && second == 168
                || first == 198 && (second & 0xFE) == 18) { // 198.18.0.0/15: benchmarking, used inside networks
            return PRIVATE;
        }
        if (first == 100 && (second & 0xC0) == 64) {
            return CARRIER_GRADE_NAT;
        }
        if (first == 169 && second == 254) {
            return LINK_LOCAL;
        }
        if (first == 192 && second == 0 && (b[2] & 0xFF) == 0) {
            return RESERVED; // 192.0.0.0/24: IETF protocol assignments
        }
        if (first >= 224 && first <= 239) {
            return MULTICAST;
        }
        if (first >= 240) {
            return RESERVED; // 240.0.0.0/4 and the broadcast address 255.255.255.255
        }
        return null;
    }

    private static AddressRange ofIpv6(byte[] b) {
        if (zeros(b, 0, 10)) {
            if ((b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                return ofIpv4(Arrays.copyOfRange(b, 12, 16)); // IPv4-mapped ::ffff:a.b.c.d
            }
            if (zeros(b, 10, 12)) {
                if (zeros(b, 12, 15)) {
                    return b[15] == 0 ? UNSPECIFIED : b[15] == 1 ? LOOPBACK : RESERVED;
                }
                AddressRange embedded = ofIpv4(Arrays.copyOfRange(b, 12, 16)); // IPv4-compatible ::a.b.c.d
                return embedded == null ? RESERVED : embedded; // deprecated form: no public use either
            }
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0x00 && second == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B && zeros(b, 4, 12)) {
            return ofIpv4(Arrays.copyOfRange(b, 12, 16)); // NAT64 64:ff9b::/96 reaches the IPv4 address in it
        }
        if (first == 0x20 && second == 0x02) {
            return ofIpv4(Arrays.copyOfRange(b, 2, 6)); // 6to4 2002::/16 carries an IPv4 address
        }
        if ((first & 0xFE) == 0xFC) {
            return PRIVATE; // unique local fc00::/7
        }
        if (first == 0xFE && (second & 0xC0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if (first == 0xFE && (second & 0xC0) == 0xC0) {
            return PRIVATE; // deprecated site-local fec0::/10
        }
        if (first == 0xFF) {
            return MULTICAST;
        }
        if (first == 0x01 && second == 0x00 && zeros(b, 2, 8)) {
            return RESERVED; // discard-only 100::/64
        }
        return null;
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
