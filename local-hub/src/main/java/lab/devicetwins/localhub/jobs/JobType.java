package lab.devicetwins.localhub.jobs;

import java.util.Optional;

/** What a job does to each device it selects, with the names IoT Hub (and the Java service SDK's enum) use. */
public enum JobType {
    SCHEDULE_UPDATE_TWIN("scheduleUpdateTwin"),
    SCHEDULE_DEVICE_METHOD("scheduleDeviceMethod");

    private final String wireName;

    JobType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type with this exact (case-sensitive, as the SDK's {@code valueOf}) name. */
    public static Optional<JobType> fromWireName(String name) {
        for (JobType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
