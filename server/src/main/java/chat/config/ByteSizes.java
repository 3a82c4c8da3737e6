package chat.config;

/** Sizes in bytes as people write them: 65536, 64k, 256m, 1g (powers of 1024; the letter in either case). */
final class ByteSizes {
    private ByteSizes() {
    }

    /** Throws IllegalArgumentException, with the forms it takes, for any other text or a negative size. */
    static long parse(String text) {
        String value = text.trim().toLowerCase();
        try {
            int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> 0;
            };
            long amount = Long.parseLong(shift == 0 ? value : value.substring(0, value.length() - 1));
            if (amount >= 0 && amount <= (Long.MAX_VALUE >> shift)) {
                return amount << shift;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a size in bytes: '" + text + "' (try 65536, 64k, 256m, 1g)");
    }
}
