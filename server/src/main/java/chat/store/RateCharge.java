package chat.store;

/**
 * Whether a call counts against its session's rate limits (calls, and posts for a post). A store charges them in
 * the same step as its session check: on Redis, inside the call's one script.
 */
public enum RateCharge {
    /** The call takes its tokens, and is refused RATE_LIMITED without them. */
    CHARGED,
    /** A client exempt from per-client limits ({@code --client-limit-exempt}): nothing is taken. */
    EXEMPT
}
