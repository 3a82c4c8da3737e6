package chat.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ConfigTest {

    private static String problem(Config.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void defaultsAreTheDeclaredTextParsed() {
        Config config = Config.defaults().build();
        assertEquals("127.0.0.1", config.get(Settings.HOST));
        assertEquals(8080, config.get(Settings.PORT));
        assertEquals("memory", config.get(Settings.STORE));
        assertEquals(Duration.ofSeconds(1), config.get(Settings.STORE_TIMEOUT));
        assertEquals(Duration.ofMinutes(30), config.get(Settings.SESSION_IDLE));
        assertEquals(100, config.get(Settings.WINDOW));
        assertEquals(64 * 1024, config.get(Settings.MAX_BODY));
        assertEquals(1_000_000L, config.get(Settings.MAX_USERS));
        assertEquals(1024 * 1024L, config.get(Settings.WS_QUEUE_BYTES));
        assertEquals(Duration.ofSeconds(90), config.get(Settings.WS_SILENCE));
        for (Setting<?> setting : Settings.ALL) {
            assertEquals(setting.parse(setting.defaultText()), config.get(setting), setting.flag());
        }
    }

    @Test
    void withChangesOneSettingAndLeavesTheOthers() {
        Config config = Config.defaults().with(Settings.PORT, 0).with(Settings.WS_PING, Duration.ofMillis(200)).build();
        assertEquals(0, config.get(Settings.PORT));
        assertEquals(Duration.ofMillis(200), config.get(Settings.WS_PING));
        assertEquals(10, config.get(Settings.BCRYPT_COST));
    }

    @Test
    void aBuiltConfigDoesNotChangeWithItsBuilder() {
        Config.Builder builder = Config.defaults().with(Settings.PORT, 1);
        Config first = builder.build();
        builder.with(Settings.PORT, 2);
        assertEquals(1, first.get(Settings.PORT));
        assertEquals(2, builder.build().get(Settings.PORT));
    }

    @Test
    void eachInvalidValueFailsWithItsSettingsMessage() {
        assertEquals("port must be 0 to 65535, got 70000", problem(Config.defaults().with(Settings.PORT, 70_000)));
        assertEquals("bcrypt cost must be 4 to 31, got 3", problem(Config.defaults().with(Settings.BCRYPT_COST, 3)));
        assertEquals("window size must be 1 to 100000, got 0", problem(Config.defaults().with(Settings.WINDOW, 0)));
        assertEquals("store connections must be 1 to 1024, got 0",
                problem(Config.defaults().with(Settings.STORE_CONNECTIONS, 0)));
        assertEquals("max users must be at least 1, got 0", problem(Config.defaults().with(Settings.MAX_USERS, 0L)));
        assertEquals("io threads must be 0 (one per core) or more, got -1",
                problem(Config.defaults().with(Settings.IO_THREADS, -1)));
        assertEquals("session idle timeout must be positive",
                problem(Config.defaults().with(Settings.SESSION_IDLE, Duration.ZERO)));
        assertEquals("shutdown timeout must not be negative",
                problem(Config.defaults().with(Settings.SHUTDOWN_TIMEOUT, Duration.ofSeconds(-1))));
        assertEquals("WebSocket max frame must be at least 256 bytes, got 255",
                problem(Config.defaults().with(Settings.WS_MAX_FRAME, 255)));
        assertEquals(Duration.ZERO, Config.defaults().with(Settings.SHUTDOWN_TIMEOUT, Duration.ZERO).build()
                .get(Settings.SHUTDOWN_TIMEOUT), "no waiting at all is allowed");
    }

    @Test
    void theStoreIsMemoryOrAWellFormedRedisUrl() {
        assertEquals("store must be \"memory\" or a redis://host:port[/db] URL, got \"redis\"",
                problem(Config.defaults().with(Settings.STORE, "redis")));
        assertEquals("the database after the / must be a number, got redis://localhost:6379/x",
                problem(Config.defaults().with(Settings.STORE, "redis://localhost:6379/x")));
        assertEquals("redis://localhost:6390/2", Config.defaults().with(Settings.STORE, "redis://localhost:6390/2")
                .build().get(Settings.STORE));
    }

    @Test
    void valuesAreParsedAsPeopleWriteThem() {
        assertEquals(Duration.ofMillis(500), Settings.WS_PING.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Settings.WS_PING.parse("10s"));
        assertEquals(Duration.ofMinutes(30), Settings.WS_PING.parse("30m"));
        assertEquals(Duration.ofHours(2), Settings.WS_PING.parse("2h"));
        assertEquals(Duration.ofDays(1), Settings.WS_PING.parse("1d"));
        assertEquals(Duration.ofMinutes(30), Settings.WS_PING.parse("PT30M"));
        assertEquals(Duration.ofMinutes(30), Settings.WS_PING.parse("pt30m"));
        assertEquals("not a duration: '30' (try 500ms, 10s, 30m, 2h)",
                assertThrows(IllegalArgumentException.class, () -> Settings.WS_PING.parse("30")).getMessage());
        assertEquals(8080, Settings.PORT.parse(" 8080 "));
        assertEquals(5_000_000_000L, Settings.MAX_USERS.parse("5000000000"));
        assertEquals("not a whole number: '8080x'",
                assertThrows(IllegalArgumentException.class, () -> Settings.PORT.parse("8080x")).getMessage());
        assertEquals("too large a number: '5000000000'",
                assertThrows(IllegalArgumentException.class, () -> Settings.PORT.parse("5000000000")).getMessage());
    }

    @Test
    void sizesAreParsedAsPeopleWriteThem() {
        assertEquals(65536L, Settings.MEMORY_BUDGET.parse("65536"));
        assertEquals(64L << 10, Settings.MEMORY_BUDGET.parse("64k"));
        assertEquals(256L << 20, Settings.MEMORY_BUDGET.parse(" 256m "));
        assertEquals(1L << 30, Settings.MEMORY_BUDGET.parse("1G"));
        for (String wrong : new String[] {"", "m", "-1m", "1.5g", "1gb", "99999999999t"}) {
            assertEquals("not a size in bytes: '" + wrong + "' (try 65536, 64k, 256m, 1g)",
                    assertThrows(IllegalArgumentException.class, () -> Settings.MEMORY_BUDGET.parse(wrong)).getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().with(Settings.MEMORY_BUDGET, 1000L).build(), "below 64k, and not 0");
    }

    @Test
    void aSettingOutsideSettingsAllIsRefused() {
        Setting<Integer> stray = Setting.ofInt("--stray", "CHAT_STRAY", "1", "not declared in Settings");
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().with(stray, 2));
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().build().get(stray));
    }

    @Test
    void everySettingIsInAllOnceAndNamedByOneConvention() throws IllegalAccessException {
        Set<Object> declared = new HashSet<>();
        for (Field field : Settings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                declared.add(field.get(null));
            }
        }
        assertEquals(declared, new HashSet<>(Settings.ALL), "every Setting constant is in Settings.ALL");
        assertEquals(Settings.ALL.size(), declared.size(), "and none twice");
        for (Setting<?> setting : Settings.ALL) {
            String expected = "CHAT_" + setting.flag().substring(2).replace('-', '_').toUpperCase();
            assertEquals(expected, setting.environmentVariable(), "the variable of " + setting.flag());
            assertTrue(setting.description().length() > 0 && !setting.description().contains("|"),
                    "a description fit for a table cell: " + setting.flag());
        }
        List<String> flags = Settings.ALL.stream().map(Setting::flag).toList();
        assertEquals(flags.size(), flags.stream().collect(Collectors.toSet()).size(), "flags are distinct: " + flags);
    }

    @Test
    void aDefaultMustPassItsOwnRule() {
        assertEquals("must be even, got 1", assertThrows(IllegalArgumentException.class,
                () -> Setting.ofInt("--odd", "CHAT_ODD", "1", "an odd default")
                        .requires(n -> n % 2 == 0, n -> "must be even, got " + n)).getMessage());
    }
}
