/** Applying row changes and DDL to the destination, committed together with the checkpoint. */
package io.ferry.worker.apply;
