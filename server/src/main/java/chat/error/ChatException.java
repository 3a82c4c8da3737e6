package chat.error;

import java.time.Duration;

/**
 * The one error type of the server: a {@link ChatError} and the reason shown to the client. Thrown by the core
 * and the request parsing, turned into a response in exactly one place (chat.server.Failures).
 *
 * <p>It is part of normal control flow (a wrong password is not exceptional), so it skips the stack trace:
 * filling one in costs more than the rest of a typical failed call.
 */
public final class ChatException extends RuntimeException {
    private final ChatError error;
    private final Duration retryAfter; // null: waiting would not help, or nobody knows how long
    private final Throttle throttle; // null but for RATE_LIMITED

    public ChatException(ChatError error, String reason) {
        this(error, reason, null, null);
    }

    private ChatException(ChatError error, String reason, Duration retryAfter, Throttle throttle) {
        super(reason, null, false, false);
        this.error = error;
        this.retryAfter = retryAfter;
        this.throttle = throttle;
    }

    /**
     * The same failure, with how long the client should wait before trying again: answered over HTTP as the
     * header {@code Retry-After} (whole seconds, at least 1).
     */
    public ChatException retryAfter(Duration wait) {
        return new ChatException(error, reason(), wait, throttle);
    }

    /** The same failure, naming the rate limit that refused it (answered over HTTP as the RateLimit fields). */
    public ChatException throttledBy(Throttle limit) {
        return new ChatException(error, reason(), retryAfter, limit);
    }

    /** The rate limit that refused the call, or null. */
    public Throttle throttle() {
        return throttle;
    }

    /** How long to wait before trying again, if waiting helps and the server can tell; else null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, rounded up, at least 1: Retry-After's and retry_after's value. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public ChatError error() {
        return error;
    }

    /** The text for the envelope's "data": meant for people, safe to show them. */
    public String reason() {
        return getMessage();
    }
}
