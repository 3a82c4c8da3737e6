package chat.cli;

import org.jline.terminal.Terminal;
import org.jline.utils.AttributedStyle;

/**
 * Colours, or none. Colour only on a terminal that shows it, and never when the user asked for none: the
 * {@code --no-color} option, or the {@code NO_COLOR} environment variable set to anything (no-color.org). Each name
 * gets a stable colour (its hash onto a palette), so a person is recognised at a glance; the user's own name is
 * bold and reversed; presence lines are dim.
 */
final class Style {
    /** No colour at all: piped output, NO_COLOR, --no-color, a dumb terminal. */
    static final Style PLAIN = new Style(false);

    // Readable on dark and light backgrounds alike; no red (it reads as an error) and no white or black.
    private static final int[] PALETTE = {
            AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE, AttributedStyle.MAGENTA,
            AttributedStyle.CYAN, AttributedStyle.BRIGHT + AttributedStyle.GREEN,
            AttributedStyle.BRIGHT + AttributedStyle.BLUE, AttributedStyle.BRIGHT + AttributedStyle.MAGENTA};

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    /**
     * The style for this terminal.
     *
     * @param noColorOption the {@code --no-color} option
     * @param noColorEnv    the {@code NO_COLOR} environment variable, or null when unset
     */
    static Style forTerminal(Terminal terminal, boolean noColorOption, String noColorEnv) {
        boolean asked = noColorOption || noColorEnv != null && !noColorEnv.isEmpty();
        boolean shows = !Terminal.TYPE_DUMB.equals(terminal.getType())
                && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
        return asked || !shows ? PLAIN : new Style(true);
    }

    boolean hasColour() {
        return colour;
    }

    /** Another user's name: a colour of its own, the same every time. */
    AttributedStyle user(String name) {
        return colour ? AttributedStyle.DEFAULT.foreground(PALETTE[Math.floorMod(name.hashCode(), PALETTE.length)])
                : AttributedStyle.DEFAULT;
    }

    /** The user's own name. */
    AttributedStyle self() {
        return colour ? AttributedStyle.BOLD.inverse() : AttributedStyle.DEFAULT;
    }

    /** What matters less: times, ids, presence lines. */
    AttributedStyle dim() {
        return colour ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT;
    }

    /** A message that mentions the user. */
    AttributedStyle mention() {
        return colour ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
    }
}
