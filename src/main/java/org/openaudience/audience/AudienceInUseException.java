package org.openaudience.audience;

import java.util.List;
import org.openaudience.base.InvalidRequestException;

/** An audience cannot be deleted while other audiences' membership criteria use it; nothing was deleted. */
public class AudienceInUseException extends InvalidRequestException {

    private final List<String> usedBy;

    AudienceInUseException(String message, List<String> usedBy) {
        super("audience", message);
        this.usedBy = List.copyOf(usedBy);
    }

    /** Names of the audiences whose membership criteria use it. */
    public List<String> usedBy() {
        return usedBy;
    }
}
