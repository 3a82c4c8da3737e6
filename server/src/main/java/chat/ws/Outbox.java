package chat.ws;

import chat.push.Subscriber;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a socket sends goes through its outbox, which bounds what may wait to be written: a client that
 * reads slower than its channels produce would otherwise grow the server's memory without limit. Past the bound,
 * the socket is closed with 1013 "too slow"; the client reconnects and resubscribes from its last id.
 *
 * <p>Frames are queued in the socket's {@link FrameSink} on its IO thread and written by {@link WriteCoalescing},
 * after the tasks already waiting on that thread. Control frames (pings, closes, pongs) go through Undertow and are
 * written at once, behind the frames queued before them.
 *
 * <p>It is the socket as push sees it: a {@link Subscriber} of frames, on its IO thread.
 */
final class Outbox implements Subscriber<Frame> {
    private final WebSocketChannel socket;
    private final FrameSink sink;
    private final XnioIoThread ioThread;
    private final int maxFrames;
    private final long maxBytes;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final WriteCoalescing coalescing;
    private boolean closed; // IO thread only: set when the close frame goes out; nothing may follow it
    private boolean waitingForFlush; // IO thread only

    Outbox(WebSocketChannel socket, FrameSink sink, int maxFrames, long maxBytes, WriteCoalescing coalescing) {
        this.socket = socket;
        this.sink = sink;
        this.ioThread = socket.getIoThread();
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.coalescing = coalescing;
    }

    /** Queues a text frame with this JSON; closes the socket instead when the queue is over its bound. */
    void send(byte[] json) {
        send(Frame.text(json));
    }

    /** Queues a frame (possibly shared with other sockets); closes the socket instead when over the bound. */
    @Override
    public void send(Frame frame) {
        if (Thread.currentThread() == ioThread) {
            enqueue(frame);
        } else {
            ioThread.execute(() -> enqueue(frame));
        }
    }

    private void enqueue(Frame frame) {
        if (closed) {
            return;
        }
        if (sink.queuedFrames() >= maxFrames || sink.queuedBytes() + frame.length() > maxBytes) {
            close(CloseCodes.TRY_AGAIN_LATER, "too slow");
            return;
        }
        sink.enqueue(frame.forWriting());
        coalescing.queued(this, ioThread);
    }

    /** Writes every frame queued so far, as far as the socket takes them; on the IO thread. */
    void flush() {
        try {
            sink.drain();
        } catch (IOException e) {
            IoUtils.safeClose(socket); // the peer is gone: its close tasks end its subscriptions
        }
    }

    boolean isWaitingForFlush() {
        return waitingForFlush;
    }

    void waitForFlush(boolean waiting) {
        waitingForFlush = waiting;
    }

    /**
     * Closes the socket once, with a code and reason the client can act on. The close goes through the socket's
     * IO thread, so a frame being answered there right now (say, the answer to the logoff that ended the session)
     * is sent before it.
     */
    void close(int code, String reason) {
        if (closeRequested.compareAndSet(false, true)) {
            ioThread.execute(() -> {
                closed = true;
                WebSockets.sendClose(new CloseMessage(code, reason), socket, null);
            });
        }
    }

    @Override
    public Executor thread() {
        return ioThread;
    }

    @Override
    public void sessionEnded() {
        close(CloseCodes.POLICY_VIOLATION, "session ended");
    }

    void ping() {
        if (!isClosed()) {
            ioThread.execute(() -> WebSockets.sendPing(ByteBuffer.allocate(0), socket, null));
        }
    }

    boolean isClosed() {
        return closeRequested.get() || !socket.isOpen();
    }
}
