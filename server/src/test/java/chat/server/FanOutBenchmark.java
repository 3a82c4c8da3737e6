package chat.server;


import com.google.gson.JsonParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * WebSocket fan-out: N sockets subscribed to one channel ({@link RawSubscribers}, one selector thread), a poster
 * at a steady rate, delivery latency from the post being sent to each receipt. A benchmark, not a test: {@code ./run.sh fanout [sockets] [posts/s] [seconds] [warm-up seconds]}.
 * The message text carries the time it was sent (this process's clock), so latency needs no clock sync.
 */
public final class FanOutBenchmark {
    private static final char WARM_UP_MARK = 'w';
    private static final int WARM_UP_QUIET_POSTS = 20_000;

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmupSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        HttpClient http = HttpClient.newHttpClient();
        long key = JsonParser.parseString(post(http, base, "logon",
                "{\"username\":\"fanout-" + System.nanoTime() % 100000 + "\",\"password\":\"pw\"}"))
                .getAsJsonObject().get("data").getAsLong();
        String channel = "fanout-" + System.nanoTime();
        post(http, base, "create", "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\"}");

        // Recorded into a preallocated array by the one reader thread: no boxing, no garbage to collect meanwhile.
        long[] latenciesMicros = new long[rate * seconds * sockets];
        AtomicInteger recorded = new AtomicInteger();
        URI server = URI.create(base);
        RawSubscribers subscribers = new RawSubscribers(server.getHost(), server.getPort(), key, channel, sockets,
                micros -> {
                    int at = recorded.get();
                    if (at < latenciesMicros.length) {
                        latenciesMicros[at] = micros;
                        recorded.lazySet(at + 1);
                    }
                });
        if (!subscribers.awaitSubscribed(30)) {
            throw new IllegalStateException("not all sockets subscribed");
        }

        RawPoster poster = new RawPoster(server.getHost(), server.getPort());
        // Warm-up first, not recorded. A fresh JVM compiles a method after some thousands of calls, and at 100 posts
        // a second the HTTP side of a post would reach that well inside the measured seconds: the compiler threads
        // would then take CPU from the fan-out being measured. So: posts to a channel nobody follows, as fast as
        // one connection goes, then the fan-out itself at the measured rate. A server that has run for a while
        // is in this state; a just-started one is not, and the first line printed shows the difference.
        String quiet = "fanout-quiet-" + System.nanoTime();
        post(http, base, "create", "{\"sesskey\":" + key + ",\"channel\":\"" + quiet + "\"}");
        if (warmupSeconds > 0) {
            for (int i = 0; i < WARM_UP_QUIET_POSTS; i++) {
                poster.post("{\"sesskey\":" + key + ",\"channel\":\"" + quiet + "\",\"message\":\"w" + i + "\"}");
            }
        }
        postAtRate(poster, key, channel, rate, rate * warmupSeconds, WARM_UP_MARK, new long[rate * warmupSeconds]);
        int posts = rate * seconds;
        long[] postMicros = new long[posts]; // each post's own round trip: part of every delivery's latency
        long start = System.nanoTime();
        postAtRate(poster, key, channel, rate, posts, RawSubscribers.MEASURED_MARK, postMicros);
        double postSeconds = (System.nanoTime() - start) / 1e9;
        long expected = (long) posts * sockets;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorded.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int perSecond = rate * sockets;
        StringBuilder bySecond = new StringBuilder();
        for (int from = 0; from < recorded.get(); from += perSecond) {
            long[] second = Arrays.copyOfRange(latenciesMicros, from, Math.min(recorded.get(), from + perSecond));
            Arrays.sort(second);
            bySecond.append(String.format(" %.0f", percentile(second, 0.99)));
        }
        System.out.println("p99_ms_by_second" + bySecond);
        long[] sorted = Arrays.copyOf(latenciesMicros, recorded.get());
        Arrays.sort(sorted);
        Arrays.sort(postMicros);
        System.out.printf("fanout sockets=%d warmup_s=%d posts=%d rate_per_s=%.1f delivered=%d expected=%d "
                        + "post_p50_ms=%.2f post_p99_ms=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                sockets, warmupSeconds, posts, posts / postSeconds, sorted.length, expected,
                percentile(postMicros, 0.50), percentile(postMicros, 0.99),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        subscribers.close();
        poster.close();
    }

    /**
     * POST /post over one keep-alive socket, written and read by hand: the JDK's HttpClient hands each request
     * between threads, which on a busy 2-core box added tens of milliseconds to every delivery measured.
     */
    private static final class RawPoster implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.DataInputStream in;
        private final String host;

        RawPoster(String host, int port) throws java.io.IOException {
            this.host = host + ":" + port;
            this.socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            this.in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        }

        void post(String json) throws java.io.IOException {
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] head = ("POST /post HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            out.write(request); // one write, one segment: as a client with a request buffer sends it
            out.flush();
            int length = -1;
            String line;
            while (!(line = readLine()).isEmpty()) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] answer = in.readNBytes(length);
            if (!new String(answer, java.nio.charset.StandardCharsets.UTF_8).contains("\"status\":true")) {
                throw new IllegalStateException("post failed: " + new String(answer, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        private String readLine() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    /**
     * Posts {@code count} messages at {@code rate} a second, each carrying its send time after {@code mark}, and
     * records each post's own round trip.
     */
    private static void postAtRate(RawPoster poster, long key, String channel, int rate, int count, char mark,
                                   long[] postMicros) throws java.io.IOException {
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // never spin: on 2 cores a spinning poster takes a whole core
            }
            long sent = System.nanoTime();
            poster.post("{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\",\"message\":\"" + mark + sent + "\"}");
            postMicros[i] = (System.nanoTime() - sent) / 1000;
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000.0;
    }

    private static String post(HttpClient http, String base, String call, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/" + call))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (!response.body().contains("\"status\":true")) {
            throw new IllegalStateException(call + " failed: " + response.body());
        }
        return response.body();
    }

}
