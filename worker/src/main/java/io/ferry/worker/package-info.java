/** The replication core: one job runner per job, from source binlog to destination transactions. */
package io.ferry.worker;
