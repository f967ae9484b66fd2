import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The stylesheet, served under a content-hashed path so it can be cached for a year. */
export const STYLESHEET = readFileSync(new URL('./app.css', import.meta.url), 'utf8');
export const STYLESHEET_PATH = `/static/app.${createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12)}.css`;
