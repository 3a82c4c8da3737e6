package chat.ws;

import org.xnio.Buffers;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The one writer of a WebSocket's bytes: a conduit set between Undertow's WebSocket channel and the socket.
 *
 * <p>Why: Undertow sends each message through a frame channel of its own (a pooled header, a priority queue, a
 * callback, a copy of a heap payload into a direct buffer), and at 1,000 subscribers and 100 posts a second that
 * was about half of the server's own CPU (BENCHMARKS.md, issue 5). The frames this server sends are
 * built once, header included ({@link Frame}), and queued here; one gathering write sends a socket's queue.
 * Undertow still reads the socket and still writes its own control frames (pongs, closes, protocol errors).
 * Those pass through this conduit too, behind whatever is queued, so the bytes on the wire stay whole frames in
 * the order they were sent.
 *
 * <p>Undertow's writes are always taken whole (what the socket does not take now is copied into the queue), so
 * Undertow never holds half a frame that one of ours could cut into. Its wishes to be told when the socket is
 * writable are kept apart from the queue's own, so neither turns off the other's. On the socket's IO thread only.
 */
final class FrameSink extends AbstractStreamSinkConduit<StreamSinkConduit> {
    private static final int MAX_GATHER = 64; // buffers per write system call
    /**
     * Bytes of Undertow's own frames that may wait here: its control frames are at most 127 bytes, so this is
     * about 500 pongs. A client that sends pings and reads nothing would otherwise queue a pong per ping without
     * bound (the push bound, --ws-queue-bytes, is the Outbox's and sees only our frames); past it the connection
     * is reset.
     */
    static final int MAX_UNDERTOW_BYTES = 64 * 1024;

    private final StreamConnection connection;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private long queuedBytes;
    private final ArrayDeque<ByteBuffer> undertowCopies = new ArrayDeque<>(); // Undertow's, in the queue's order
    private long undertowBytes;
    private boolean undertowWantsWrites;
    private boolean queueWaitsForSocket;
    private boolean terminateRequested;
    private boolean terminated;
    private ChannelListener<? super ConduitStreamSinkChannel> undertowWriteListener;
    private ByteBuffer watched; // a frame whose writing someone waits for, or null
    private Runnable whenWatchedWritten;

    private FrameSink(StreamConnection connection) {
        super(connection.getSinkChannel().getConduit());
        this.connection = connection;
    }

    /** Puts a sink under the WebSocket channel Undertow has just built on this connection. */
    static FrameSink install(StreamConnection connection) {
        ConduitStreamSinkChannel channel = connection.getSinkChannel();
        FrameSink sink = new FrameSink(connection);
        channel.setConduit(sink);
        sink.undertowWriteListener = channel.getWriteListener();
        channel.setWriteListener(sink::writable);
        return sink;
    }

    /** Queues a frame's bytes behind everything queued before; {@link #drain} writes them. */
    void enqueue(ByteBuffer frame) {
        if (terminateRequested) {
            return; // a close frame has gone before: nothing may follow it
        }
        queue.add(frame);
        queuedBytes += frame.remaining();
    }

    /**
     * Queues a frame as {@link #enqueue(ByteBuffer)} does, and runs {@code whenWritten} on this thread once its last
     * byte is written, or once it never will be (the socket's writes are cut off). One such frame at a time.
     */
    void enqueue(ByteBuffer frame, Runnable whenWritten) {
        if (terminateRequested) {
            whenWritten.run();
            return;
        }
        watched = frame;
        whenWatchedWritten = whenWritten;
        enqueue(frame);
    }

    private void watchedIsDone() {
        Runnable done = whenWatchedWritten;
        watched = null;
        whenWatchedWritten = null;
        if (done != null) {
            done.run();
        }
    }

    /**
     * Makes the connection's close abortive (a reset): the kernel then discards what the socket still holds for a
     * peer that does not read, instead of keeping it while it tries to deliver it.
     */
    void resetOnClose() throws IOException {
        connection.setOption(Options.CLOSE_ABORT, true);
    }

