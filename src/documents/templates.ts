/**
 * Result documents drawn from templates with the forms' page kit (A4, Roboto,
 * the national-motto header): the extract of birth registration (1.001193),
 * the marital-status certificate (1.004873), and a plain result notice for
 * other procedures. Each carries the dossier code, a verification code and a
 * QR code to /xac-thuc, and a signature stamp whose position the signer uses
 * for the signature field. Pure apart from the fonts.
 */
import QRCode from 'qrcode';
import { isoDateInVn } from '../calendar/index.js';
import { dmy, instantShort } from '../dossiers/forms/format.js';
import { FormPdf } from '../dossiers/forms/pdf.js';
import type { Issuer } from '../dossiers/forms/types.js';

export interface StampFacts {
  /** The signing commune's People's Committee, e.g. "UBND Phường Tân Ninh". */
  body: string;
  signerName: string;
  signedAt: Date;
}

export interface DocumentFacts {
  issuer: Issuer;
  title: string;
  /** "Số: …" line (the register number). */
  number: string;
  dossierCode: string;
  verificationCode: string;
  verifyUrl: string;
  /** Labelled lines, in order. */
  lines: readonly (readonly [string, string])[];
  /** Paragraphs after the lines (validity, purpose). */
  notes: readonly string[];
  /** A scanned original (JPG or PNG), drawn between the lines and the notes (certified copies). */
  image?: Buffer;
  /** Above the signer's name: "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH". */
  signerTitle: string;
  stamp: StampFacts;
}

export interface RenderedDocument {
  pdf: Buffer;
  /** Where the stamp is: page index and [x1, y1, x2, y2] in PDF points (origin bottom left). */
  widget: { page: number; rect: [number, number, number, number] };
}

/** Draws the stamp box; returns its rectangle in PDF coordinates. */
function drawStamp(f: FormPdf, s: StampFacts, x: number, y: number, w: number): [number, number, number, number] {
  const lines = [`Ký bởi: ${s.body}`, `Người ký: ${s.signerName}`, `Thời gian ký: ${instantShort(s.signedAt)}`];
  f.font('regular', 9);
  const h = lines.reduce((sum, l) => sum + f.measure(l, w - 12), 0) + 22;
  const { doc } = f;
  doc.save().roundedRect(x, y, w, h, 4).lineWidth(1).strokeColor('#b3261e').stroke().restore();
  f.font('bold', 9.5);
  let yy = y + 5;
  doc.fillColor('#b3261e');
  yy += f.at('ĐÃ KÝ SỐ', x + 6, yy, w - 12, { align: 'center' });
  f.font('regular', 9);
  for (const l of lines) yy += f.at(l, x + 6, yy, w - 12);
  doc.fillColor('black');
  const pageH = doc.page.height;
  return [x, pageH - (y + h), x + w, pageH - y];
}

export async function renderDocument(d: DocumentFacts): Promise<RenderedDocument> {
  const f = new FormPdf({ title: `${d.title} — ${d.dossierCode}` });
  f.header({ issuer: d.issuer });
  f.refLine(`Số: ${d.number}`, d.issuer.place, isoDateInVn(d.stamp.signedAt));
  f.title(d.title);
  for (const [label, value] of d.lines) f.field(label, value);
  f.space(4);
  if (d.image) {
    const height = 330;
    f.ensure(height);
    f.doc.image(d.image, f.left, f.y, { fit: [f.width, height], align: 'center' });
    f.doc.rect(f.left, f.y, f.width, height).lineWidth(0.5).strokeColor('#888888').stroke().strokeColor('black');
    f.y += height + 8;
  }
  for (const n of d.notes) f.para(n, { font: 'italic', size: 12 });
  f.space(6);
  f.signatures([{ title: d.signerTitle, name: d.stamp.signerName }], { room: 78 });
  // The stamp sits in the room left to sign, right half; the QR code on the left.
  const stampW = 210;
  const stampX = f.right - stampW - 10;
  const stampY = f.y - 10 - 78 - 4;
  const rect = drawStamp(f, d.stamp, stampX, Math.max(f.top, stampY), stampW);
  const qr = await QRCode.toBuffer(d.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 160 });
  f.ensure(90);
  const qrY = f.y;
  f.doc.image(qr, f.left, qrY, { width: 78 });
  f.font('regular', 9.5);
  f.at(
    `Mã hồ sơ: ${d.dossierCode}\nMã xác thực: ${d.verificationCode}\nKiểm tra văn bản này: quét mã QR hoặc vào ${d.verifyUrl.replace(/\/xac-thuc\/.*/, '/xac-thuc')} và nhập mã xác thực.`,
    f.left + 88,
    qrY + 4,
    f.width - 88,
  );
  f.y = qrY + 84;
  const page = f.doc.bufferedPageRange().count - 1;
  const pdf = await f.end();
  return { pdf, widget: { page, rect } };
}

