package chat.api;

/** One call of the protocol: from the parsed body to the bytes of a successful answer; fails by throwing. */
@FunctionalInterface
public interface Call {
    byte[] answer(RequestBody body);
}