    int queuedFrames() {
        return queue.size();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Writes as much of the queue as the socket takes now; the rest goes when the socket is writable again.
     * Returns whether the queue is empty.
     */
    boolean drain() throws IOException {
        while (!queue.isEmpty()) {
            int count = 0;
            long asked = 0;
            for (ByteBuffer buffer : queue) {
                gather[count++] = buffer;
                asked += buffer.remaining();
                if (count == MAX_GATHER) {
                    break;
                }
            }
            long written = next.write(gather, 0, count);
            Arrays.fill(gather, 0, count, null);
            queuedBytes -= written;
            while (!queue.isEmpty() && !queue.peekFirst().hasRemaining()) {
                ByteBuffer sent = queue.pollFirst();
                if (sent == watched) {
                    watchedIsDone();
                } else if (sent == undertowCopies.peekFirst()) {
                    undertowCopies.pollFirst();
                    undertowBytes -= sent.capacity();
                }
            }
            if (written < asked) { // the socket's buffer is full
                queueWaitsForSocket = true;
                next.resumeWrites();
                return false;
            }
        }
        if (queueWaitsForSocket) {
            queueWaitsForSocket = false;
            if (!undertowWantsWrites) {
                next.suspendWrites();
            }
        }
        if (terminateRequested && !terminated) {
            terminated = true;
            next.terminateWrites();
        }
        return true;
    }

    /** The socket is writable: the queue goes first, then Undertow, if it asked. */
    private void writable(ConduitStreamSinkChannel channel) {
        try {
            drain();
        } catch (IOException e) {
            IoUtils.safeClose(connection);
            return;
        }
        if (undertowWantsWrites && undertowWriteListener != null) {
            ChannelListeners.invokeChannelListener(channel, undertowWriteListener);
        } else if (!queueWaitsForSocket) {
            next.suspendWrites(); // nobody waits to write
        }
    }

    // What Undertow calls: its writes go behind the queue, whole.

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        if (terminated) {
            return next.write(srcs, offs, len); // fails as a closed socket does
        }
        long total = Buffers.remaining(srcs, offs, len);
        if (drain()) {
            next.write(srcs, offs, len);
        }
        long left = Buffers.remaining(srcs, offs, len);
        if (left > 0) {
            if (undertowBytes + left > MAX_UNDERTOW_BYTES) {
                resetOnClose();
                IoUtils.safeClose(connection);
                throw new IOException("the client reads none of the control frames it asks for (pongs)");
            }
            ByteBuffer copy = ByteBuffer.allocate((int) left);
            Buffers.copy(copy, srcs, offs, len);
            if (!terminateRequested) { // else enqueue drops it
                undertowCopies.add(copy);
                undertowBytes += left;
            }
            enqueue(copy.flip());
            drain(); // sets up the wait for the socket
        }
        return total;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offset, length);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return drain() ? next.transferFrom(src, position, count) : 0;
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return Conduits.transfer(source, count, throughBuffer, this);
    }

    @Override
    public boolean flush() throws IOException {
        return drain() && next.flush();
    }

    @Override
    public void terminateWrites() throws IOException {
        terminateRequested = true;
        drain(); // terminates once the queue is out
    }

    @Override
    public boolean isWriteShutdown() {
        return terminateRequested || next.isWriteShutdown();
    }

    @Override
    public void truncateWrites() throws IOException {
        queue.clear();
        watchedIsDone();
        queuedBytes = 0;
        terminateRequested = true;
        terminated = true;
        next.truncateWrites();
    }

    @Override
    public void resumeWrites() {
        undertowWantsWrites = true;
        next.resumeWrites();
    }

    @Override
    public void wakeupWrites() {
        undertowWantsWrites = true;
        next.wakeupWrites();
    }

    @Override
    public void suspendWrites() {
        undertowWantsWrites = false;
        if (!queueWaitsForSocket) {
            next.suspendWrites();
        }
    }

    @Override
    public boolean isWriteResumed() {
        return undertowWantsWrites;
    }
}
