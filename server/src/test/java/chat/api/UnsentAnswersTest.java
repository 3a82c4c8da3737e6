package chat.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class UnsentAnswersTest {
    @Test
    void aLargeAnswerIsRefusedOnceTheBoundHasNoRoomForIt() {
        UnsentAnswers unsent = new UnsentAnswers(100);
        UnsentAnswers.Hold first = unsent.tryHold(new byte[60], 60);
        assertNotNull(first);
        assertNull(unsent.tryHold(new byte[41], 41), "60 + 41 bytes pass a bound of 100");
        assertEquals(60, unsent.bytes());
        first.release();
        assertNotNull(unsent.tryHold(new byte[100], 100), "room again once the first is written");
    }

    @Test
    void anAnswerSharedByManyConnectionsCountsOnceUntilTheLastLetsItGo() {
        UnsentAnswers unsent = new UnsentAnswers(100);
        byte[] shared = new byte[80];
        UnsentAnswers.Hold one = unsent.tryHold(shared, 80);
        UnsentAnswers.Hold two = unsent.tryHold(shared, 80);
        assertNotNull(two, "already counted: holding it again takes no room");
        assertEquals(80, unsent.bytes());
        one.release();
        one.release(); // a second release of the same hold changes nothing
        assertEquals(80, unsent.bytes(), "still held by the second connection");
        two.release();
        assertEquals(0, unsent.bytes());
    }

    @Test
    void aSmallAnswerThatStalledIsCountedEvenPastTheBound() {
        UnsentAnswers unsent = new UnsentAnswers(100);
        unsent.tryHold(new byte[90], 90);
        UnsentAnswers.Hold stalled = unsent.hold(new byte[20], 20);
        assertEquals(110, unsent.bytes(), "it was handed over already; the bound refuses the next large one");
        assertNull(unsent.tryHold(new byte[1], 1));
        stalled.release();
        assertEquals(90, unsent.bytes());
    }
}
