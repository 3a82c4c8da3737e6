package chat.store;

/**
 * A kept message: its id within its channel and its fields as stored, produced once when it is posted (see
 * chat.core.MessageEncoder), so that every later read copies bytes instead of serialising the message again for
 * each reader.
 *
 * <p>The store treats {@code stored} as opaque bytes; it is never modified after construction. Their form is the
 * web layer's: chat.api.Json writes them and reads them back ({@code Json.fields}), most often as the very bytes
 * of the wire.
 */
public record Message(long id, byte[] stored) {
}
