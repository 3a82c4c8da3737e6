package chat.push;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a socket sends goes through its outbox, which bounds what may wait to be written: a client that
 * reads slower than its channels produce would otherwise grow the server's memory without limit. Past the bound,
 * the socket is closed with 1013 "too slow"; the client reconnects and resubscribes from its last id.
 *
 * <p>Frames are queued on the socket's IO thread and written by {@link WriteCoalescing}, after the tasks already
 * waiting on that thread. Control frames (pings, closes, pongs) are written at once.
 */
public final class Outbox {
    static final int TRY_AGAIN_LATER = 1013;

    private final WebSocketChannel socket;
    private final int maxFrames;
    private final long maxBytes;
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final WriteCoalescing coalescing;
    private volatile boolean closed; // set on the IO thread when the close frame goes out
    private boolean waitingForFlush; // IO thread only

    public Outbox(WebSocketChannel socket, int maxFrames, long maxBytes, WriteCoalescing coalescing) {
        this.socket = socket;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.coalescing = coalescing;
        // Frames wait in Undertow's queue until flush() writes them all in one go.
        socket.setRequireExplicitFlush(true);
    }

    /** Queues a text frame; closes the socket instead when the queue is over its bound. */
    public void send(byte[] frame) {
        if (closed) {
            return;
        }
        int frames = pendingFrames.incrementAndGet();
        long bytes = pendingBytes.addAndGet(frame.length);
        if (frames > maxFrames || bytes > maxBytes) {
            close(TRY_AGAIN_LATER, "too slow");
            return;
        }
        onIoThread(() -> {
            WebSockets.sendText(ByteBuffer.wrap(frame), socket, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    sent(frame.length);
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                    sent(frame.length);
                }
            });
            coalescing.queued(this, socket.getIoThread());
        });
    }

    /** Writes every frame queued so far; on the IO thread. */
    public void flush() {
        socket.flush();
    }

    boolean isWaitingForFlush() {
        return waitingForFlush;
    }

    void waitForFlush(boolean waiting) {
        waitingForFlush = waiting;
    }

    private void onIoThread(Runnable work) {
        if (Thread.currentThread() == socket.getIoThread()) {
            work.run();
        } else {
            socket.getIoThread().execute(work);
        }
    }

    private void sent(int length) {
        pendingFrames.decrementAndGet();
        pendingBytes.addAndGet(-length);
    }

    /**
     * Closes the socket once, with a code and reason the client can act on. The close goes through the socket's
     * IO thread, so a frame being answered there right now (say, the answer to the logoff that ended the session)
     * is sent before it.
     */
    public void close(int code, String reason) {
        if (closeRequested.compareAndSet(false, true)) {
            socket.getIoThread().execute(() -> {
                closed = true;
                WebSockets.sendClose(new CloseMessage(code, reason), socket, null);
                flush();
            });
        }
    }

    Executor ioThread() {
        return socket.getIoThread();
    }

    public void ping() {
        if (!isClosed()) {
            onIoThread(() -> {
                WebSockets.sendPing(ByteBuffer.allocate(0), socket, null);
                flush();
            });
        }
    }

    public boolean isClosed() {
        return closeRequested.get() || !socket.isOpen();
    }
}
