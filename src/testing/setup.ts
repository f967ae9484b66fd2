import { configureAudit } from '../platform/audit.js';

/**
 * One secret for the whole run, in the environment too: command-line children
 * (`xaso audit verify` in tests) inherit it and so check with the same audit key.
 */
process.env.XASO_SECRET ??= 'test-secret-0123456789abcdef';
configureAudit(process.env.XASO_SECRET);
