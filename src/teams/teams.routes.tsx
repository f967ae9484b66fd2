/**
 * Community digital-technology teams (tổ công nghệ số cộng đồng): registry,
 * spreadsheet import, field log, coverage and reports, guides.
 */
import { admitPolicy, type UploadRoute } from '../platform/body-limits.js';
import { renderError } from '../platform/errors.js';
import { requires } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { registerCoverageRoutes } from './coverage.routes.js';
import { registerGuideRoutes } from './guides.routes.js';
import { registerLogRoutes } from './log.routes.js';
import { registerRegistryRoutes } from './registry.routes.js';

export { guidesForProcedure } from './teams.guides.js';

/** A member list of 10,000 rows, or a phone photo, is more than the 1 MB form limit. */
export const TEAMS_UPLOAD_BYTES = 8 * 1024 * 1024;

const IMPORT_PATH = /^\/can-bo\/xa\/[0-9]{5}\/to-cns\/nhap(-thon)?\/?$/;
const GUIDE_STEP_PATH = /^\/can-bo\/xa\/[0-9]{5}\/to-cns\/huong-dan\/[0-9]{1,9}\/buoc\/?$/;
const communeOf = (path: string) => /^\/can-bo\/xa\/([0-9]{5})\//.exec(path)?.[1] ?? null;
// The same policies as the routes (registry.routes.tsx, guides.routes.tsx), checked before the body is read.
const mayImport = admitPolicy(requires('teams.manage', 'commune'), communeOf);
const mayAddStep = admitPolicy(requires('teams.log', 'commune'), communeOf);

/** The teams' upload forms (member spreadsheets, guide pictures): 8 MB instead of the form limit. */
export const teamsUpload: UploadRoute = {
  matches: (path) => IMPORT_PATH.test(path) || GUIDE_STEP_PATH.test(path),
  maxBytes: TEAMS_UPLOAD_BYTES,
  onTooLarge: (c) => renderError(c, 413, 'Tệp gửi lên lớn hơn 8 MB: chia danh sách thành nhiều tệp nhỏ hơn, hoặc chọn ảnh nhỏ hơn, rồi gửi lại.'),
  admit: (c) => (IMPORT_PATH.test(c.req.path) ? mayImport(c) : mayAddStep(c)),
};

export function registerTeamsRoutes(app: App): void {
  registerCoverageRoutes(app);
  registerLogRoutes(app);
  registerGuideRoutes(app);
  registerRegistryRoutes(app);
}