export interface ResultFacts {
  procedureCode: string;
  procedureName: string;
  applicantName: string;
  applicantAddress: string;
  /** Entries the deciding official confirmed (names as on the register); missing ones print as "…". */
  details: Readonly<Record<string, string>>;
  issuedAt: Date;
}

const v = (details: Readonly<Record<string, string>>, key: string) => details[key]?.trim() ?? '';

/** The lines and title of a procedure's result; other procedures get a result notice. */
export function resultContent(r: ResultFacts, issuer: Issuer): Pick<DocumentFacts, 'title' | 'lines' | 'notes'> {
  const d = r.details;
  if (r.procedureCode === '1.001193') {
    return {
      title: 'TRÍCH LỤC KHAI SINH',
      lines: [
        ['Họ, chữ đệm, tên', v(d, 'hoTen').toLocaleUpperCase('vi')],
        ['Ngày, tháng, năm sinh', v(d, 'ngaySinh')],
        ['Giới tính', v(d, 'gioiTinh')],
        ['Dân tộc', v(d, 'danToc') || 'Kinh'],
        ['Quốc tịch', v(d, 'quocTich') || 'Việt Nam'],
        ['Nơi sinh', v(d, 'noiSinh')],
        ['Quê quán', v(d, 'queQuan')],
        ['Số định danh cá nhân', v(d, 'soDinhDanh')],
        ['Họ, chữ đệm, tên người mẹ', v(d, 'hoTenMe')],
        ['Họ, chữ đệm, tên người cha', v(d, 'hoTenCha')],
        ['Người đi đăng ký khai sinh', r.applicantName],
        ['Nơi đăng ký khai sinh', `Ủy ban nhân dân ${issuer.communeName}`],
        ['Ngày, tháng, năm đăng ký', dmy(isoDateInVn(r.issuedAt))],
      ],
      notes: ['Trích lục khai sinh điện tử có giá trị sử dụng như bản chính (Luật Hộ tịch; Nghị định 87/2020/NĐ-CP về cơ sở dữ liệu hộ tịch điện tử).'],
    };
  }
  if (r.procedureCode === '1.004873') {
    return {
      title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN',
      lines: [
        ['Họ, chữ đệm, tên', (v(d, 'hoTen') || r.applicantName).toLocaleUpperCase('vi')],
        ['Ngày, tháng, năm sinh', v(d, 'ngaySinh')],
        ['Giới tính', v(d, 'gioiTinh')],
        ['Dân tộc', v(d, 'danToc') || 'Kinh'],
        ['Quốc tịch', v(d, 'quocTich') || 'Việt Nam'],
        ['Số định danh cá nhân', v(d, 'soDinhDanh')],
        ['Nơi cư trú', v(d, 'noiCuTru') || r.applicantAddress],
        ['Tình trạng hôn nhân', v(d, 'tinhTrang')],
        ['Giấy này được cấp để', v(d, 'mucDich')],
      ],
      notes: ['Giấy này có giá trị sử dụng 06 tháng kể từ ngày cấp.'],
    };
  }
  return {
    title: 'THÔNG BÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
    lines: [
      ['Thủ tục', `${r.procedureName} (mã ${r.procedureCode})`],
      ['Người nộp hồ sơ', r.applicantName],
      ['Kết quả', v(d, 'ketQua') || 'Hồ sơ đã được giải quyết và phê duyệt.'],
    ],
    notes: [],
  };
}
