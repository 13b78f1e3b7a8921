/** Binlog positions (file, offset, GTID set) and how they advance. */
package io.ferry.worker.position;
