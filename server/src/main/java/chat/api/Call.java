package chat.api;

import chat.client.Client;

/**
 * One call of the protocol: from the parsed body, made by this client, to the bytes of a successful answer; fails
 * by throwing.
 */
@FunctionalInterface
public interface Call {
    byte[] answer(RequestBody body, Client client);
}
