/**
 * Who may talk to the hub: shared access policies and their rights, device credentials, and the verification of
 * the SAS tokens that the service SDKs put in the {@code Authorization} header and devices send as their MQTT
 * password. Free of I/O: credentials come from a {@link lab.devicetwins.localhub.auth.CredentialSource}, time from
 * a {@link java.time.Clock}.
 */
package lab.devicetwins.localhub.auth;
