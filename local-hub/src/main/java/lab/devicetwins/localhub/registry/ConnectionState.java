package lab.devicetwins.localhub.registry;

/** Whether the device holds an MQTT connection now. Wire form: {@code Connected} / {@code Disconnected}. */
public enum ConnectionState {
    CONNECTED("Connected"), DISCONNECTED("Disconnected");

    private final String wireName;

    ConnectionState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ConnectionState parse(String text) {
        for (ConnectionState state : values()) {
            if (state.wireName.equalsIgnoreCase(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown connection state '" + text + "'");
    }
}
