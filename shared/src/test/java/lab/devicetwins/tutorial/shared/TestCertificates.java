package lab.devicetwins.tutorial.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1 made with the JDK's keytool: a stand-in for a local hub's CA. */
record TestCertificates(Path keyStore, char[] password, String pem) {

    private static TestCertificates made;

    static synchronized TestCertificates selfSigned(Path scratch) throws IOException {
        if (made == null) {
            Path directory = Files.createTempDirectory("local-ca");
            Path keyStore = directory.resolve("server.p12");
            Path pem = directory.resolve("ca.pem");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(List.of(keytool, "-genkeypair", "-alias", "hub", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=Local Hub Test CA", "-ext", "san=ip:127.0.0.1", "-ext", "bc:c",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit"));
            run(List.of(keytool, "-exportcert", "-rfc", "-alias", "hub", "-keystore", keyStore.toString(),
                    "-storepass", "changeit", "-file", pem.toString()));
            made = new TestCertificates(keyStore, "changeit".toCharArray(), Files.readString(pem, StandardCharsets.US_ASCII));
        }
        return made;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running keytool", e);
        }
    }
}
