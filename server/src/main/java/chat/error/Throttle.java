package chat.error;

/**
 * The rate limit a call was refused by, for the RateLimit-Policy and RateLimit header fields of the IETF httpapi
 * draft (draft-ietf-httpapi-ratelimit-headers-10): a token bucket of {@code quota} tokens that fills in
 * {@code windowSeconds}.
 *
 * @param policy        the limit's name, e.g. {@code failed-logons}; the policy item of both fields
 * @param quota         the bucket's burst: the draft's {@code q}
 * @param windowSeconds how long an empty bucket takes to fill: the draft's {@code w}
 */
public record Throttle(String policy, long quota, long windowSeconds) {
}
