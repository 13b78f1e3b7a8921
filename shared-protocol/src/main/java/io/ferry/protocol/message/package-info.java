/** The wire messages of the event-bus contract: one record per message, all implementing {@link io.ferry.protocol.message.Message}. */
package io.ferry.protocol.message;
