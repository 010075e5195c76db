/**
 * Container security contexts: the hardening every Switchyard container gets, decided once. Variants
 * add to it (a non-root user, a read-only root filesystem, one capability), never take from it.
 */

/** No privilege escalation, not privileged, every capability dropped, the runtime's default seccomp profile. */
export function hardenedContainer(addCapabilities: readonly string[] = []) {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: addCapabilities.length === 0 ? { drop: ["ALL"] } : { drop: ["ALL"], add: [...addCapabilities] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** {@link hardenedContainer} that must run as a non-root user on a read-only root filesystem; `uid` pins the user and group. */
export function nonRootContainer(uid?: number) {
  return {
    runAsNonRoot: true,
    ...(uid === undefined ? {} : { runAsUser: uid, runAsGroup: uid }),
    readOnlyRootFilesystem: true,
    ...hardenedContainer(),
  };
}
