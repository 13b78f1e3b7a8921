package io.ferry.mariadb;

/** A MariaDB server could not be prepared, started, stopped or used. */
public class MariaDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MariaDbException(String message) {
        super(message);
    }

    public MariaDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
