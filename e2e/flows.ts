/**
 * Steps of the portal itself that several browser suites take: signing in
 * through the sign-in form, and fetching a PDF a page links to. Each page
 * loaded on the way is audited with axe (see `visit` and `follow`).
 */
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { follow, visit, type TrackedPage } from './harness.js';
import { pdfText, type PdfText } from './pdf-text.js';

/** On the sign-in page already: fills in the login and the password and submits the form. */
export async function submitSignIn(t: TrackedPage, login: string, password: string): Promise<void> {
  await t.page.getByLabel('Số điện thoại hoặc thư điện tử').fill(login);
  await t.page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await follow(t, t.page.getByRole('button', { name: 'Đăng nhập', exact: true }));
}

/** Opens the sign-in page and signs in (the demo password unless told); asserts nothing about where it lands. */
export async function signIn(t: TrackedPage, login: string, password = DEMO_PASSWORD): Promise<void> {
  await visit(t, '/dang-nhap');
  await submitSignIn(t, login, password);
}

/** Fetches a PDF link with the page's session (relative to the page); it must answer 200 with a PDF, whose text is returned. */
export async function pdfAt(t: TrackedPage, href: string | null): Promise<PdfText> {
  expect(href).toBeTruthy();
  const res = await t.page.request.get(new URL(href!, t.page.url()).toString());
  expect(res.status(), href!).toBe(200);
  expect(res.headers()['content-type'], href!).toBe('application/pdf');
  const body = await res.body();
  expect(body.subarray(0, 5).toString('latin1'), href!).toBe('%PDF-');
  return pdfText(body);
}
