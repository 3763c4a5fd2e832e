package org.openaudience.api;

import java.net.URI;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Absolute {@code Location} headers for created things: a script does {@code curl $LOCATION/activate}, which needs
 * the scheme and host (RFC 9110 allows relative references, but curl and most scripts do not resolve them).
 */
public final class Locations {

    private Locations() {
    }

    /** The path template expanded with the values, on this request's scheme, host and context path. */
    public static URI of(String pathTemplate, Object... values) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path(pathTemplate).buildAndExpand(values).toUri();
    }
}
