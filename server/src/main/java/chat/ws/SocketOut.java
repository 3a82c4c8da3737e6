package chat.ws;

import chat.push.Subscriber;

import java.util.function.Function;

/**
 * A socket as its calls and subscriptions see it: where pushes and answers go, and whether it is still open. The
 * {@link Outbox} is the real one; a test hands SocketCalls its own, to read the answers in-process with no network
 * in between (SocketFramesFuzzTest).
 */
interface SocketOut extends Subscriber<Frame> {
    /**
     * Queues the answer to one of the socket's calls; {@code refusal} makes the SERVER_BUSY answer sent instead
     * when there is no room for it (Outbox says when).
     */
    void sendAnswer(byte[] json, Function<String, byte[]> refusal);

    /** Whether the socket has closed or is closing: nothing sent now would be read. */
    boolean isClosed();
}
