package org.openaudience.livestream;

import java.util.List;

/** A Live Stream page's subscription: called from the dispatcher thread, never from the ingest path. */
public interface StreamListener {

    /**
     * @param events     the events of one dispatch, oldest first, possibly sampled
     * @param sampleRate 1 when every event is included, N when only 1 in N is
     */
    void onEvents(List<StreamEvent> events, int sampleRate);

    /**
     * The hub ended this subscription because its member may no longer watch the workspace's stream (deactivated,
     * given a role without the Live Stream, or no longer in the workspace); no further events follow.
     *
     * @param reason why, to complete "Your access to this workspace's Live Stream ended: …"
     */
    default void onAccessEnded(String reason) {
    }
}
