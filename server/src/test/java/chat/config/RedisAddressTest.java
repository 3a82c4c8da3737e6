package chat.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisAddressTest {
    @Test
    void theUsualFormsParseWithTheirDefaults() {
        assertEquals(new RedisAddress("localhost", 6379, 0, null, null), RedisAddress.parse("redis://localhost"));
        assertEquals(new RedisAddress("10.0.0.5", 6390, 3, null, null), RedisAddress.parse("redis://10.0.0.5:6390/3"));
        RedisAddress withPassword = RedisAddress.parse("redis://:s%40cret@db.internal:6379/1");
        assertNull(withPassword.user());
        assertEquals("s@cret", withPassword.password());
        assertEquals("app", RedisAddress.parse("redis://app:pw@db:6379").user());
    }

    @Test
    void thePasswordNeverShowsInTextMeantForLogsOrErrors() {
        assertEquals("redis://***@db.internal:6379/1", RedisAddress.parse("redis://:hunter2@db.internal:6379/1").toString());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RedisAddress.parse("redis://:hunter2@db.internal:6379/notanumber"));
        assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
    }

    @Test
    void otherSchemesAndMissingHostsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse("http://localhost:6379"));
        assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse("redis:///0"));
        assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse("redis://bad host"));
    }
}
