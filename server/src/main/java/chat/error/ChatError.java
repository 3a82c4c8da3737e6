package chat.error;

/**
 * Every way a call can fail, in one table: the stable code clients match on, the HTTP status it is answered
 * with, and a default reason a person can act on. spec/protocol.md section 6 lists the same table (ChatErrorTest keeps the two equal).
 *
 * <p>The HTTP status is part of the protocol's contract, which is why it lives here and not in the web layer:
 * a well-formed call to a known endpoint answers 200 whatever its outcome; only failures below the protocol
 * (unparseable body, unknown path, wrong method, oversized body, server trouble) use other statuses.
 */
public enum ChatError {
    // Failures of a well-formed call: HTTP 200, the outcome is in the envelope.
    FIELD_MISSING(200, "a required field is missing"),
    FIELD_WRONG_TYPE(200, "a field has the wrong JSON type"),
    FIELD_INVALID(200, "a field's value is not allowed"),
    INVALID_SESSION(200, "unknown or expired session key; log on again"),
    WRONG_PASSWORD(200, "wrong password for this username"),
    CHANNEL_EXISTS(200, "a channel with this name exists already"),
    CHANNEL_NOT_FOUND(200, "no channel with this name; create it first"),
    LIMIT_REACHED(200, "the server's limit on this kind of object is reached"),
    IDEMPOTENCY_KEY_REUSED(200, "this idempotency key was used for another post; send a new key with each new post"),

    // Failures below the protocol.
    MALFORMED_JSON(400, "the body is not valid JSON"),
    BODY_NOT_OBJECT(400, "the body must be a JSON object"),
    UNKNOWN_CALL(404, "no such call"),
    METHOD_NOT_ALLOWED(405, "calls are made with POST"),
    BODY_TIMEOUT(408, "the request's body did not arrive in time; send it whole and promptly"),
    BODY_TOO_LARGE(413, "the body is larger than the server accepts"),
    URL_TOO_LONG(414, "the request's URL is longer than the server accepts"),
    HEADERS_TOO_LARGE(431, "the request's headers are larger than the server accepts"),
    RATE_LIMITED(429, "too many calls of this kind; try again after the Retry-After seconds"),
    TOO_MANY_CONNECTIONS(429, "too many connections are open from your address; close some and try again"),
    HANDSHAKE_REFUSED(401, "a WebSocket needs a live session key: header X-Session-Key or query parameter sesskey"),
    NOT_A_WEBSOCKET(400, "this is the WebSocket endpoint: connect with a WebSocket client (GET with Upgrade: websocket)"),
    WEBSOCKET_VERSION_UNSUPPORTED(426, "this server speaks WebSocket version 13 (RFC 6455): Sec-WebSocket-Version: 13"),
    INTERNAL_ERROR(500, "the server failed to handle this request; it has been logged"),
    SHUTTING_DOWN(503, "the server is shutting down; try again shortly"),
    SERVER_BUSY(503, "the server is too busy to take this call now; try again after the Retry-After seconds"),
    STORE_UNAVAILABLE(503, "the server's store (Redis) is not answering; try again shortly");

    private final int httpStatus;
    private final String defaultReason;

    ChatError(int httpStatus, String defaultReason) {
        this.httpStatus = httpStatus;
        this.defaultReason = defaultReason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultReason() {
        return defaultReason;
    }

    /** The exception that carries this error with its default reason. */
    public ChatException exception() {
        return new ChatException(this, defaultReason);
    }

    /** The exception that carries this error with a more specific reason. */
    public ChatException exception(String reason) {
        return new ChatException(this, reason);
    }
}
