package org.openaudience.testsupport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.openaudience.output.HostResolver;

/**
 * DNS as a test wants it, for the names it {@link #answer}s (ending in {@code .test}, which real DNS never has);
 * every other name goes to the system's resolver. Each name can answer differently on each lookup, as a rebinding
 * DNS server does.
 */
public class TestHostResolver implements HostResolver {

    private final Map<String, List<List<InetAddress>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /**
     * Lookup n of the name answers the n-th list of addresses (the last one from then on).
     *
     * @param addresses e.g. {@code List.of("203.0.113.10")}, then {@code List.of("127.0.0.1")}
     */
    @SafeVarargs
    public final void answer(String name, List<String>... addresses) {
        List<List<InetAddress>> parsed = new CopyOnWriteArrayList<>();
        for (List<String> lookup : addresses) {
            parsed.add(lookup.stream().map(TestHostResolver::literal).toList());
        }
        answers.put(name, parsed);
        lookups.remove(name);
    }

    /** How often the name was looked up since {@link #answer}. */
    public int lookups(String name) {
        AtomicInteger count = lookups.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        List<List<InetAddress>> planned = answers.get(host);
        if (planned == null) {
            return InetAddress.getAllByName(host);
        }
        int lookup = lookups.computeIfAbsent(host, name -> new AtomicInteger()).getAndIncrement();
        return planned.get(Math.min(lookup, planned.size() - 1)).toArray(InetAddress[]::new);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // IP literals only: never a lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address + " is not an IP address", e);
        }
    }
}
