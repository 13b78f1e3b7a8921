/** The event-bus contract between the control plane and workers: addresses, messages, codecs. */
package io.ferry.protocol;
