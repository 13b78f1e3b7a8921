/**
 * Test support: prove that two copies of a table hold the same data, across servers, versions and table definitions.
 * {@link io.ferry.mariadb.check.TableChecksum} fingerprints one table; {@link io.ferry.mariadb.check.TableDiff} names
 * the differing columns and primary keys of two. {@link io.ferry.mariadb.check.WriteLoad} writes at a fixed rate and
 * measures each transaction's latency, to show that something running beside it does not block the writers.
 */
package io.ferry.mariadb.check;
