import type { App } from '../platform/routes.js';

export function registerOidcRoutes(_app: App): void {}
