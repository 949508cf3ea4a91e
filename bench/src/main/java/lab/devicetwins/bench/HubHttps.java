package lab.devicetwins.bench;

import java.time.Instant;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * What a benchmark needs to call a hub's REST API directly, as the service SDK does: the hub's CA, the base URL of
 * its HTTPS port and an owner-policy SAS token (two hours, longer than any scenario).
 */
record HubHttps(SSLContext tls, String base, String ownerToken) {

    static HubHttps of(BenchEnvironment bench, HubEnvFile env) throws Exception {
        SSLContext tls = DevelopmentCaTrust.fromPemFile(env.path(HubEnvFile.CA_PEM).orElseThrow()).sslContext();
        String owner = env.require(HubEnvFile.OWNER_CONNECTION_STRING);
        String key = owner.substring(owner.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
        String token = SasToken.create(bench.hubHost(), key, "iothubowner", Instant.now().plusSeconds(7200));
        return new HubHttps(tls, "https://" + bench.hubHost() + ":" + env.port(HubEnvFile.HTTPS_PORT).orElseThrow(),
                token);
    }
}
