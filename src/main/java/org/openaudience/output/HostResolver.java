package org.openaudience.output;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks up a host name's addresses. Webhook delivery asks it once per connection, checks every answer and connects
 * to one of exactly those (see {@link DestinationPolicy}); tests replace it to play DNS tricks.
 */
@FunctionalInterface
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;
}
