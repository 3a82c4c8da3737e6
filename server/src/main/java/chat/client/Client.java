package chat.client;

/**
 * A client as {@link ClientAddresses} resolved it.
 *
 * @param key    what its bounds are counted under
 * @param exempt whether per-client bounds apply to it at all (exempt addresses; for the per-address connection
 *               bound, trusted proxies too)
 */
public record Client(ClientKey key, boolean exempt) {
}
