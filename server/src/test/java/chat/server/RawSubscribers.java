package chat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongConsumer;

/**
 * Many WebSocket subscribers read by one selector thread, frames parsed by hand: a load client light enough that
 * what it measures is the server, not itself. For {@link FanOutBenchmark}.
 */
final class RawSubscribers implements AutoCloseable {
    private static final byte[] MESSAGE_EVENT = "{\"event\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    /** What precedes a measured message's send time in its text; other messages (the warm-up's) are not timed. */
    static final char MEASURED_MARK = 't';
    private static final byte[] SENT_MARK = ("\"message\":\"" + MEASURED_MARK).getBytes(StandardCharsets.US_ASCII);

    private final Selector selector = Selector.open();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final CountDownLatch subscribed;
    private final LongConsumer latencyMicros;
    private volatile boolean running = true;
    private final Thread reader = new Thread(this::readLoop, "raw-subscribers");

    RawSubscribers(String host, int port, long sesskey, String channel, int count, LongConsumer latencyMicros)
            throws IOException {
        this.subscribed = new CountDownLatch(count);
        this.latencyMicros = latencyMicros;
        for (int i = 0; i < count; i++) {
            SocketChannel socket = SocketChannel.open(new InetSocketAddress(host, port));
            handshake(socket.socket(), host, port, sesskey, channel);
            socket.configureBlocking(false);
            socket.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(64 * 1024));
            channels.add(socket);
        }
        reader.setDaemon(true);
        reader.start();
    }

    boolean awaitSubscribed(long seconds) throws InterruptedException {
        return subscribed.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void handshake(Socket socket, String host, int port, long sesskey, String channel) throws IOException {
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("fan-out-bench-ky".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nX-Session-Key: " + sesskey
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) { // up to the blank line ending the response head
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] frame = ("{\"id\":1,\"call\":\"subscribe\",\"body\":{\"channel\":\"" + channel + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] header = {(byte) 0x81, (byte) (0x80 | frame.length), 0, 0, 0, 0}; // masked with a zero mask
        out.write(header);
        out.write(frame);
        out.flush();
    }

    private void readLoop() {
        try {
            while (running) {
                // select(action), not selectedKeys(): no set to fill and clear, so no garbage, so no GC pause of
                // this client's own that would show as the server's latency
                selector.select(this::read, 100);
            }
        } catch (IOException | UncheckedIOException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void read(SelectionKey key) {
        SocketChannel socket = (SocketChannel) key.channel();
        ByteBuffer buffer = (ByteBuffer) key.attachment();
        try {
            if (socket.read(buffer) < 0) {
                key.cancel();
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long now = System.nanoTime(); // after the read: what arrived while others were read counts late
        buffer.flip();
        parseFrames(buffer, now);
        buffer.compact();
    }

    /** Consumes every whole frame in the buffer; leaves a partial one for the next read. */
    private void parseFrames(ByteBuffer buffer, long now) {
        while (buffer.remaining() >= 2) {
            int start = buffer.position();
            int second = buffer.get(start + 1) & 0xFF;
            int headerLength = 2;
            long length = second & 0x7F;
            if (length == 126) {
                if (buffer.remaining() < 4) {
                    return;
                }
                length = buffer.getShort(start + 2) & 0xFFFF;
                headerLength = 4;
            } else if (length == 127) {
                if (buffer.remaining() < 10) {
                    return;
                }
                length = buffer.getLong(start + 2);
                headerLength = 10;
            }
            if (buffer.remaining() < headerLength + length) {
                return;
            }
            int payload = start + headerLength;
            handle(buffer, payload, (int) length, now);
            buffer.position(payload + (int) length);
        }
    }

    private void handle(ByteBuffer buffer, int at, int length, long now) {
        if (startsWith(buffer, at, length, MESSAGE_EVENT)) {
            int mark = indexOf(buffer, at, length, SENT_MARK);
            if (mark >= 0) {
                long sent = 0;
                for (int i = mark + SENT_MARK.length; i < at + length; i++) {
                    byte digit = buffer.get(i);
                    if (digit < '0' || digit > '9') {
                        break;
                    }
                    sent = sent * 10 + (digit - '0');
                }
                latencyMicros.accept((now - sent) / 1000);
            }
        } else if (length > 5 && buffer.get(at) == '{' && buffer.get(at + 2) == 'i') { // {"id":...: the answer
            subscribed.countDown();
        }
    }

    private static boolean startsWith(ByteBuffer buffer, int at, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuffer buffer, int at, int length, byte[] needle) {
        outer:
        for (int i = at; i <= at + length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            reader.join(5_000); // the reader leaves the selector before it is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
        selector.close();
    }
}
