package dev.warden.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the figures were measured on (JDK, heap settings, processors, memory, load) and what the
 * measured process used (peak RSS, heap peaks, GC and CPU time), for every driver's header and rows.
 */
public final class Machine {
    private Machine() {}

    public static String describe() {
        Runtime rt = Runtime.getRuntime();
        return String.format(
                Locale.ROOT,
                "jdk %s (%s %s); jvm args %s; max heap %,d MB; gc %s; %d processors; memory %s; load average %s",
                Runtime.version(),
                System.getProperty("java.vm.vendor"),
                System.getProperty("java.vm.name"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                rt.maxMemory() / 1_000_000,
                String.join(
                        "+",
                        ManagementFactory.getGarbageCollectorMXBeans().stream()
                                .map(g -> g.getName())
                                .toList()),
                rt.availableProcessors(),
                meminfo(),
                loadAverage());
    }

    /** The process's peak resident set (VmHWM) and current RSS, from /proc. */
    public static String peakRss() {
        String hwm = procStatus("VmHWM:");
        String rss = procStatus("VmRSS:");
        return "peak " + hwm + ", now " + rss;
    }

    private static String procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    long kb =
                            Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                    return String.format(Locale.ROOT, "%,.0f MB", kb / 1e3);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }

    /** The 1, 5 and 15 minute load averages: how busy the shared machine was. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** Forgets the heap pools' peaks, so that {@link #peakHeapBytes} covers what runs next. */
    public static void resetHeapPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peak use since the last {@link #resetHeapPeaks} (JMX). */
    public static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** Milliseconds all collectors have spent so far. */
    public static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, g.getCollectionTime());
        }
        return total;
    }

    /** CPU seconds (user + system, all threads) this process has used. */
    public static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    /**
     * CPU seconds (user + system) the process {@code pid} has used, from /proc; NaN when unreadable.
     * On a shared machine wall-clock rates measure the neighbours too; rates per CPU-second of the
     * measured process, times the cores, estimate what dedicated cores would do.
     */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String meminfo() {
        try {
            long total = 0;
            long available = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = Long.parseLong(line.split("\\s+")[1]);
                } else if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.split("\\s+")[1]);
                }
            }
            return String.format(Locale.ROOT, "%.1f GB total, %.1f GB available", total / 1e6, available / 1e6);
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
