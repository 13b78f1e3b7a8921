package io.ferry.protocol.model;

/** How a connection to a MySQL/MariaDB server uses TLS; the names are those of the public API. */
public enum TlsMode { DISABLED, PREFERRED, REQUIRED, VERIFY_CA }
