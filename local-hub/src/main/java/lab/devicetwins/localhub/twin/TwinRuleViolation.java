package lab.devicetwins.localhub.twin;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * A twin write that breaks one of IoT Hub's twin rules (a limit, a forbidden key, a wrong JSON type). The hub
 * answers it with 400 / 400004, and the message names the JSON path and the rule.
 */
public final class TwinRuleViolation extends HubException {
    private static final long serialVersionUID = 1L;

    private final String path;

    /** @param path where in the twin the rule was broken, e.g. {@code properties.desired.a.b} */
    public TwinRuleViolation(String path, String problem) {
        super(HubErrorCode.ARGUMENT_INVALID, path + ": " + problem);
        this.path = path;
    }

    /** The JSON path the message starts with, e.g. {@code properties.desired.a.b}. */
    public String path() {
        return path;
    }
}
