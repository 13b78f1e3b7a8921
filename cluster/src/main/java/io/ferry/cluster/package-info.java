/**
 * The clustered event bus that the control plane and the workers join, and the credentials that let
 * them in.
 *
 * <p>Security model: {@code ./ferry cluster init} creates a cluster CA, a member certificate and a
 * cluster secret ({@link io.ferry.cluster.ClusterCredentials}). Membership runs on Hazelcast's
 * open-source edition, which cannot encrypt or authenticate; its cluster name is derived from the
 * secret, which stops accidental joins but is sent in clear text, so Hazelcast carries no secret
 * (membership and subscriptions only). Every message travels on the event bus over mutual TLS
 * anchored on the cluster CA ({@link io.ferry.cluster.FerryCluster}): that is the boundary that keeps
 * job assignments, and the database passwords inside them, from processes without the credentials.
 */
package io.ferry.cluster;
