package chat.store;

/**
 * A kept message: its id within its channel, when the store accepted it, and its fields as stored, produced once
 * when it is posted (see chat.core.MessageEncoder), so that every later read copies bytes instead of serialising the
 * message again for each reader.
 *
 * <p>The store treats {@code stored} as opaque bytes; it is never modified after construction. Their form is the
 * web layer's: chat.api.Json writes them and reads them back ({@code Json.fields}), most often as the very bytes
 * of the wire.
 *
 * @param time milliseconds since the epoch (UTC) when the store accepted it, assigned with the id so that a later
 *             id never has an earlier time; {@link #NO_TIME} for a message kept before the store recorded times
 *             (on Redis, kept through an upgrade)
 */
public record Message(long id, long time, byte[] stored) {
    /** The time of a message whose time was never recorded: the wire then has no {@code "time"} (spec retrieve/9). */
    public static final long NO_TIME = -1;

    public boolean hasTime() {
        return time != NO_TIME;
    }
}
