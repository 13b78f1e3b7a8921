/** The last hour of each job's figures (lag, rows applied, rates), kept in memory from heartbeats for the dashboard's charts. */
package io.ferry.controlplane.history;
