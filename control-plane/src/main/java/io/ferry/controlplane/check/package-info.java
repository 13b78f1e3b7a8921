/**
 * The live check of a stored connection ({@code POST /api/v1/connections/{id}/check}): a compact
 * preflight run by the control plane itself, which must not depend on the worker module.
 */
package io.ferry.controlplane.check;
