package lab.devicetwins.localhub.core;

/** If-Match as the SDKs send it: raw ({@code AAAAAAAAAAM=}), quoted ({@code "AAAA…"}), weak ({@code W/"…"}) or {@code *}. */
final class IfMatch {
    private IfMatch() {
    }

    /** The bare etag, {@code *}, or null when absent. */
    static String normalize(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }
}
