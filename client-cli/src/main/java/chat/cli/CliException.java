package chat.cli;

import java.time.Duration;

/** The one error type of the client: what to tell the user on stderr, and the exit code. */
public final class CliException extends RuntimeException {
    private final int exitCode;
    private final String errorCode;
    private final Duration retryAfter;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliException(int exitCode, String message, String errorCode) {
        this(exitCode, message, errorCode, null);
    }

    public CliException(int exitCode, String message, String errorCode, Duration retryAfter) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.errorCode = errorCode;
        this.retryAfter = retryAfter;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The protocol's error code when the server refused, e.g. INVALID_SESSION; else null. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * How long the server asked us to wait before trying again (a 429 RATE_LIMITED or 503 SERVER_BUSY answer's
     * Retry-After), or null when it did not ask: then trying again soon is no likelier to work.
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
