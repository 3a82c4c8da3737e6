package chat.store;

/**
 * A kept message: its id within its channel and its fields already encoded for the wire.
 *
 * <p>The store treats {@code encoded} as opaque bytes. It is produced once, when the message is posted
 * (see chat.core.MessageEncoder), so that every later read only copies bytes instead of serialising
 * the message again for each reader. The array is never modified after construction.
 */
public record Message(long id, byte[] encoded) {
}
