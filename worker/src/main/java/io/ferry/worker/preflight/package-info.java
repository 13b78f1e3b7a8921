/** Checks of source and destination before a job starts, each failure with a remedy. */
package io.ferry.worker.preflight;
