package chat.testing;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of a metrics listener over HTTP, in the Prometheus text format, read back as its samples:
 * {@code chat_calls_total{call="post",outcome="ok"}} to its value. Enough of the format for tests: one sample per
 * line, label values without escaped quotes (ours never have any).
 */
public record Scrape(String contentType, String text, Map<String, Double> samples) {
    public static Scrape of(OkHttpClient http, String metricsUrl) {
        return of(http, metricsUrl, null);
    }

    /** With this Accept header (null: none). */
    public static Scrape of(OkHttpClient http, String metricsUrl, String accept) {
        Request.Builder request = new Request.Builder().url(metricsUrl + "/metrics");
        if (accept != null) {
            request.header("Accept", accept);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.code() != 200) {
                throw new IllegalStateException("scrape answered " + response.code());
            }
            String text = response.body().string();
            return new Scrape(response.header("Content-Type"), text, parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The sample's value, 0 when it is absent (a counter not yet counted). */
    public double value(String sample) {
        return samples.getOrDefault(sample, 0.0);
    }
}
