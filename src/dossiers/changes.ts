/**
 * Tells in-process caches that dossiers of some units changed (after the
 * transaction committed). Other processes' writes are not heard here: a cache
 * that listens must also expire on its own.
 */
type Listener = (units: readonly string[]) => void;

const listeners = new Set<Listener>();

export function onDossiersChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function dossiersChanged(units: readonly string[]): void {
  for (const listener of listeners) listener(units);
}
