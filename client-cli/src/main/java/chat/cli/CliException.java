package chat.cli;

/** The one error type of the client: what to tell the user on stderr, and the exit code. */
public final class CliException extends RuntimeException {
    private final int exitCode;
    private final String errorCode;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliException(int exitCode, String message, String errorCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.errorCode = errorCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The protocol's error code when the server refused, e.g. INVALID_SESSION; else null. */
    public String errorCode() {
        return errorCode;
    }
}
