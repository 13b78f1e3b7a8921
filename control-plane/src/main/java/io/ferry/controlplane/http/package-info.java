/** The control plane's HTTP routes. */
package io.ferry.controlplane.http;
