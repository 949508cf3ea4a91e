package lab.devicetwins.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a process (or of each of its threads) from {@code /proc}, in clock ticks of 10 ms. Read the same way for
 * the hub, Mosquitto and the load generator, so their figures compare.
 */
final class ProcessCpu {
    /** USER_HZ: 100 on every Linux kernel that ships today. */
    static final double TICK_MS = 10.0;

    private ProcessCpu() {
    }

    /** utime + stime of the whole process, in ticks. */
    static long ticks(long pid) {
        return ticksOf(Path.of("/proc", Long.toString(pid), "stat"));
    }

    static long selfTicks() {
        return ticks(ProcessHandle.current().pid());
    }

    /** Resident memory in KB ({@code VmRSS}). */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the memory of process " + pid + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /**
     * Ticks per thread group: thread names with their numbers taken out ({@code vert.x-eventloop-thread-1} and
     * {@code -0} count together), so a before/after difference says which kind of thread did the work.
     */
    static Map<String, Long> ticksByThreadGroup(long pid) {
        Map<String, Long> groups = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException threadEnded) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                groups.merge(group(name), ticksOfStat(stat), Long::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + ": " + e.getMessage(), e);
        }
        return groups;
    }

    private static String group(String threadName) {
        if (threadName.startsWith("GC ") || threadName.startsWith("G1 ")) {
            return "GC";
        }
        if (threadName.startsWith("C2 ") || threadName.startsWith("C1 ")) {
            return "JIT compiler";
        }
        return threadName.replaceAll("[#-]?[0-9]+$", "").replaceAll("[0-9]+", "N");
    }

    /** after - before per group, largest first, as "name share%" over the total. */
    static String describe(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        if (total <= 0) {
            return "(no CPU used)";
        }
        StringBuilder out = new StringBuilder();
        delta.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(Math.round(100.0 * e.getValue() / total)).append('%'));
        return out + " of " + Math.round(total * TICK_MS) + " ms CPU";
    }

    private static long ticksOf(Path stat) {
        try {
            return ticksOfStat(Files.readString(stat));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat + ": " + e.getMessage(), e);
        }
    }

    /** Fields 14 and 15 (utime, stime), counted after the command name, which may contain spaces. */
    private static long ticksOfStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
