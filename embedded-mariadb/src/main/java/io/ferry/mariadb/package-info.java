/** Real MariaDB servers on free loopback ports in temporary directories, for tests and the demo. */
package io.ferry.mariadb;
