/** Job configuration: connections, table filters, rename map, start position, DDL policy, tuning. */
package io.ferry.worker.config;
