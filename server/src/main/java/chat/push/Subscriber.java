package chat.push;

import java.util.concurrent.Executor;

/**
 * One client connection as fan-out sees it: events can be sent to it, it has a thread of its own, and it can be
 * told that its session ended. Push knows nothing else of the transport, the way ntfy's topic knows only a
 * subscriber function: the WebSocket is one subscriber (chat.ws), a unit test's fake is another.
 *
 * @param <E> what an event is to this transport: for a WebSocket, a frame encoded once and shared
 */
public interface Subscriber<E> {
    /** The thread that writes to this subscriber; messages are offered on it when the store never blocks. */
    Executor thread();

    /** Queues an event to be sent; from any thread, never blocking. */
    void send(E event);

    /** The session this subscriber belongs to has ended (logoff, expiry): tell the client and close. */
    void sessionEnded();
}
