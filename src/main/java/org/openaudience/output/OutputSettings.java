package org.openaudience.output;

/**
 * What a person fills in for an output; {@link OutputService} validates and cleans it. A blank secret on edit keeps
 * the current one; on create a random one is generated.
 */
public record OutputSettings(String name, OutputKind kind, String url, String secret, String headers, String folder,
                             int batchSize, int maxAttempts) {

    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final int MAX_MAX_ATTEMPTS = 100;

    public static OutputSettings webhook(String name, String url, String secret) {
        return new OutputSettings(name, OutputKind.WEBHOOK, url, secret, "", null, DEFAULT_BATCH_SIZE,
                DEFAULT_MAX_ATTEMPTS);
    }

    public static OutputSettings fileDrop(String name, String folder) {
        return new OutputSettings(name, OutputKind.FILE_DROP, null, null, null, folder, DEFAULT_BATCH_SIZE,
                DEFAULT_MAX_ATTEMPTS);
    }

    public OutputSettings withBatchSize(int newBatchSize) {
        return new OutputSettings(name, kind, url, secret, headers, folder, newBatchSize, maxAttempts);
    }

    public OutputSettings withMaxAttempts(int newMaxAttempts) {
        return new OutputSettings(name, kind, url, secret, headers, folder, batchSize, newMaxAttempts);
    }
}
