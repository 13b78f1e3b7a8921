package io.ferry.app.bench;

import java.util.Map;

/**
 * What one system did while draining the backlog.
 *
 * @param system its name in the report
 * @param seconds wall-clock seconds from start (START SLAVE / JobRunner.start) until the end position was applied
 * @param applierCpu CPU seconds of the applying process outside the servers (Ferry's JVM; NaN for the native replica)
 * @param destinationCpu CPU seconds of the destination mariadbd (the native replica's includes its IO thread)
 * @param sourceCpu CPU seconds of the source mariadbd (sending the binlog)
 * @param heapPeakMiB peak heap of Ferry's JVM (NaN for the native replica)
 * @param threadCpu CPU seconds per JVM thread name during the phase (Ferry only)
 * @param note anything else worth printing
 */
record PhaseResult(String system, double seconds, double applierCpu, double destinationCpu, double sourceCpu,
    double heapPeakMiB, Map<String, Double> threadCpu, String note) {}
