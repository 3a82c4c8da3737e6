package chat.store;

/**
 * What a post with an idempotency key came to: the id its message has, and the message when this call stored it;
 * {@code stored} is null for a repeat, whose message was stored (and announced) by the first post with the key.
 */
public record Posted(long id, Message stored) {
    public boolean isRepeat() {
        return stored == null;
    }
}
