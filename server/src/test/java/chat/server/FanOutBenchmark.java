package chat.server;

import com.google.gson.JsonParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * WebSocket fan-out: N sockets subscribed to one channel, a poster at a steady rate, delivery latency from the
 * post being sent to each receipt. A benchmark, not a test: {@code ./run.sh fanout [sockets] [posts/s] [seconds]}.
 * The message text carries the time it was sent (this process's clock), so latency needs no clock sync.
 */
public final class FanOutBenchmark {
    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;

        // The poster has a client of its own; the sockets are spread over several, each with its own selector
        // thread, so the load client's reading is not what limits the figures.
        HttpClient http = HttpClient.newHttpClient();
        List<HttpClient> socketClients = new ArrayList<>();
        for (int i = 0; i < Math.max(1, sockets / 100); i++) {
            socketClients.add(HttpClient.newHttpClient());
        }
        long key = JsonParser.parseString(post(http, base, "logon",
                "{\"username\":\"fanout-" + System.nanoTime() % 100000 + "\",\"password\":\"pw\"}"))
                .getAsJsonObject().get("data").getAsLong();
        String channel = "fanout-" + System.nanoTime();
        post(http, base, "create", "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\"}");

        ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
        AtomicLong closes = new AtomicLong();
        CountDownLatch subscribed = new CountDownLatch(sockets);
        List<WebSocket> open = new ArrayList<>();
        String wsUrl = base.replaceFirst("^http", "ws") + "/ws";
        for (int i = 0; i < sockets; i++) {
            WebSocket socket = socketClients.get(i % socketClients.size()).newWebSocketBuilder()
                    .header("X-Session-Key", Long.toString(key))
                    .buildAsync(URI.create(wsUrl), new Receiver(latenciesMicros, subscribed, closes)).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"id\":1,\"call\":\"subscribe\",\"body\":{\"channel\":\"" + channel + "\"}}", true);
            open.add(socket);
        }
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all sockets subscribed");
        }

        int posts = rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < posts; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // never spin: on 2 cores a spinning poster takes a whole core
            }
            post(http, base, "post", "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\",\"message\":\"t"
                    + System.nanoTime() + "\"}");
        }
        double postSeconds = (System.nanoTime() - start) / 1e9;
        long expected = (long) posts * sockets;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latenciesMicros.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long[] sorted = latenciesMicros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        System.out.printf("fanout sockets=%d posts=%d rate_per_s=%.1f delivered=%d expected=%d closed=%d "
                        + "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                sockets, posts, posts / postSeconds, sorted.length, expected, closes.get(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        for (WebSocket socket : open) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
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

    /** Counts the subscribe answer, then records each message's latency. */
    private static final class Receiver implements WebSocket.Listener {
        private final ConcurrentLinkedQueue<Long> latenciesMicros;
        private final CountDownLatch subscribed;
        private final AtomicLong closes;
        private final StringBuilder partial = new StringBuilder();

        Receiver(ConcurrentLinkedQueue<Long> latenciesMicros, CountDownLatch subscribed, AtomicLong closes) {
            this.latenciesMicros = latenciesMicros;
            this.subscribed = subscribed;
            this.closes = closes;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                int sent = frame.indexOf("\"message\":\"t");
                if (frame.startsWith("{\"event\":\"message\"") && sent > 0) {
                    int from = sent + 12;
                    long sentNanos = Long.parseLong(frame.substring(from, frame.indexOf('"', from)));
                    latenciesMicros.add((now - sentNanos) / 1000);
                } else if (frame.startsWith("{\"id\"")) {
                    subscribed.countDown();
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closes.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }
    }
}
