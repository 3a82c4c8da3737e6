package chat.redis;

import chat.store.Message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a message is kept on Redis, and published between replicas: its stored fields (chat.api.Json's form) with the
 * time the post script read from Redis's clock put in front as a field, {@code "time":T,"username":...} (or, for the
 * compact form, after its leading 0 byte: {@code \0"time":T,...}).
 *
 * <p>A JSON field rather than a binary header, for two reasons. A replica from before times serves the kept bytes
 * as they are after {@code {"messageid":N,}, so in a rolling upgrade it gives the new messages' times too, in valid
 * JSON, and pushes them; and the time costs Redis one string concatenation per post and nothing per read, where a
 * list of times beside the messages cost each retrieve a quarter of its throughput (BENCHMARKS.md). A message kept
 * unstamped (before times, or posted through an older replica) reads as having no time.
 */
final class StampedFields {
    private static final byte[] TIME_FIELD = "\"time\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte COMPACT = 0;

    private StampedFields() {
    }

    /** The message with this id kept (or published) as {@code element}: its time, and its fields without it. */
    static Message message(long id, byte[] element) {
        int at = element.length > 0 && element[0] == COMPACT ? 1 : 0;
        if (!startsWith(element, at, TIME_FIELD)) {
            return new Message(id, Message.NO_TIME, element);
        }
        int digits = at + TIME_FIELD.length;
        long time = 0;
        int i = digits;
        for (; i < element.length && element[i] >= '0' && element[i] <= '9'; i++) {
            time = time * 10 + (element[i] - '0');
        }
        if (i == digits || i >= element.length || element[i] != ',') {
            return new Message(id, Message.NO_TIME, element); // a message that merely begins so: not a stamp
        }
        byte[] fields = new byte[at + element.length - i - 1];
        if (at == 1) {
            fields[0] = COMPACT;
        }
        System.arraycopy(element, i + 1, fields, at, element.length - i - 1);
        return new Message(id, time, fields);
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        return bytes.length - at >= prefix.length && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }
}
