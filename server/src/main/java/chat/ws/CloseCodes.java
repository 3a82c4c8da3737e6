package chat.ws;

/** The WebSocket close codes this server sends (RFC 6455 section 7.4.1), and what each means here (spec ws/8-11). */
final class CloseCodes {
    /** 1001: the server is shutting down, or the socket was silent too long. */
    static final int GOING_AWAY = 1001;
    /** 1008: the socket's session ended. */
    static final int POLICY_VIOLATION = 1008;
    /** 1009: an incoming frame was over the limit. */
    static final int MESSAGE_TOO_BIG = 1009;
    /** 1013: the client reads slower than its channels produce. */
    static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
