/** The worker node: takes job assignments from the event bus, runs them, and reports heartbeats. */
package io.ferry.worker.node;
