/**
 * {@code ferry bench}: Ferry against MariaDB's native replica on one machine, in one run. See docs/PERFORMANCE.md.
 */
package io.ferry.app.bench;
