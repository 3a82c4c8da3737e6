package chat.limit;

/**
 * One token to take from one bucket: the limit, the key its bucket is kept under, and the subject its refusal
 * names.
 *
 * @param key     the bucket's key within its limit: a client address, a username, "username client"
 * @param subject how a refusal names it: "alice", or "" when the reason needs none
 */
public record Charge(RateLimit limit, String key, String subject) {
}
