/** The metadata database: migrations at start and the pool the control plane's stores use. */
package io.ferry.controlplane.store;
