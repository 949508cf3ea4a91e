package lab.devicetwins.localhub.jobs;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/** IoT Hub's rule for job ids: 1 to 64 characters of {@code A-Z a-z 0-9 -}. */
public final class JobId {
    public static final int MAX_LENGTH = 64;

    private JobId() {
    }

    /**
     * @return the id, when it is valid
     * @throws HubException 400 ArgumentInvalid naming the rule it breaks
     */
    public static String require(String jobId) {
        if (jobId == null || jobId.isEmpty()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "a job id is required");
        }
        if (jobId.length() > MAX_LENGTH) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the job id is " + jobId.length()
                    + " characters long; IoT Hub takes at most " + MAX_LENGTH);
        }
        for (int i = 0; i < jobId.length(); i++) {
            char c = jobId.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
            if (!allowed) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the job id may hold only letters, digits and"
                        + " '-'; character " + (i + 1) + " is not one of them");
            }
        }
        return jobId;
    }
}
