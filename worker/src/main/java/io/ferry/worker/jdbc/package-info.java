/** JDBC helpers: connecting with clear errors, identifier quoting, server position queries. */
package io.ferry.worker.jdbc;
