/** Secrets at rest: connection passwords encrypted with AES-GCM, tokens and passwords hashed with Argon2id. */
package io.ferry.controlplane.secrets;
