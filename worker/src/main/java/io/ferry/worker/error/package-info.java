/** Errors with a code, a message naming job, server and position, and a remedy. */
package io.ferry.worker.error;
