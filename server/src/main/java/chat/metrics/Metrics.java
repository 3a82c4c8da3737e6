package chat.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One server's metrics: its own Prometheus registry (never the library's default one: tests run many servers in
 * one JVM, and each scrape must see its own server only), and the builders each area makes its instruments with.
 *
 * <p>{@link #OFF}, the default, registers nothing: its counters and histograms are shared no-op data points, so an
 * instrumented path costs one call that does nothing, and its gauges are never read. The areas resolve their
 * labelled data points once, when they are built ({@code calls.labels("post", "ok")}), so that a request costs a
 * counter increment and no label lookup.
 */
public final class Metrics {
    /** Metrics off: nothing registered, nothing counted. */
    public static final Metrics OFF = new Metrics(null);

    /** Classic buckets for calls, from an in-memory post (~15 us) to a logon (~70 ms) and a stalled store (seconds). */
    public static final double[] CALL_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry; // null when off
    private final ExpositionFormats formats;

    private Metrics(PrometheusRegistry registry) {
        this.registry = registry;
        this.formats = registry == null ? null : ExpositionFormats.init();
    }

    /** Metrics on: a fresh registry with the JVM's own metrics and the build's version and commit. */
    public static Metrics on() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        Metrics metrics = new Metrics(registry);
        BuildInfo build = BuildInfo.read();
        Info.builder().name("chat_build_info").help("The server's version and the commit it was built from")
                .labelNames("version", "commit").register(registry).addLabelValues(build.version(), build.commit());
        return metrics;
    }

    public boolean isOn() {
        return registry != null;
    }

    /** A family of data points by label values; resolve them once, where the instrumented code is built. */
    @FunctionalInterface
    public interface Family<D> {
        D labels(String... values);
    }

    /** A counter ({@code name} ends in _total); with metrics off, every data point is the no-op one. */
    public Family<CounterDataPoint> counter(String name, String help, String... labelNames) {
        if (registry == null) {
            return values -> NoOp.COUNTER;
        }
        Counter counter = Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars()
                .register(registry);
        return counter::labelValues;
    }

    /** A counter without labels. */
    public CounterDataPoint counter(String name, String help) {
        return counter(name, help, new String[0]).labels();
    }

    /** A histogram with classic buckets only (what any Prometheus and Grafana read; native ones cost more to fill). */
    public Family<DistributionDataPoint> histogram(String name, String help, double[] buckets, String... labelNames) {
        if (registry == null) {
            return values -> NoOp.HISTOGRAM;
        }
        Histogram histogram = Histogram.builder().name(name).help(help).labelNames(labelNames).classicOnly()
                .classicUpperBounds(buckets).withoutExemplars().register(registry);
        return histogram::labelValues;
    }

    public DistributionDataPoint histogram(String name, String help, double[] buckets) {
        return histogram(name, help, buckets, new String[0]).labels();
    }

    /** A gauge read when scraped: the value must be cheap to read and must not block (no store round trip). */
    public void gauge(String name, String help, DoubleSupplier value) {
        if (registry != null) {
            GaugeWithCallback.builder().name(name).help(help).callback(gauge -> gauge.call(value.getAsDouble()))
                    .register(registry);
        }
    }

    /** A counter kept elsewhere (an existing count of the code's own), read when scraped. */
    public void counterOf(String name, String help, LongSupplier value) {
        if (registry != null) {
            CounterWithCallback.builder().name(name).help(help).callback(counter -> counter.call(value.getAsLong()))
                    .register(registry);
        }
    }

    /** A scrape's answer: its content type and body. */
    public record Exposition(String contentType, byte[] body) {
    }

    /**
     * Everything registered, in the format the Accept header asks for: OpenMetrics when it says so, else the
     * Prometheus text format (the library's negotiation). Only when on.
     */
    public Exposition scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) { // protobuf, which this build leaves out: the text format instead
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }

    /** The data points that metrics off hands out: they count nothing. */
    private static final class NoOp implements CounterDataPoint, DistributionDataPoint {
        static final NoOp COUNTER = new NoOp();
        static final NoOp HISTOGRAM = COUNTER;

        @Override
        public void inc(double amount) {
        }

        @Override
        public void incWithExemplar(double amount, Labels labels) {
        }

        @Override
        public double get() {
            return 0;
        }

        @Override
        public long getLongValue() {
            return 0;
        }

        @Override
        public long getCount() {
            return 0;
        }

        @Override
        public double getSum() {
            return 0;
        }

        @Override
        public void observe(double value) {
        }

        @Override
        public void observeWithExemplar(double value, Labels labels) {
        }
    }
}
