import type { Config } from '../platform/config.js';

export function oidcEnabled(config: Config): boolean {
  return config.oidc !== null;
}
