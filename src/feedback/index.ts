/** Citizen feedback (PAKN): pages, officials' handling, figures, and the Open311 endpoint. */
import type { App } from '../platform/routes.js';
import { registerFeedbackApi } from './feedback.api.js';
import { registerFeedbackRoutes } from './feedback.routes.js';
import { registerOpen311Routes } from './open311.js';

export { feedbackUpload } from './feedback.routes.js';
export { open311Refusal } from './open311.js';
export { seedFeedbackDemo } from './feedback.seed.js';

export function registerFeedback(app: App): void {
  registerFeedbackRoutes(app);
  registerOpen311Routes(app);
  registerFeedbackApi(app);
}
