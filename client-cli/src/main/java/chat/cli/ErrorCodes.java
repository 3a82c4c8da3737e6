package chat.cli;

/**
 * The error codes the client acts on or reports, named once: the protocol's (spec section 6), which the server
 * sends, and the client's own, which {@code --json} reports for failures that never reached a server.
 */
final class ErrorCodes {
    // The protocol's.
    static final String INVALID_SESSION = "INVALID_SESSION";
    static final String CHANNEL_NOT_FOUND = "CHANNEL_NOT_FOUND";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String LIMIT_REACHED = "LIMIT_REACHED";
    static final String UNKNOWN_CALL = "UNKNOWN_CALL";

    // The client's own.
    /** No session is stored for this server. */
    static final String NOT_LOGGED_ON = "NOT_LOGGED_ON";
    /** The command line (or CHAT_SERVER) made no sense: exit 2. */
    static final String USAGE = "USAGE";
    /** No server answered: exit 3. */
    static final String UNREACHABLE = "UNREACHABLE";
    /** Something on this machine failed, such as an unreadable session file: exit 1. */
    static final String FAILED = "FAILED";
    /** A bug in the client: exit 1. */
    static final String INTERNAL = "INTERNAL";

    private ErrorCodes() {
    }
}
