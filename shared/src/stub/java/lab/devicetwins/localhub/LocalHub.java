package lab.devicetwins.localhub;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compile-time stand-in for the local hub's public API while the real class is written on another branch.
 * Only compiled when local-hub/ does not contain LocalHub.java yet (see the profile in shared/pom.xml);
 * delete this directory once it does.
 */
public final class LocalHub implements AutoCloseable {
    private LocalHub() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        public Builder inMemory() { return this; }
        public Builder dataDirectory(Path dir) { return this; }
        public Builder host(String host) { return this; }
        public Builder mqttPort(int port) { return this; }
        public Builder httpsPort(int port) { return this; }
        public Builder proxyPort(int port) { return this; }

        public LocalHub start() {
            throw new UnsupportedOperationException("The local hub is not built into this checkout yet");
        }
    }

    public String hostName() { throw notYet(); }
    public int mqttPort() { throw notYet(); }
    public int httpsPort() { throw notYet(); }
    public boolean httpsOnStandardPort() { throw notYet(); }
    public Optional<InetSocketAddress> proxyAddress() { throw notYet(); }
    public String ownerConnectionString() { throw notYet(); }
    public String serviceConnectionString() { throw notYet(); }
    public String deviceConnectionString(String deviceId) { throw notYet(); }
    public String caPem() { throw notYet(); }
    public Optional<Path> caPemFile() { throw notYet(); }
    public Optional<Path> trustStoreFile() { throw notYet(); }
    public char[] trustStorePassword() { throw notYet(); }

    @Override
    public void close() {
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("The local hub is not built into this checkout yet");
    }
}
