/**
 * Forms 01–07 of the one-stop shop, and the receipt of submission the
 * applicant holds until form 01 is issued. `data.ts` reads what a form needs
 * from the database; the renderers turn that plain data into a PDF (or, for
 * the tracking book, an Excel workbook too).
 */
import { renderControlSlip } from './control-slip.js';
import { renderApology, renderRefusal, renderStopNotice, renderSupplementRequest } from './notices.js';
import { renderReceipt, renderSubmissionReceipt } from './receipt.js';
import type { DossierForm } from './types.js';

export { renderControlSlip } from './control-slip.js';
export { renderApology, renderRefusal, renderStopNotice, renderSupplementRequest } from './notices.js';
export { renderReceipt, renderSubmissionReceipt } from './receipt.js';
export { renderTrackingBookPdf, renderTrackingBookXlsx } from './tracking-book.js';
export { FORM_TITLES, SUBMISSION_RECEIPT_TITLES, SUPPLEMENT_HEADING } from './format.js';
export {
  bookEntry,
  controlSlipRows,
  formData,
  formDataFor,
  ownReceiptData,
  receiptFor,
  receiptKind,
  trackingBookData,
  trackingUrl,
  type FormDataOptions,
  type FormDataResult,
} from './data.js';
export type * from './types.js';

/** Renders any of forms 01–06, or the receipt of submission, to a PDF. */
export function renderForm(d: DossierForm): Promise<Buffer> {
  switch (d.form) {
    case '01':
      return renderReceipt(d);
    case 'submission':
      return renderSubmissionReceipt(d);
    case '02':
      return renderSupplementRequest(d);
    case '03':
      return renderRefusal(d);
    case '04':
      return renderApology(d);
    case '05':
      return renderStopNotice(d);
    case '06':
      return renderControlSlip(d);
  }
}
