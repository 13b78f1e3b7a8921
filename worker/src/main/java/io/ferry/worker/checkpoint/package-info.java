/** The checkpoint row (position + epoch) and schema history kept on the destination. */
package io.ferry.worker.checkpoint;
