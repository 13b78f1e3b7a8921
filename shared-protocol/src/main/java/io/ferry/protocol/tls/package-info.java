/** Trusting a connection's own CA certificate: parsing its PEM, a trust manager, a trust store file. */
package io.ferry.protocol.tls;
