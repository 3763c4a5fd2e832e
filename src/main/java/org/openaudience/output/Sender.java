package org.openaudience.output;

/** Delivers a batch to one kind of output. Returns what was sent, for the Live Stream's raw view. */
interface Sender {

    OutputKind kind();

    String send(Output output, Delivery delivery) throws DeliveryFailure;
}
