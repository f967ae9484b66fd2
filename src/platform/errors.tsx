import { isApiPath, type Ctx } from './context.js';
import { MessagePage, pageCtx } from './layout.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

const API_CODES: Record<ErrorStatus, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
};

export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function apiError(code: string, message: string, fields?: Record<string, string>): ApiError {
  return { error: fields ? { code, message, fields } : { code, message } };
}

function defaultMessage(c: Ctx, status: ErrorStatus): string {
  const t = c.get('t');
  switch (status) {
    case 401:
      return t('error.unauthenticated');
    case 403:
      return t('error.forbidden');
    case 404:
      return t('error.notfound');
    case 413:
      return t('error.413.body');
    case 500:
      return t('error.500.body', { id: c.get('requestId') });
    default:
      return t('error.validation');
  }
}

/** An error answer: JSON for the API, a friendly page otherwise. */
export function renderError(c: Ctx, status: ErrorStatus, message?: string): Response | Promise<Response> {
  const text = message ?? defaultMessage(c, status);
  if (isApiPath(c.req.path)) return c.json(apiError(API_CODES[status], text), status);
  const t = c.get('t');
  const titleKey = status === 404 || status === 403 || status === 413 || status === 500 ? `error.${status}.title` : 'error.400.title';
  const body = message ?? (status === 404 || status === 403 ? t(`error.${status}.body`) : text);
  return c.html(<MessagePage ctx={pageCtx(c)} title={t(titleKey)} body={body} />, status);
}
