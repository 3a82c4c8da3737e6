package chat.store;

/**
 * What one kept message and one channel cost in heap, for {@link MessageMemory}: the JVM's object layout on a
 * 64-bit HotSpot with compressed references (the default below 32 GiB of heap): a 12-byte header, fields, and
 * every object padded to 8 bytes. {@code ./run.sh footprint} confirms the figures: 134 bytes measured per message
 * of 45 characters against 128 counted here (the rest is the window's slot, counted with the channel), 4,186
 * measured for 4,096 {@code x} against 4,176 counted.
 */
final class KeptBytes {
    /** A Message: header 12, its long id and time 16, its array reference 4. */
    static final long MESSAGE_OBJECT = 32;
    /** A String without its array: header 12, its array reference, hash, coder and flags, padded. */
    static final long STRING_OBJECT = 24;
    /** A byte[]'s header with its length. */
    static final long ARRAY_HEADER = 16;
    /**
     * A channel without its messages: the MessageWindow (header, lastId, slots reference: 24), the slot array's
     * header (16), the map's node (32) and the name's String (24) and its array header (16), its entry in the list
     * of names (4, rounded up to 8) and a margin for the map's table growing (16).
     */
    static final long CHANNEL_OBJECTS = 24 + 16 + 32 + 24 + 16 + 8 + 16;

    /**
     * An idempotency key without its String: the LinkedHashMap entry (40), the record of its post (header, two
     * longs, the digest's reference: 32), the SHA-256 digest (16 + 32) and its share of the map's table (8).
     */
    static final long POSTED_KEY_OBJECTS = 40 + 32 + 48 + 8;
    /**
     * A user's table of keys without the name: its node in the map of users (32), the table object (24), the
     * LinkedHashMap (56) and its first array of 16 slots (80).
     */
    static final long KEYED_POSTER_OBJECTS = 32 + 24 + 56 + 80;

    private KeptBytes() {
    }

    /** A kept message with these stored bytes. */
    static long message(byte[] stored) {
        return MESSAGE_OBJECT + padded(ARRAY_HEADER + stored.length);
    }

    /**
     * A channel with this name (counted at 2 bytes a character, the most a String takes) and a window of this many
     * slots (4-byte references), before any message.
     */
    static long channel(String name, int window) {
        return CHANNEL_OBJECTS + padded(name.length() * 2L) + padded(4L * window);
    }

    /** An idempotency key (1 to 64 ASCII characters: a String of one byte a character) and what is kept with it. */
    static long postedKey(String key) {
        return POSTED_KEY_OBJECTS + STRING_OBJECT + padded(ARRAY_HEADER + key.length());
    }

    /** A user's table of idempotency keys, before any key; the name at 2 bytes a character, as for a channel. */
    static long keyedPoster(String username) {
        return KEYED_POSTER_OBJECTS + STRING_OBJECT + padded(ARRAY_HEADER + username.length() * 2L);
    }

    private static long padded(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
