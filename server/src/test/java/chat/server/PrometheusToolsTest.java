package chat.server;

import chat.testing.Await;
import chat.testing.Scrape;
import chat.testing.TestServer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exposition read by Prometheus's own tools (Debian's prometheus package, which ./run.sh test installs):
 * promtool's linter accepts it, and a real Prometheus scraping the metrics listener stores the chat's series.
 */
@Timeout(120)
class PrometheusToolsTest {
    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        try (TestServer chat = MetricsTest.startWithMetrics()) {
            long key = chat.newSession();
            chat.postMessage(key, chat.newChannel(key), "hello");
            String exposition = Scrape.of(chat.http(), chat.server.metricsUrl()).text();
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool ended");
            assertEquals(0, promtool.exitValue(), "promtool check metrics said:\n" + said);
            assertEquals("", said.trim(), "promtool's lint found problems");
        }
    }

    @Test
    void aRealPrometheusScrapesTheChatSeries(@TempDir Path dir) throws Exception {
        try (TestServer chat = MetricsTest.startWithMetrics()) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            for (int i = 0; i < 3; i++) {
                chat.postMessage(key, channel, "hello " + i);
            }
            String target = chat.server.metricsUrl().replace("http://", "");
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: chat
                        static_configs:
                          - targets: ['%s']
                    """.formatted(target));
            int port = freePort();
            Process prometheus = new ProcessBuilder(List.of("prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                HttpUrl query = HttpUrl.get("http://127.0.0.1:" + port + "/api/v1/query").newBuilder()
                        .addQueryParameter("query", "chat_calls_total{call=\"post\",outcome=\"ok\",job=\"chat\"}")
                        .build();
                JsonArray result = Await.value("Prometheus has the chat's post counter", Duration.ofSeconds(60),
                        () -> resultOf(chat, query), found -> found != null && found.size() == 1);
                assertEquals("3", result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString(),
                        Files.readString(dir.resolve("prometheus.log")));
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The query's result vector, or null while Prometheus is not answering yet. */
    private static JsonArray resultOf(TestServer chat, HttpUrl query) {
        try (Response response = chat.http().newCall(new Request.Builder().url(query).build()).execute()) {
            if (response.code() != 200) {
                return null;
            }
            JsonObject answer = JsonParser.parseString(response.body().string()).getAsJsonObject();
            return answer.getAsJsonObject("data").getAsJsonArray("result");
        } catch (IOException notYet) {
            return null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
