/**
 * Test support: prove that two copies of a table hold the same data, across servers, versions and table definitions.
 * {@link io.ferry.mariadb.check.TableChecksum} fingerprints one table; {@link io.ferry.mariadb.check.TableDiff} names
 * the differing columns and primary keys of two.
 */
package io.ferry.mariadb.check;
