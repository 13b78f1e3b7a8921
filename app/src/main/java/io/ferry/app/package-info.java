/** The {@code ferry} launcher: command-line entry points that wire the modules together. */
package io.ferry.app;
