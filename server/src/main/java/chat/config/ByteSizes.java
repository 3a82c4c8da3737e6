package chat.config;

/** Sizes as people write them: 65536, 64k, 64m, 1g (powers of 1024, case ignored). */
final class ByteSizes {
    private ByteSizes() {
    }

    /** Throws IllegalArgumentException, with the forms it takes, for any other text (or a size past a long). */
    static long parse(String text) {
        String value = text.trim().toLowerCase();
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long amount = Long.parseLong(digits);
            if (amount >= 0 && amount <= (Long.MAX_VALUE >> shift)) {
                return amount << shift;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a size in bytes: '" + text + "' (try 65536, 64k, 64m, 1g)");
    }
}
