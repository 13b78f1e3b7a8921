/** Serving the dashboard (the web-ui module's classpath {@code webroot/}) and the security headers of every answer. */
package io.ferry.controlplane.web;
