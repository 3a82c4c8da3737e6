package chat.core;

/**
 * Turns a message's fields into the bytes the store keeps. Given to the core by the web layer, which
 * owns the wire format; this is what lets a message be encoded once, at post time, for all its readers.
 */
@FunctionalInterface
public interface MessageEncoder {
    byte[] encode(String username, String message);
}
