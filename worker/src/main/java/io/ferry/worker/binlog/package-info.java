/** Reading the source's binlog: the client's thread, transaction assembly, the bounded queue. */
package io.ferry.worker.binlog;
