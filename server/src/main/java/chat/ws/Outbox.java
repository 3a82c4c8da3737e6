package chat.ws;

import chat.api.UnsentAnswers;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import chat.push.Subscriber;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Everything a socket sends goes through its outbox, which bounds what may wait to be written: a client that
 * reads slower than its channels produce would otherwise grow the server's memory without limit. Past the bound,
 * the socket is closed with 1013 "too slow"; the client reconnects and resubscribes from its last id.
 *
 * <p>Frames are queued in the socket's {@link FrameSink} on its IO thread and written by {@link WriteCoalescing},
 * after the tasks already waiting on that thread. Control frames (pings, closes, pongs) go through Undertow and are
 * written at once, behind the frames queued before them.
 *
 * <p>The bound is for pushes waiting. An answer to the socket's own call that is larger than the room left (a
 * retrieve of a full window of big messages, 1.64 MB, against a 1 MiB queue) is still sent: it waits outside the
 * push bound, one at a time per socket, and is held within the server's bound on unsent answers
 * ({@link UnsentAnswers}, {@code --max-unsent}) until it is written; without room there it is refused with
 * SERVER_BUSY, as over HTTP.
 *
 * <p>A socket the server closes is dropped, with a reset, once the close timeout has passed without the client
 * answering the close: a client that reads nothing never reads the close frame either, and would otherwise hold
 * the connection and its kernel buffers until the silence timeout (90 s).
 *
 * <p>It is the socket as push sees it: a {@link Subscriber} of frames, on its IO thread.
 */
final class Outbox implements SocketOut {
    private final WebSocketChannel socket;
    private final FrameSink sink;
    private final XnioIoThread ioThread;
    private final int maxFrames;
    private final long maxBytes;
    private final long closeTimeoutMillis;
    private final UnsentAnswers unsent;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final WriteCoalescing coalescing;
    private final SocketMeters meters;
    private boolean closed; // IO thread only: set when the close frame goes out; nothing may follow it
    private boolean waitingForFlush; // IO thread only
    private ByteBuffer oversizedAnswer; // IO thread only: an answer larger than the push bound, being written
    private volatile UnsentAnswers.Hold oversizedHold;

    Outbox(WebSocketChannel socket, FrameSink sink, SocketLimits limits, UnsentAnswers unsent,
           WriteCoalescing coalescing, SocketMeters meters) {
        this.meters = meters;
        this.socket = socket;
        this.sink = sink;
        this.ioThread = socket.getIoThread();
        this.maxFrames = limits.maxQueuedEvents();
        this.maxBytes = limits.maxQueuedBytes();
        this.closeTimeoutMillis = limits.closeTimeout().toMillis();
        this.unsent = unsent;
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

    /**
     * Queues the answer to one of the socket's calls: within the push bound if it fits there, else as the socket's
     * one oversized answer; {@code refusal} makes the SERVER_BUSY answer sent instead when that cannot be.
     */
    @Override
    public void sendAnswer(byte[] json, Function<String, byte[]> refusal) {
        Frame frame = Frame.text(json);
        if (Thread.currentThread() == ioThread) {
            enqueueAnswer(frame, refusal);
        } else {
            ioThread.execute(() -> enqueueAnswer(frame, refusal));
        }
    }

    private void enqueue(Frame frame) {
        if (closed) {
            return;
        }
        if (sink.queuedFrames() >= maxFrames || pushBytes() + frame.length() > maxBytes) {
            close(CloseCodes.TRY_AGAIN_LATER, "too slow", meters.closedSlow);
            return;
        }
        meters.framesSent.inc();
        meters.bytesSent.inc(frame.length());
        sink.enqueue(frame.forWriting());
        coalescing.queued(this, ioThread);
    }

    private void enqueueAnswer(Frame frame, Function<String, byte[]> refusal) {
        if (closed || sink.queuedFrames() >= maxFrames || pushBytes() + frame.length() <= maxBytes) {
            enqueue(frame); // an answer that fits counts as pushes do
            return;
        }
        if (oversizedAnswer != null) {
            enqueue(Frame.text(refusal.apply("an answer larger than this socket's queue (" + maxBytes
                    + " bytes) is still being sent to it; ask again once it has come")));
            return;
        }
        UnsentAnswers.Hold hold = unsent.tryHold(frame, frame.length());
        if (hold == null) {
            enqueue(Frame.text(refusal.apply("the server holds " + unsent.maxBytes() + " bytes of answers for "
                    + "clients that read slowly, its bound; this answer of " + frame.length() + " bytes would pass it")));
            return;
        }
        meters.framesSent.inc();
        meters.bytesSent.inc(frame.length());
        ByteBuffer bytes = frame.forWriting();
        oversizedAnswer = bytes;
        oversizedHold = hold;
        sink.enqueue(bytes, () -> {
            oversizedAnswer = null;
            oversizedHold = null;
            hold.release();
        });
        coalescing.queued(this, ioThread);
    }

    /** The bytes of pushes (and answers that fit among them) waiting: what the queue's bound is for. */
    private long pushBytes() {
        return sink.queuedBytes() - (oversizedAnswer == null ? 0 : oversizedAnswer.remaining());
    }

    /** The socket has closed: an oversized answer that waited is let go. */
    void closed() {
        UnsentAnswers.Hold hold = oversizedHold;
        if (hold != null) {
            hold.release();
        }
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
     * is sent before it. {@code why} counts the close, once, by its reason (SocketMeters).
     */
    void close(int code, String reason, CounterDataPoint why) {
        if (closeRequested.compareAndSet(false, true)) {
            why.inc();
            ioThread.execute(() -> {
                closed = true;
                WebSockets.sendClose(new CloseMessage(code, reason), socket, null);
                try {
                    ioThread.executeAfter(this::dropIfStillOpen, closeTimeoutMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    // the server is stopping (this was its close to every socket): the sockets go with it
                }
            });
        }
    }

    /** The client has not answered the close in time (often it reads nothing at all): drop the connection. */
    private void dropIfStillOpen() {
        if (socket.isOpen()) {
            try {
                sink.resetOnClose();
            } catch (IOException | RuntimeException e) {
                // closed all the same, if less abruptly
            }
            IoUtils.safeClose(socket);
        }
    }

    /** What this socket's frames and close are counted in. */
    SocketMeters meters() {
        return meters;
    }

    @Override
    public Executor thread() {
        return ioThread;
    }

    @Override
    public void sessionEnded() {
        close(CloseCodes.POLICY_VIOLATION, "session ended", meters.closedSessionEnded);
    }

    void ping() {
        if (!isClosed()) {
            ioThread.execute(() -> WebSockets.sendPing(ByteBuffer.allocate(0), socket, null));
        }
    }

    @Override
    public boolean isClosed() {
        return closeRequested.get() || !socket.isOpen();
    }
}
