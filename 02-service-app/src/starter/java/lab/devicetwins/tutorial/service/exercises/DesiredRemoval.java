package lab.devicetwins.tutorial.service.exercises;

import java.io.IOException;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

/**
 * Exercise ex-02-2-remove-desired: a twin patch merges; a member set to {@code null} is removed. To take a
 * desired property away (nested ones too, by path), the back end patches exactly that member with null and
 * nothing else; the device gets the same patch, null included, as its notification.
 */
public final class DesiredRemoval {

    private DesiredRemoval() {
    }

    /**
     * Removes the desired property at {@code path} ({@code "fanSpeed"}, or {@code "config.mode"} for a member
     * of an object), leaving every other desired property as it is.
     *
     * @return the twin after the change, as the hub returned it
     */
    public static Twin remove(TwinClient twins, String deviceId, String path) throws IotHubException, IOException {
        throw new UnsupportedOperationException("ex-02-2-remove-desired: patch the desired property at the path (a.b.c"
                + " -> {a: {b: {c: null}}}) with null, and nothing else (DesiredRemoval.remove)");
    }
}
