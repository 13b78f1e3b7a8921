/** Table definitions and the job's schema history, so old events are read with the columns they had. */
package io.ferry.worker.schema;
