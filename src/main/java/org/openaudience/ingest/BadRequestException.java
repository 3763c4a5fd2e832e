package org.openaudience.ingest;

/** A request the Events API refuses with 400, naming the offending field. Nothing is written. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
