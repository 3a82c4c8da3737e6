package chat.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSizesTest {
    @Test
    void sizesAreReadInPowersOf1024() {
        assertEquals(65536, ByteSizes.parse("65536"));
        assertEquals(64 * 1024, ByteSizes.parse("64k"));
        assertEquals(64L << 20, ByteSizes.parse("64M"));
        assertEquals(1L << 30, ByteSizes.parse(" 1g "));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsItTakes() {
        for (String text : new String[] {"", "m", "-1k", "1.5m", "64mb", "9999999999999g"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text));
            assertTrue(refused.getMessage().contains("64k"), refused.getMessage());
        }
    }

    @Test
    void maxUnsentTakesASizeFromTheCommandLineOrEnvironment() {
        assertEquals(4L << 20, Settings.MAX_UNSENT.parse("4m"));
        assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().with(Settings.MAX_UNSENT, 1000L).build(), "under 64k is refused");
    }
}
