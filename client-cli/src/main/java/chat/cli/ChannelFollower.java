package chat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows a channel by polling: asks for [last seen + 1, lastmessage] and remembers what it has shown, so no
 * message is shown twice or skipped. Messages the server's 100-message window dropped before they could be read
 * are announced as a gap instead of vanishing silently. A newest id below the last one seen means the channel's
 * history restarted (spec lastmessage/3): that is said, and the channel is read from its beginning.
 */
final class ChannelFollower {
    private final ChatClient client;
    private final long sesskey;
    private final String channel;
    private long lastSeen;

    /** Follows from after {@code lastSeen}; 0 for the channel's beginning. */
    ChannelFollower(ChatClient client, long sesskey, String channel, long lastSeen) {
        this.client = client;
        this.sesskey = sesskey;
        this.channel = channel;
        this.lastSeen = lastSeen;
    }

    /** What a poll found: a message, or a notice of messages lost to the window. */
    record Line(Message message, String notice) {
        String display() {
            return message != null ? message.display() : notice;
        }
    }

    /** What tail and join say when a channel's history was reset (lost, or the channel made again). */
    static String resetNotice(String channel) {
        return "(" + channel + ": channel history was reset; showing it from the start)";
    }

    /** What tail and join say of messages the server's window dropped before they could be shown. */
    static String gapNotice(String channel, long from, long to) {
        return "(" + channel + ": messages " + from + " to " + to
                + " were dropped by the server's window before they could be shown)";
    }

    /** What is new since the last poll: messages, preceded by a gap notice where some were lost. */
    List<Line> poll() {
        List<Line> lines = new ArrayList<>();
        long newest = client.lastMessage(sesskey, channel);
        if (newest < lastSeen) {
            lines.add(new Line(null, resetNotice(channel)));
            lastSeen = 0; // the ids seen were another history's
        }
        if (newest <= lastSeen) {
            return lines;
        }
        List<Message> messages = client.retrieve(sesskey, channel, lastSeen + 1, newest);
        long firstKept = messages.isEmpty() ? newest + 1 : messages.get(0).id();
        if (firstKept > lastSeen + 1 && lastSeen > 0) {
            lines.add(new Line(null, gapNotice(channel, lastSeen + 1, firstKept - 1)));
        }
        for (Message message : messages) {
            lines.add(new Line(message, null));
        }
        lastSeen = newest;
        return lines;
    }
}
