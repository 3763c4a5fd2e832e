package org.openaudience.livestream;

import java.util.List;

/** A Live Stream page's subscription: called from the dispatcher thread, never from the ingest path. */
public interface StreamListener {

    /**
     * @param events     the events of one dispatch, oldest first, possibly sampled
     * @param sampleRate 1 when every event is included, N when only 1 in N is
     */
    void onEvents(List<StreamEvent> events, int sampleRate);
}
