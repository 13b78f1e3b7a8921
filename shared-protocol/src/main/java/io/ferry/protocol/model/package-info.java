/** Value types carried inside protocol messages: positions, job specs, connections, states. */
package io.ferry.protocol.model;
