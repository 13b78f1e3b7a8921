/** The control plane's metadata schema as Flyway migrations (SQL under db/migration/ferry). */
package io.ferry.migrations;
