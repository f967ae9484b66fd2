/**
 * Matters citizens bring to the commune that are not administrative
 * procedures, with the right door for each. Patterns are over folded text
 * (see fold.ts), padded with spaces. A neighbour's noise is a matter for
 * "Gửi phản ánh, kiến nghị", not for a licence that happens to share a word.
 */
export type Door = 'feedback' | 'utility' | 'exam';

export interface OutOfScopeTopic {
  id: string;
  when: RegExp;
  door: Door;
  /** Plain words: what this is and where to go. */
  advice: string;
}

export const OUT_OF_SCOPE: readonly OutOfScopeTopic[] = [
  {
    id: 'noise',
    when: / (on ao|on qua|gay on|tieng on|nhac to|mo nhac|mo loa|loa keo keo|hat karaoke|karaoke hang xom|hang xom (hat|mo|bat)|hat ca dem|suot dem|gay tu 3 gio|sua suot|chua xich|khong xich) /,
    door: 'feedback',
    advice: 'Tiếng ồn, vật nuôi hay việc làm của hàng xóm gây phiền không phải là thủ tục hành chính. Hãy gửi phản ánh để xã xem xét và trả lời.',
  },
  {
    id: 'public-works',
    when: / (o ga|den duong|bong den duong|cong thoat nuoc|bi tac|duong (lang|ngo|xom)? ?bi ngap|bi ngap|rac thai|thu gom rac|do rac|do bua bai|cay xanh|sap do|lan chiem via he|khoi bui|dot rom|boc mui) /,
    door: 'feedback',
    advice: 'Đường, đèn, rác, cống, cây xanh hay ô nhiễm nơi công cộng: đây là việc để phản ánh, không cần làm thủ tục.',
  },
  {
    id: 'utilities',
    when: / (nuoc may|nuoc sach|dong ho nuoc|cong ty cap nuoc|dau noi nuoc|dien ke|cong to dien|tien dien|mat dien|cat dien|dien bi cat|wifi|internet|goi cuoc|truyen hinh cap|chuyen mang) /,
    door: 'utility',
    advice: 'Nước máy, điện, internet, truyền hình do công ty cung cấp dịch vụ làm, không phải thủ tục ở xã. Hãy liên hệ công ty đó; nếu dịch vụ có vấn đề kéo dài, có thể gửi phản ánh.',
  },
  {
    id: 'civil-service-exam',
    when: / (thi (tuyen )?(cong chuc|vien chuc)|lich thi cong chuc|thi vien chuc|tuyen dung cong chuc|diem chuan|diem thi) /,
    door: 'exam',
    advice: 'Thi tuyển công chức, viên chức và điểm thi do cơ quan tuyển dụng hoặc nhà trường thông báo; đây không phải thủ tục ở xã.',
  },
];

/** The first topic the folded question falls under, if any. */
export function outOfScopeTopic(foldedText: string): OutOfScopeTopic | undefined {
  const t = ` ${foldedText} `;
  return OUT_OF_SCOPE.find((x) => x.when.test(t));
}
