package io.gatewise.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/** What a process on this machine holds, read from the outside: /proc and jcmd. */
public final class ProcessStats {
    /** The last line of a class histogram: every live object, counted after the full collection it forces. */
    private static final Pattern LIVE_BYTES = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private ProcessStats() {
    }

    /**
     * @param pid a process
     * @return a line of its /proc status, such as {@code Threads:} or {@code VmHWM:}, as a number; 0 if absent
     */
    public static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** @return whether the process runs a {@code java} executable: whether jcmd can read its heap */
    public static boolean isJvm(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString().equals("java"))
                .orElse(false);
    }

    /** @return its open file descriptors, sockets included; -1 if they cannot be listed */
    public static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * @param process a process
     * @param children whether to add its child processes' (nginx's workers)
     * @return the CPU time it used so far, user and system, in clock ticks (/proc/PID/stat); 0
     *     where /proc cannot tell
     */
    public static long cpuTicks(ProcessHandle process, boolean children) {
        return sum(process, children, ProcessStats::cpuTicks);
    }

    /**
     * @param process a process
     * @param children whether to add its child processes'
     * @param value what to read of one process, by its pid
     * @return the value of the process, plus its children's if asked
     */
    public static long sum(ProcessHandle process, boolean children, LongUnaryOperator value) {
        long total = value.applyAsLong(process.pid());
        if (children) {
            try (Stream<ProcessHandle> all = process.descendants()) {
                total += all.mapToLong(child -> value.applyAsLong(child.pid())).sum();
            }
        }
        return total;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command, which is in parentheses and may hold spaces: utime is the 14th, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The length of a clock tick of /proc/PID/stat, in microseconds (USER_HZ, 100 on Linux). */
    public static final long MICROS_PER_TICK = 10_000;

    /**
     * @return a JVM's live heap in KB: what {@code jcmd GC.class_histogram} counts after the full
     *     collection it forces. ({@code GC.run} then {@code GC.heap_info} also counts what a loaded
     *     process allocated between the two calls: tens of MB.) -1 if jcmd cannot tell
     */
    public static long liveHeapKb(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Matcher live = LIVE_BYTES.matcher(run(List.of(jcmd, Long.toString(pid), "GC.class_histogram")));
        return live.find() ? Long.parseLong(live.group(1)) / 1024 : -1;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
