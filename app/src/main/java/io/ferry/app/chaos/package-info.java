/** {@code ferry chaos}: a fault soak with embedded servers, TCP fault proxies and a job in a child process. */
package io.ferry.app.chaos;
