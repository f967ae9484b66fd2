/**
 * Life events (sự kiện trong đời) and the procedures each one calls for, in
 * the order a family does them. The interlinked (liên thông) procedure comes
 * first where one exists: one application instead of three. Curated data;
 * a recognised situation of the lexicon (lexicon.ts SITUATIONS) opens its event.
 */
export interface LifeEventStep {
  code: string;
  /** Why or when, in plain words. */
  note: string;
}

export interface LifeEvent {
  id: string;
  title: string;
  /** Situation ids of the lexicon that mean this event. */
  situations: readonly string[];
  steps: readonly LifeEventStep[];
}

export const LIFE_EVENTS: readonly LifeEvent[] = [
  {
    id: 'sinh-con',
    title: 'Gia đình có em bé',
    situations: ['birth', 'child-no-papers'],
    steps: [
      { code: '2.000986', note: 'Một lần nộp: khai sinh, thường trú và thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi' },
      { code: '1.001193', note: 'Nếu chỉ làm khai sinh: trong 60 ngày kể từ ngày sinh' },
      { code: '2.000693', note: 'Nếu mẹ (hoặc bố) đang đóng bảo hiểm xã hội: chế độ thai sản' },
    ],
  },
  {
    id: 'ket-hon',
    title: 'Kết hôn',
    situations: ['marriage'],
    steps: [
      { code: '1.004873', note: 'Nếu đăng ký ở xã khác nơi mình thường trú: xin xác nhận tình trạng hôn nhân trước' },
      { code: '1.000894', note: 'Hai người cùng đến UBND xã nơi một trong hai người cư trú' },
      { code: '1.004222', note: 'Sau khi cưới, nếu chuyển về ở với nhau: đăng ký thường trú' },
    ],
  },
  {
    id: 'nguoi-than-mat',
    title: 'Gia đình có người qua đời',
    situations: ['death', 'death2', 'work-death', 'veteran-death'],
    steps: [
      { code: '1.000656', note: 'Trước hết: đăng ký khai tử trong 15 ngày' },
      { code: '1.003197', note: 'Xóa đăng ký thường trú của người đã mất' },
      { code: '2.000821', note: 'Nếu người mất có đóng bảo hiểm xã hội hoặc hưởng lương hưu: chế độ tử tuất' },
      { code: '1.001731', note: 'Nếu người mất đang hưởng trợ cấp xã hội: hỗ trợ chi phí mai táng' },
      { code: '2.001406', note: 'Khi chia tài sản để lại: chứng thực văn bản phân chia di sản' },
    ],
  },
  {
    id: 'chuyen-nha',
    title: 'Chuyển nhà, chuyển nơi ở',
    situations: ['move-in', 'renting'],
    steps: [
      { code: '1.004222', note: 'Ở hẳn tại chỗ ở mới (nhà mình, nhà người thân, nhà thuê đủ điều kiện): đăng ký thường trú' },
      { code: '1.004194', note: 'Ở thuê, ở trọ có thời hạn: đăng ký tạm trú' },
      { code: '1.014063', note: 'Nếu cần cập nhật địa chỉ trên thẻ căn cước: cấp đổi thẻ' },
    ],
  },
  {
    id: 'mo-cua-hang',
    title: 'Mở cửa hàng, quán ăn',
    situations: ['business', 'business-food'],
    steps: [
      { code: '1.001612', note: 'Đăng ký hộ kinh doanh' },
      { code: '1.013855', note: 'Nếu bán đồ ăn, uống: giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm' },
    ],
  },
  {
    id: 'xay-nha',
    title: 'Xây, sửa nhà',
    situations: ['build-house'],
    steps: [
      { code: '1.013225', note: 'Xây mới: giấy phép xây dựng (nhà ở nông thôn ngoài khu quy hoạch có thể được miễn — hỏi UBND xã)' },
      { code: '1.013229', note: 'Sửa chữa, cải tạo làm thay đổi kết cấu, mặt ngoài: giấy phép sửa chữa, cải tạo' },
      { code: '1.009141', note: 'Nhà mới xong: xin cấp số nhà' },
    ],
  },
  {
    id: 'ho-ngheo',
    title: 'Gia đình gặp khó khăn, nghèo',
    situations: ['poor'],
    steps: [
      { code: '1.011607', note: 'Đề nghị xét công nhận hộ nghèo, hộ cận nghèo' },
      { code: '1.011947', note: 'Nếu có người bệnh hiểm nghèo: trợ giúp xã hội khẩn cấp' },
    ],
  },
  {
    id: 'khuyet-tat',
    title: 'Người khuyết tật',
    situations: ['disabled'],
    steps: [
      { code: '1.001699', note: 'Xác định mức độ khuyết tật, cấp giấy xác nhận khuyết tật' },
      { code: '1.001776', note: 'Sau đó: trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc' },
    ],
  },
  {
    id: 'nguoi-cao-tuoi',
    title: 'Người cao tuổi không có lương hưu',
    situations: ['elderly'],
    steps: [
      { code: '1.014027', note: 'Từ đủ 75 tuổi, không có lương hưu: trợ cấp hưu trí xã hội' },
      { code: '1.001776', note: 'Trợ cấp xã hội hàng tháng cho các trường hợp khác (người cao tuổi nghèo, cô đơn…)' },
    ],
  },
  {
    id: 'nguoi-co-cong',
    title: 'Người có công, cựu chiến binh',
    situations: ['veteran-death'],
    steps: [
      { code: '2.002307', note: 'Cựu chiến binh qua đời: mai táng phí' },
      { code: '1.010833', note: 'Giấy xác nhận thân nhân của người có công' },
    ],
  },
];

/** Life events opened by the recognised situations, in the order recognised. */
export function lifeEventsFor(situationIds: readonly string[]): LifeEvent[] {
  const out: LifeEvent[] = [];
  for (const id of situationIds) {
    const e = LIFE_EVENTS.find((x) => x.situations.includes(id));
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}
