package org.openaudience.output;

/** An output did not take a batch; the message is the reason people see (Connect tab, Live Stream). */
public class DeliveryFailure extends Exception {

    public DeliveryFailure(String reason) {
        super(reason);
    }

    public DeliveryFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
