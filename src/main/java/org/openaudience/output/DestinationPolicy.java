package org.openaudience.output;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openaudience.base.InvalidRequestException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may post. Whoever manages outputs chooses the URL and reads what became of a request, so by default
 * the server refuses the networks around it ({@link AddressRange}): at save, so the person learns it at once, and
 * again on every connection, on the addresses the host name resolves to then ({@link #addressesFor}) — the sender
 * connects to exactly those, so a name that resolved elsewhere at save, or rebinds between check and connect, gains
 * nothing.
 *
 * <p>Operators open them with {@code openaudience.outputs.allow-private-networks} (loopback, private and
 * carrier-grade NAT ranges) and {@code openaudience.outputs.allowed-private-hosts}: host names (whatever they
 * resolve to), IP addresses and CIDR ranges (any range, link-local included).
 */
@Component
class DestinationPolicy {

    static final String SETTING_HINT = "An operator can allow it with the setting"
            + " openaudience.outputs.allowed-private-hosts.";

    private final HostResolver resolver;
    private final boolean allowPrivateNetworks;
    private final Set<String> allowedNames = new HashSet<>();
    private final List<Cidr> allowedRanges = new ArrayList<>();

    DestinationPolicy(HostResolver resolver,
                      @Value("${openaudience.outputs.allow-private-networks:false}") boolean allowPrivateNetworks,
                      @Value("${openaudience.outputs.allowed-private-hosts:}") String allowedPrivateHosts) {
        this.resolver = resolver;
        this.allowPrivateNetworks = allowPrivateNetworks;
        for (String entry : allowedPrivateHosts.split(",")) {
            String clean = IpLiteral.normalize(entry.strip());
            if (clean.isEmpty()) {
                continue;
            }
            if (clean.contains("/") || IpLiteral.isLiteral(clean)) {
                allowedRanges.add(Cidr.parse(clean));
            } else {
                allowedNames.add(clean);
            }
        }
    }

    /**
     * Refuses (field {@code url}) a host that is, or now resolves to, an address webhooks may not reach. A name that
     * does not resolve passes: it may once it is set up, and delivery checks again.
     */
    void checkAtSave(String host) {
        String name = IpLiteral.normalize(host);
        if (allowedNames.contains(name)) {
            return;
        }
        if (IpLiteral.isLiteral(name)) {
            InetAddress address = IpLiteral.parse(name).orElseThrow(() -> new InvalidRequestException("url",
                    host + " is not a valid IP address. Enter a host name or an IP address."));
            refusal(address).ifPresent(reason -> {
                throw new InvalidRequestException("url", "OpenAudience does not post to " + host + ": " + reason
                        + ". " + SETTING_HINT);
            });
            if (!IpLiteral.canonical(name)) {
                throw new InvalidRequestException("url", "Write the IP address as four decimal numbers, e.g. "
                        + display(address) + ": programs read " + host + " differently.");
            }
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException notYet) {
            return;
        }
        for (InetAddress address : addresses) {
            refusal(address).ifPresent(reason -> {
                throw new InvalidRequestException("url", "OpenAudience does not post to " + host + ": " + reason
                        + ". " + SETTING_HINT);
            });
        }
    }

    /**
     * The addresses to connect to for a host, looked up once, each of them allowed; otherwise a
     * {@link RefusedDestination} naming the address. Not-so-plain literals ({@code 0x7f.1}) are refused outright:
     * they are not what a person checked.
     */
    InetAddress[] addressesFor(String host) throws UnknownHostException {
        String name = IpLiteral.normalize(host);
        InetAddress[] addresses;
        if (IpLiteral.isLiteral(name)) {
            Optional<InetAddress> literal = IpLiteral.parse(name);
            if (literal.isEmpty() || !IpLiteral.canonical(name)) {
                throw new RefusedDestination("refused: " + host + " is not a plain IP address");
            }
            addresses = new InetAddress[] {literal.get()};
        } else {
            addresses = resolver.resolve(name);
            if (allowedNames.contains(name)) {
                return addresses;
            }
        }
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedDestination("refused: " + refusal.get());
            }
        }
        return addresses.clone();
    }

    /** Why an address may not be posted to ("address 10.0.0.5 is in a private network"), or empty. */
    private Optional<String> refusal(InetAddress address) {
        Optional<AddressRange> range = AddressRange.of(address);
        if (range.isEmpty() || allowPrivateNetworks && range.get().privateNetwork()
                || allowedRanges.stream().anyMatch(allowed -> allowed.contains(address))) {
            return Optional.empty();
        }
        return Optional.of("address " + display(address) + " is " + range.get().description());
    }

    /** An address as people write it: dotted IPv4, or IPv6 with its longest run of zero groups as "::". */
    static String display(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | b[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** A delivery refused because of where it would go; the message is the reason people see. */
    static class RefusedDestination extends UnknownHostException {

        RefusedDestination(String reason) {
            super(reason);
        }
    }

    /** An allowed range: an address with a prefix length, or one address. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = IpLiteral.normalize(slash < 0 ? text : text.substring(0, slash));
            Optional<InetAddress> parsed = IpLiteral.isLiteral(address) && IpLiteral.canonical(address)
                    ? IpLiteral.parse(address) : Optional.empty();
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("openaudience.outputs.allowed-private-hosts: \"" + text
                        + "\" is neither a host name nor an IP address or range (10.1.2.0/24, fd00::/8)");
            }
            byte[] bytes = parsed.get().getAddress();
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("openaudience.outputs.allowed-private-hosts: \"" + text
                        + "\" has no valid prefix length (0 to " + bytes.length * 8 + ")");
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
