/** JSON codecs of the protocol messages (the wire contract) and a Vert.x event-bus codec. */
package io.ferry.protocol.codec;
