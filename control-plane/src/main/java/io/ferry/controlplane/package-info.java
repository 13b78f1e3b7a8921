/** The control plane: REST API, tenants, scheduler and metadata store (see docs/ARCHITECTURE.md). */
package io.ferry.controlplane;
