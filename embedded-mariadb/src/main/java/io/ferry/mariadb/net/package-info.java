/** Network faults for tests: a TCP proxy on loopback that can blackhole or reset its connections. */
package io.ferry.mariadb.net;
