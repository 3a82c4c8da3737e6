package chat.core;

/**
 * The configurable limits the core enforces (the fixed ones, such as name lengths, are in the protocol).
 *
 * @param maxMessageLength characters in one message
 * @param maxUsers         registered usernames
 * @param maxSessions      live sessions, all users together
 * @param maxChannels      channels
 */
public record ChatLimits(int maxMessageLength, long maxUsers, long maxSessions, long maxChannels) {
}
