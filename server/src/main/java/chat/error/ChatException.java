package chat.error;

/**
 * The one error type of the server: a {@link ChatError} and the reason shown to the client. Thrown by the core
 * and the request parsing, turned into a response in exactly one place (chat.server.Failures).
 *
 * <p>It is part of normal control flow (a wrong password is not exceptional), so it skips the stack trace:
 * filling one in costs more than the rest of a typical failed call.
 */
public final class ChatException extends RuntimeException {
    private final ChatError error;

    public ChatException(ChatError error, String reason) {
        super(reason, null, false, false);
        this.error = error;
    }

    public ChatError error() {
        return error;
    }

    /** The text for the envelope's "data": meant for people, safe to show them. */
    public String reason() {
        return getMessage();
    }
}
