package chat.ws;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads one incoming WebSocket message (all its fragments) up to a byte limit.
 *
 * <p>Undertow's own BufferedTextMessage checks its limit only when a message arrives in a single read: one that
 * arrives in several reads is buffered whole, whatever its size (seen in 2.3.18). So the limit is kept here, on
 * every read.
 */
final class BoundedTextReader implements ChannelListener<StreamSourceFrameChannel> {
    private final long maxBytes;
    private final Consumer<byte[]> onMessage;
    private final Runnable onTooLarge;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private BoundedTextReader(long maxBytes, Consumer<byte[]> onMessage, Runnable onTooLarge) {
        this.maxBytes = maxBytes;
        this.onMessage = onMessage;
        this.onTooLarge = onTooLarge;
    }

    static void read(StreamSourceFrameChannel message, long maxBytes, Consumer<byte[]> onMessage, Runnable onTooLarge) {
        BoundedTextReader reader = new BoundedTextReader(maxBytes, onMessage, onTooLarge);
        message.getReadSetter().set(reader);
        reader.handleEvent(message);
    }

    @Override
    public void handleEvent(StreamSourceFrameChannel message) {
        try (PooledByteBuffer pooled = message.getWebSocketChannel().getBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (true) {
                buffer.clear();
                int read = message.read(buffer);
                if (read == 0) {
                    message.resumeReads(); // more comes later: handleEvent runs again then
                    return;
                }
                if (read < 0) {
                    message.getReadSetter().set(null);
                    onMessage.accept(bytes.toByteArray());
                    return;
                }
                if (bytes.size() + (long) read > maxBytes) {
                    message.getReadSetter().set(null);
                    IoUtils.safeClose(message);
                    onTooLarge.run();
                    return;
                }
                buffer.flip();
                byte[] chunk = new byte[buffer.remaining()]; // pooled buffers are direct: no backing array
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(message);
            onTooLarge.run();
        }
    }
}
