/**
 * How citizens talk about procedures, as data. Every string is in folded
 * form (see fold.ts): lowercase ASCII, no diacritics, single spaces.
 *
 * Targets (`to`, intent phrases) are wordings that occur in official
 * procedure names, so the lexicon bridges everyday speech to the catalog
 * without naming codes; codes appear only in the popularity prior and where
 * a situation has one obvious national procedure.
 */

/** Abbreviations and chat spellings, one token → expansion. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // đăng ký
  dk: 'dang ky', dky: 'dang ky', dki: 'dang ky', dgky: 'dang ky', dangky: 'dang ky', dangki: 'dang ky',
  ki: 'ky', // "đăng kí" is an accepted spelling; names use "ký"
  dkks: 'dang ky khai sinh', dkkt: 'dang ky khai tu', dkkh: 'dang ky ket hon',
  dktt: 'dang ky thuong tru', dktamtru: 'dang ky tam tru',
  ks: 'khai sinh', gks: 'giay khai sinh', khaisinh: 'khai sinh', khaitu: 'khai tu', kethon: 'ket hon',
  // negation and chat words
  ko: 'khong', k: 'khong', kg: 'khong', khg: 'khong', hk: 'khong', hok: 'khong', hong: 'khong', kp: 'khong phai',
  dc: 'duoc', ntn: 'nhu the nao', j: 'gi', vs: 'voi', ng: 'nguoi', mn: 'moi nguoi', lm: 'lam',
  bnhieu: 'bao nhieu', bn: 'bao nhieu', tg: 'thoi gian', hs: 'ho so', tt: 'thu tuc', ttuc: 'thu tuc', thutuc: 'thu tuc',
  // papers and institutions
  gcn: 'giay chung nhan', gcnqsdd: 'giay chung nhan quyen su dung dat', qsdd: 'quyen su dung dat', qsd: 'quyen su dung',
  cccd: 'can cuoc cong dan', cc: 'can cuoc', cancuoc: 'can cuoc', cmnd: 'chung minh nhan dan', cmt: 'chung minh thu', cmtnd: 'chung minh nhan dan',
  gpkd: 'giay phep kinh doanh', dkkd: 'dang ky kinh doanh', hkd: 'ho kinh doanh', gcndkkd: 'giay chung nhan dang ky kinh doanh',
  bhxh: 'bao hiem xa hoi', bhyt: 'bao hiem y te', bhtn: 'bao hiem that nghiep', bh: 'bao hiem',
  gplx: 'giay phep lai xe', blx: 'bang lai xe', banglai: 'bang lai',
  gpxd: 'giay phep xay dung', lltp: 'ly lich tu phap', nvqs: 'nghia vu quan su',
  tthn: 'tinh trang hon nhan', xntthn: 'xac nhan tinh trang hon nhan', xntt: 'xac nhan tinh trang',
  ubnd: 'uy ban nhan dan', ub: 'uy ban', tnld: 'tai nan lao dong', bnn: 'benh nghe nghiep',
  dn: 'doanh nghiep', cty: 'cong ty', htx: 'hop tac xa', thtx: 'to hop tac',
  nct: 'nguoi cao tuoi', ncc: 'nguoi co cong', btxh: 'bao tro xa hoi', tcxh: 'tro cap xa hoi',
  xkld: 'xuat khau lao dong', pccc: 'phong chay chua chay', attp: 'an toan thuc pham', vsattp: 've sinh an toan thuc pham',
  bds: 'bat dong san', tk: 'tai khoan', ld: 'lao dong', nld: 'nguoi lao dong',
  dddt: 'dinh danh dien tu', vneid: 'dinh danh dien tu', ct07: 'xac nhan thong tin ve cu tru', ct01: 'thay doi thong tin cu tru',
  passport: 'ho chieu', pasport: 'ho chieu', visa: 'thi thuc', online: 'truc tuyen',
  // spelling variants (i/y) citizens use freely
  qui: 'quy', li: 'ly', sy: 'si',
};

/**
 * Words that carry no procedure meaning. A stop word is kept when it forms a
 * bigram that occurs in procedure names with a neighbour ("chung minh",
 * "can cuoc"), since folding merges e.g. "mình" with "minh".
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'toi', 'tui', 'em', 'minh', 'anh', 'chi', 'ban', 'ad', 'admin', 'oi', 'a', 'ah', 'ha', 'nhe', 'nhi', 'ne', 'hen',
  'muon', 'can', 'phai', 'lam', 'sao', 'the', 'nao', 'gi', 'o', 'dau', 'nhu', 'voi', 'cho', 'cua', 'la', 'thi', 'co',
  'duoc', 'roi', 'da', 'bao', 'lau', 'nhieu', 'xin', 'hoi', 'giup', 'vay', 'nay', 'kia', 'do', 'nay', 'di', 've', 'den',
  'thu', 'tuc', 'hanh', 'chinh', 'ho', 'so', 'giay', 'to', 'nop', 'o', 'tai', 'dau', 'u', 'vang', 'da', 'ak', 'nhe',
  'va', 'hay', 'hoac', 'thi', 'ma', 'neu', 'khi', 'luc', 'sau', 'truoc', 'nen', 'se', 'dang', 'vua', 'moi', 'cac',
  'nhung', 'mot', 'hai', 'ba', 'cai', 'con', 'chiec', 'viec', 'nguoi', 'khong', 'chua', 'bi', 'gium', 'dum',
  'huong', 'dan', 'quy', 'trinh', 'cach', 'buoc', 'tien', 'phi', 'le', 'ngay', 'thang', 'nam', 'hom', 'qua',
  'uh', 'ok', 'oke', 'vui', 'long', 'cam', 'on', 'xa', 'phuong', 'uy', 'nhan', 'xem',
  // kinship words: they describe who, not which procedure ("bố", "mẹ" also fold onto "bộ", "mẹ"…)
  'bo', 'me', 'ong', 'vo', 'chong', 'chau', 'lan', 'ca', 'gio', 'nua', 'luon', 'voi',
]);

/** Function words never kept by the bigram rule, whatever their neighbours. */
export const NEVER_KEEP: ReadonlySet<string> = new Set([
  'cho', 'cua', 'va', 'voi', 'la', 'thi', 'ma', 'neu', 'khi', 'nhu', 'cac', 'nhung', 'mot', 'nay', 'do', 'di', 've', 'den', 'tai',
  'o', 'da', 'duoc', 'co', 'khong', 'roi', 'se', 'vua', 'moi', 'sau', 'truoc', 'hay', 'hoac', 'nen', 'gi', 'nao', 'sao', 'the',
  'a', 'oi', 'nhe', 'nhi', 'ne', 'ha', 'ah', 'u', 'vang', 'ak', 'uh', 'ok', 'oke', 'toi', 'em', 'anh', 'chi', 'ban', 'tui', 'lam',
  'muon', 'can', 'phai', 'xin', 'hoi', 'giup', 'bi', 'chua', 'dang', 'bo', 'me', 'ong', 'ba', 'vo', 'chong', 'con', 'chau', 'ca',
]);

/**
 * Pairs of stop words that together are a content word ("nhà ở", "ô tô",
 * "bản sao", "xã hội"): kept whenever they occur side by side.
 */
export const KEEP_PAIRS: ReadonlySet<string> = new Set([
  'nha o', 'o to', 'giay to', 'ho so', 'me con', 'lan dau', 'mot lan', 'con nho', 'ban sao', 'ban chinh', 'so do', 'so hong', 'xa hoi', 'le phi', 'tien an', 'the nao',
  'con nuoi', 'nguoi than', 'cap xa', 'so nha', 'nha tro', 'ho tich', 'ho kinh', 'con dau', 'ba me', 'cha me', 'dan toc',
  'ban dich', 'co cong', 'viec lam', 'tam tru', 'thuong tru', 'nha dat', 'nha nuoc', 'cong dan', 'hoi dong',
]);

/**
 * Rewrites applied to the token sequence before synonyms: older or longer
 * names for the same thing, and abbreviations that only make sense after
 * "đăng ký" ("đk kt" = đăng ký khai tử).
 */
export const PHRASE_REWRITES: readonly (readonly [string, string])[] = [
  ['can cuoc cong dan', 'can cuoc'],
  ['the can cuoc cong dan', 'the can cuoc'],
  ['chung minh thu nhan dan', 'chung minh nhan dan'],
  ['dang ky kt', 'dang ky khai tu'],
  ['dang ky ks', 'dang ky khai sinh'],
  ['dang ky kh', 'dang ky ket hon'],
  ['dang ky tt', 'dang ky thuong tru'],
  ['xe hoi', 'o to'],
  ['oto', 'o to'],
  ['xe oto', 'xe o to'],
  ['ho ca the', 'ho kinh doanh'],
  ['kinh doanh ca the', 'ho kinh doanh'],
];

/** A colloquial phrase (any of `from`) and the official wording it stands for. */
export interface Synonym {
  from: readonly string[];
  /** One official wording, or several when the phrase is ambiguous between siblings. */
  to: string | readonly string[];
  /** Short Vietnamese gloss shown in `why`, e.g. "sổ đỏ". */
  label: string;
}

export const SYNONYMS: readonly Synonym[] = [
  // Hộ tịch
  { from: ['giay khai sinh', 'lam khai sinh', 'khai sinh cho con', 'khai sinh cho be', 'lam giay khai sinh', 'lam giay sinh', 'giay sinh', 'khai sanh', 'giay khai sanh', 'bao sinh', 'lam giay to cho be', 'lam giay to cho con', 'khai sinh cho chau'], to: 'dang ky khai sinh', label: 'giấy khai sinh' },
  { from: ['giay bao tu', 'khai tu cho', 'bao tu', 'giay chung tu', 'trich luc khai tu', 'khai bao tu', 'bao mat', 'lam khai tu'], to: 'dang ky khai tu', label: 'khai tử' },
  { from: ['giay dang ky ket hon', 'giay ket hon', 'lam giay ket hon', 'dang ky cuoi', 'lam dam cuoi', 'dang ky lay vo', 'dang ky lay chong', 'dang ki ket hon', 'ket hon'], to: 'dang ky ket hon', label: 'đăng ký kết hôn' },
  { from: ['giay doc than', 'xac nhan doc than', 'chung nhan doc than', 'giay xac nhan doc than', 'xac nhan chua ket hon', 'xac nhan chua vo', 'xac nhan chua chong', 'giay xac nhan hon nhan', 'xac nhan hon nhan', 'tinh trang hon nhan', 'xac nhan tthn'], to: 'xac nhan tinh trang hon nhan', label: 'giấy xác nhận độc thân' },
  { from: ['trich luc', 'ban sao giay khai sinh', 'ban sao khai sinh', 'sao giay khai sinh', 'ban sao trich luc', 'ban sao giay ket hon', 'trich luc ket hon', 'trich luc khai sinh', 'xin lai ban sao', 'trich luc ban sao'], to: 'cap ban sao trich luc ho tich', label: 'bản sao trích lục hộ tịch' },
  { from: ['sua ten', 'doi ten', 'sai ten', 'doi ho', 'sua ho', 'doi ho ten', 'sai ngay sinh', 'sua ngay sinh', 'sai nam sinh', 'sai que quan', 'sua que quan', 'sua giay khai sinh', 'sai giay khai sinh', 'cai chinh', 'doi dan toc', 'sua dan toc', 'xac dinh lai dan toc', 'bo sung thong tin', 'sai thong tin ho tich', 'ghi sai', 'viet sai ten', 'sai chinh ta', 'them ten cha', 'bo sung ten cha'], to: 'thay doi cai chinh bo sung thong tin ho tich', label: 'sửa/thay đổi thông tin hộ tịch' },
  { from: ['nhan con', 'nhan cha', 'nhan me', 'nhan bo', 'nhan con ruot', 'nhan cha con', 'nhan cha me con', 'cha nhan con', 'bo nhan con', 'xac nhan cha con', 'nhan la cha', 'nhan lai con'], to: 'dang ky nhan cha me con', label: 'nhận cha, mẹ, con' },
  { from: ['xin con nuoi', 'nhan con nuoi', 'nhan nuoi', 'lam con nuoi', 'nuoi con nuoi', 'nhan nuoi con'], to: 'dang ky viec nuoi con nuoi trong nuoc', label: 'nhận con nuôi' },
  { from: ['giam ho cho', 'nguoi giam ho', 'lam giam ho'], to: 'dang ky giam ho', label: 'giám hộ' },
  { from: ['xac nhan thong tin ho tich'], to: 'xac nhan thong tin ho tich', label: 'xác nhận thông tin hộ tịch' },
  { from: ['ly hon o nuoc ngoai', 'ghi chu ly hon', 'ghi vao so ly hon'], to: 'ghi vao so ho tich viec ly hon', label: 'ghi chú ly hôn' },
  // Cư trú
  { from: ['nhap khau', 'nhap ho khau', 'vao ho khau', 'lam ho khau', 'dang ky ho khau', 'ho khau', 'so ho khau', 'chuyen khau', 'chuyen ho khau', 'them ten vao ho khau', 'dua vao ho khau', 'nhap khau cho con', 'thuong tru', 'dang ky thuong tru'], to: 'dang ky thuong tru', label: 'hộ khẩu/thường trú' },
  { from: ['tam tru', 'khai bao tam tru', 'dang ky tam tru', 'dang ky o tro', 'khai bao o tro', 'so tam tru', 'lam tam tru'], to: 'dang ky tam tru', label: 'tạm trú' },
  { from: ['gia han tam tru'], to: 'gia han tam tru', label: 'gia hạn tạm trú' },
  { from: ['tam vang', 'khai bao tam vang', 'bao tam vang', 'dang ky tam vang'], to: 'khai bao tam vang', label: 'tạm vắng' },
  { from: ['tach khau', 'tach ho khau', 'tach so ho khau', 'tach ho', 'ra ho rieng', 'lap ho rieng'], to: 'tach ho', label: 'tách hộ' },
  { from: ['cat khau', 'cat ho khau', 'xoa ho khau', 'xoa ten ho khau', 'xoa thuong tru', 'xoa ten khoi ho khau', 'cat ten'], to: 'xoa dang ky thuong tru', label: 'xóa thường trú' },
  { from: ['xoa tam tru', 'huy tam tru'], to: 'xoa dang ky tam tru', label: 'xóa tạm trú' },
  { from: ['xac nhan cu tru', 'giay xac nhan cu tru', 'giay cu tru', 'xac nhan noi o', 'xac nhan thuong tru', 'xac nhan tam tru', 'xac nhan dia chi', 'xac nhan ho khau', 'thay so ho khau'], to: 'xac nhan thong tin ve cu tru', label: 'xác nhận cư trú' },
  { from: ['thong bao luu tru', 'khai bao luu tru', 'bao luu tru', 'khach o nha', 'khach den o', 'bao khach'], to: 'thong bao luu tru', label: 'thông báo lưu trú' },
  { from: ['sua thong tin cu tru', 'dieu chinh cu tru', 'thay doi chu ho', 'doi chu ho', 'sua ho khau'], to: 'dieu chinh thong tin ve cu tru', label: 'điều chỉnh thông tin cư trú' },
  // Căn cước
  { from: ['lam can cuoc', 'lam cccd', 'can cuoc cong dan', 'the can cuoc', 'can cuoc gan chip', 'cccd gan chip', 'lam the can cuoc', 'chung minh nhan dan', 'chung minh thu', 'lam chung minh', 'cmnd', 'the cccd', 'can cuoc'], to: 'cap the can cuoc', label: 'thẻ căn cước' },
  { from: ['lam lai can cuoc', 'lam lai cccd', 'lam lai the cccd', 'lam lai the can cuoc', 'lam lai chung minh', 'lam lai cmnd', 'cap lai doi can cuoc'], to: ['cap lai the can cuoc', 'cap doi the can cuoc'], label: 'làm lại thẻ căn cước' },
  { from: ['lam lai giay khai sinh', 'xin lai giay khai sinh', 'cap lai giay khai sinh', 'xin cap lai giay khai sinh', 'lam lai khai sinh', 'mat giay khai sinh', 'mat khai sinh', 'giay khai sinh bi mat', 'xin lai khai sinh'], to: ['cap ban sao giay khai sinh', 'dang ky lai khai sinh'], label: 'làm lại giấy khai sinh' },
  { from: ['lam lai giay ket hon', 'mat giay ket hon', 'xin lai giay ket hon', 'giay ket hon bi mat', 'mat giay dang ky ket hon', 'lam lai giay dang ky ket hon', 'xin lai giay dang ky ket hon'], to: ['cap ban sao trich luc ho tich', 'dang ky lai ket hon'], label: 'làm lại giấy đăng ký kết hôn' },
  { from: ['lam lai giay khai tu', 'mat giay khai tu', 'xin lai giay khai tu', 'xin lai giay chung tu', 'mat giay chung tu', 'lam lai giay chung tu', 'mat giay bao tu'], to: ['cap ban sao trich luc ho tich', 'dang ky lai khai tu'], label: 'làm lại giấy khai tử' },
  { from: ['lam lai giay to xe', 'lam lai cavet', 'lam lai ca vet', 'lam lai dang ky xe', 'lam lai giay dang ky xe', 'cap lai hoac doi dang ky xe'], to: ['cap lai chung nhan dang ky xe bien so xe', 'doi chung nhan dang ky xe bien so xe'], label: 'làm lại giấy đăng ký xe' },
  { from: ['lam lai bang lai', 'lam lai bang lai xe', 'lam lai giay phep lai xe', 'lam lai gplx'], to: ['cap lai giay phep lai xe', 'doi giay phep lai xe'], label: 'làm lại bằng lái xe' },
  { from: ['lam lai so do', 'lam lai so hong', 'lam lai giay chung nhan quyen su dung dat'], to: ['cap lai giay chung nhan do bi mat', 'cap doi giay chung nhan quyen su dung dat'], label: 'làm lại sổ đỏ' },
  { from: ['lam lai the bhyt', 'lam lai the bao hiem y te', 'lam lai the bao hiem', 'cap lai doi the bhyt'], to: ['cap lai the bao hiem y te', 'cap doi the bao hiem y te'], label: 'làm lại thẻ BHYT' },
  { from: ['o to', 'xe o to'], to: 'o to', label: 'ô tô' },
  { from: ['nha o'], to: 'nha o', label: 'nhà ở' },
  { from: ['doi can cuoc', 'doi cccd', 'doi chung minh', 'doi cmnd', 'doi sang can cuoc', 'doi the can cuoc vi hong', 'can cuoc bi hong', 'can cuoc het han', 'cccd het han', 'doi the can cuoc', 'lam lai can cuoc do hong'], to: 'cap doi the can cuoc', label: 'cấp đổi thẻ căn cước' },
  { from: ['mat can cuoc', 'mat cccd', 'mat chung minh', 'mat cmnd', 'lam lai can cuoc bi mat', 'mat the can cuoc', 'danh roi can cuoc', 'roi can cuoc'], to: 'cap lai the can cuoc', label: 'cấp lại thẻ căn cước' },
  { from: ['dinh danh dien tu', 'tai khoan dinh danh', 'vneid muc 2', 'muc 2', 'muc do 2', 'kich hoat vneid', 'dinh danh muc 2', 'tai khoan vneid'], to: 'cap tai khoan dinh danh dien tu muc do 02', label: 'tài khoản định danh điện tử (VNeID)' },
  { from: ['khoa vneid', 'khoa tai khoan dinh danh'], to: 'khoa tai khoan dinh danh dien tu', label: 'khóa tài khoản định danh' },
  { from: ['mo khoa vneid', 'mo khoa tai khoan dinh danh'], to: 'mo khoa tai khoan dinh danh dien tu', label: 'mở khóa tài khoản định danh' },
  { from: ['so cmnd cu', 'xac nhan so cmnd', 'xac nhan cmnd', 'giay xac nhan so chung minh', 'xac nhan so chung minh', 'xac nhan cmnd cu', 'cmnd 9 so', 'giay xac nhan cmnd'], to: 'xac nhan so chung minh nhan dan', label: 'xác nhận số CMND cũ' },
  // Chứng thực
  { from: ['cong chung', 'sao y', 'sao y ban chinh', 'photo cong chung', 'cong chung giay to', 'chung thuc ban sao', 'cong chung ban sao', 'chung thuc giay to', 'sao y giay to', 'cong chung bang', 'chung bang', 'cong chung hoc ba', 'chung thuc hoc ba'], to: 'chung thuc ban sao tu ban chinh', label: 'chứng thực bản sao (công chứng giấy tờ)' },
  { from: ['chung thuc chu ky', 'cong chung chu ky', 'xac nhan chu ky', 'ky xac nhan', 'chung chu ky'], to: 'chung thuc chu ky', label: 'chứng thực chữ ký' },
  { from: ['cong chung hop dong', 'chung thuc hop dong', 'hop dong mua ban', 'hop dong tang cho', 'hop dong cho thue', 'giay mua ban', 'giay tay', 'hop dong chuyen nhuong', 'lam hop dong'], to: 'chung thuc giao dich lien quan den tai san', label: 'chứng thực hợp đồng, giao dịch' },
  { from: ['di chuc', 'lam di chuc', 'viet di chuc', 'lap di chuc', 'chung di chuc'], to: 'chung thuc di chuc', label: 'chứng thực di chúc' },
  { from: ['chia thua ke', 'chia di san', 'phan chia di san', 'thua ke', 'khai nhan thua ke', 'nhan thua ke', 'van ban thua ke', 'chia tai san'], to: 'chung thuc van ban phan chia di san', label: 'phân chia di sản thừa kế' },
  { from: ['tu choi nhan di san', 'tu choi thua ke', 'khong nhan thua ke', 'nhuong thua ke', 'tu choi di san'], to: 'chung thuc van ban tu choi nhan di san', label: 'từ chối nhận di sản' },
  { from: ['dich thuat', 'ban dich', 'dich cong chung', 'cong chung ban dich', 'chung thuc ban dich', 'nguoi dich'], to: 'chung thuc chu ky nguoi dich', label: 'chứng thực bản dịch' },
  // Kinh doanh
  { from: ['giay phep kinh doanh', 'dang ky kinh doanh', 'mo ho kinh doanh', 'lap ho kinh doanh', 'kinh doanh ca the', 'ho kinh doanh ca the', 'giay phep buon ban', 'dang ky ho kinh doanh', 'mo cua hang', 'mo quan', 'mo tiem', 'mo shop', 'mo sap', 'ban hang', 'buon ban'], to: 'dang ky thanh lap ho kinh doanh', label: 'đăng ký hộ kinh doanh' },
  { from: ['dong cua ho kinh doanh', 'giai the ho kinh doanh', 'ngung kinh doanh han', 'dong ma so ho kinh doanh', 'dong cua hang', 'nghi kinh doanh han', 'khong kinh doanh nua', 'dep quan', 'dong quan'], to: 'cham dut hoat dong ho kinh doanh', label: 'chấm dứt hộ kinh doanh' },
  { from: ['tam nghi kinh doanh', 'tam ngung kinh doanh', 'nghi ban mot thoi gian', 'tam dong cua'], to: 'tam ngung kinh doanh', label: 'tạm ngừng kinh doanh' },
  { from: ['doi dia chi kinh doanh', 'doi dia chi ho kinh doanh', 'thay doi dia chi ho kinh doanh', 'chuyen dia chi ho kinh doanh', 'thay doi ho kinh doanh', 'them nganh nghe', 'doi chu ho kinh doanh', 'doi ten ho kinh doanh', 'thay doi nganh nghe kinh doanh', 'doi nganh nghe', 'chuyen dia diem kinh doanh'], to: 'dang ky thay doi noi dung dang ky ho kinh doanh', label: 'thay đổi nội dung hộ kinh doanh' },
  { from: ['mat giay phep kinh doanh', 'cap lai giay phep kinh doanh', 'lam lai giay phep kinh doanh'], to: 'cap lai giay chung nhan dang ky ho kinh doanh', label: 'cấp lại giấy chứng nhận hộ kinh doanh' },
  { from: ['giay an toan thuc pham', 'giay ve sinh an toan thuc pham', 'an toan thuc pham', 've sinh thuc pham', 'giay attp'], to: 'giay chung nhan co so du dieu kien an toan thuc pham', label: 'giấy an toàn thực phẩm' },
  { from: ['thanh lap hop tac xa', 'lap hop tac xa', 'mo hop tac xa'], to: 'dang ky thanh lap hop tac xa', label: 'thành lập hợp tác xã' },
  { from: ['tiem net', 'quan net', 'quan game', 'internet cong cong'], to: 'diem cung cap dich vu tro choi dien tu cong cong', label: 'điểm trò chơi điện tử công cộng' },
  // Đất đai, xây dựng
  { from: ['so do', 'so hong', 'bia do', 'giay do', 'giay to dat', 'giay chung nhan quyen su dung dat', 'giay chung nhan dat', 'so dat', 'so nha dat'], to: 'giay chung nhan quyen su dung dat', label: 'sổ đỏ' },
  { from: ['lam so do', 'cap so do', 'xin so do', 'co so do', 'lam so hong', 'xin cap so do', 'lam so do lan dau', 'cap so do lan dau', 'lam so lan dau', 'dat chua co so', 'chua co so do', 'dat chua co giay to', 'dang ky dat lan dau', 'cap so lan dau'], to: 'dang ky cap giay chung nhan quyen su dung dat lan dau', label: 'cấp sổ đỏ lần đầu' },
  { from: ['mat so do', 'mat so hong', 'so do bi mat', 'mat giay chung nhan quyen su dung dat', 'cap lai so do'], to: 'cap lai giay chung nhan do bi mat', label: 'cấp lại sổ đỏ bị mất' },
  { from: ['sai so do', 'sua so do', 'so do ghi sai', 'dinh chinh so do', 'so do bi sai'], to: 'dinh chinh giay chung nhan da cap', label: 'đính chính sổ đỏ' },
  { from: ['sang ten so do', 'sang ten dat', 'sang ten nha dat', 'mua ban dat', 'ban dat', 'mua dat', 'chuyen nhuong dat', 'cho tang dat', 'tang cho dat', 'sang ten quyen su dung dat', 'bien dong dat', 'dang ky bien dong', 'chuyen nhuong quyen su dung dat'], to: 'dang ky bien dong thay doi quyen su dung dat', label: 'sang tên, biến động đất đai' },
  { from: ['tach thua', 'tach so', 'tach so do', 'chia dat', 'hop thua', 'gop thua', 'tach dat'], to: 'tach thua hop thua dat', label: 'tách thửa, hợp thửa' },
  { from: ['chuyen muc dich', 'len tho cu', 'chuyen len dat o', 'chuyen dat vuon', 'chuyen dat nong nghiep', 'chuyen doi muc dich', 'chuyen sang dat o', 'len dat o', 'chuyen thanh dat o'], to: 'chuyen muc dich su dung dat', label: 'chuyển mục đích sử dụng đất' },
  { from: ['tranh chap dat', 'tranh chap ranh gioi', 'lan dat', 'lan chiem dat', 'hang xom lan dat', 'cai nhau dat', 'tranh chap dat dai'], to: 'hoa giai tranh chap dat dai', label: 'tranh chấp đất đai' },
  { from: ['het han su dung dat', 'gia han dat', 'dat het han', 'gia han so do', 'dat nong nghiep het han'], to: 'gia han su dung dat', label: 'gia hạn sử dụng đất' },
  { from: ['giay phep xay dung', 'xin phep xay dung', 'xin phep xay nha', 'giay phep xay nha', 'xay nha moi', 'phep xay dung', 'xay nha'], to: 'cap giay phep xay dung moi', label: 'giấy phép xây dựng' },
  { from: ['sua nha', 'sua chua nha', 'cai tao nha', 'nang tang', 'sua lai nha', 'xay them tang'], to: 'cap giay phep xay dung sua chua cai tao', label: 'giấy phép sửa chữa, cải tạo' },
  { from: ['so nha', 'bien so nha', 'xin so nha', 'dat so nha', 'gan so nha', 'bien nha'], to: 'cap giay chung nhan so nha', label: 'số nhà' },
  // Bảo hiểm, lao động, an sinh
  { from: ['rut bao hiem', 'rut bhxh', 'rut bao hiem mot lan', 'lay bao hiem mot lan', 'bhxh 1 lan', 'bao hiem 1 lan', 'bao hiem mot lan', 'rut so bao hiem', 'chot so rut', 'lanh bao hiem mot lan', 'rut tien bao hiem'], to: 'huong bao hiem xa hoi mot lan', label: 'BHXH một lần' },
  { from: ['tro cap that nghiep', 'bao hiem that nghiep', 'lanh that nghiep', 'tien that nghiep', 'huong that nghiep', 'that nghiep'], to: 'huong tro cap that nghiep', label: 'trợ cấp thất nghiệp' },
  { from: ['thai san', 'che do thai san', 'tien thai san', 'nghi de', 'nghi sinh', 'huong thai san', 'lanh thai san', 'sinh con duoc huong', 'tien sinh con'], to: 'giai quyet huong che do thai san', label: 'chế độ thai sản' },
  { from: ['om dau', 'nghi om', 'che do om', 'tien om'], to: 'giai quyet huong che do om dau', label: 'chế độ ốm đau' },
  { from: ['tien tuat', 'tro cap tuat', 'che do tuat', 'tu tuat', 'lanh tien tuat'], to: 'giai quyet huong che do tu tuat', label: 'chế độ tử tuất' },
  { from: ['luong huu', 've huu', 'nghi huu', 'lanh luong huu', 'huong huu', 'che do huu', 'huong luong huu'], to: 'huong luong huu doi voi nguoi tham gia bao hiem xa hoi', label: 'lương hưu' },
  { from: ['tai nan lao dong', 'bi tai nan khi lam', 'tai nan khi lam viec', 'benh nghe nghiep'], to: 'giai quyet huong che do tnld bnn', label: 'tai nạn lao động, bệnh nghề nghiệp' },
  { from: ['the bao hiem y te', 'lam the bao hiem', 'mua bao hiem y te', 'bao hiem y te ho gia dinh', 'bhyt ho gia dinh', 'mua bhyt', 'dong bao hiem y te', 'lam bhyt', 'the bhyt', 'bao hiem y te'], to: 'dang ky dong cap the bhyt', label: 'thẻ BHYT' },
  { from: ['mat the bao hiem', 'mat the bhyt', 'cap lai the bao hiem', 'doi the bao hiem', 'sai thong tin bao hiem', 'mat so bao hiem', 'sua so bao hiem', 'doi the bhyt'], to: 'cap lai doi dieu chinh thong tin tren so bhxh the bhyt', label: 'cấp lại/đổi thẻ BHYT, sổ BHXH' },
  { from: ['ho ngheo', 'ho can ngheo', 'xet ho ngheo', 'so ho ngheo', 'giay chung nhan ho ngheo', 'xac nhan ho ngheo', 'can ngheo', 'ngheo'], to: 'cong nhan ho ngheo ho can ngheo', label: 'hộ nghèo, cận nghèo' },
  { from: ['thoat ngheo', 'ra khoi ho ngheo'], to: 'cong nhan ho thoat ngheo', label: 'thoát nghèo' },
  { from: ['tro cap nguoi gia', 'tien nguoi gia', 'tro cap tuoi gia', 'tro cap nguoi cao tuoi', 'tien cho nguoi gia', 'tien tuoi gia', 'luong nguoi gia', 'tro cap 80 tuoi', 'tren 80 tuoi', 'du 80 tuoi', 'tro cap hang thang', 'tro cap xa hoi', 'bao tro xa hoi'], to: 'tro cap xa hoi hang thang', label: 'trợ cấp xã hội hằng tháng' },
  { from: ['huu tri xa hoi', 'tro cap huu tri xa hoi', 'khong co luong huu', 'tu 75 tuoi', 'du 75 tuoi'], to: 'tro cap huu tri xa hoi', label: 'trợ cấp hưu trí xã hội' },
  { from: ['khuyet tat', 'nguoi khuyet tat', 'giay khuyet tat', 'xac nhan khuyet tat', 'tat nguyen', 'bai liet', 'thieu nang', 'muc do khuyet tat', 'giam dinh khuyet tat'], to: 'xac dinh muc do khuyet tat va cap giay xac nhan khuyet tat', label: 'xác nhận khuyết tật' },
  { from: ['tien mai tang', 'mai tang phi', 'ho tro mai tang', 'tien chon cat', 'tien ma chay', 'tro cap mai tang', 'chi phi mai tang', 'ho tro an tang', 'tien an tang'], to: 'ho tro chi phi mai tang', label: 'hỗ trợ mai táng' },
  { from: ['hoa tang', 'thieu xac', 'dien tang'], to: 'ho tro chi phi hoa tang', label: 'hỗ trợ hỏa táng' },
  { from: ['nguoi co cong', 'thuong binh', 'benh binh', 'liet si', 'con liet si', 'me liet si', 'gia dinh liet si', 'than nhan liet si'], to: 'nguoi co cong than nhan liet si', label: 'người có công, thân nhân liệt sĩ' },
  { from: ['mo liet si', 'tham mo liet si', 'boc mo liet si', 'di chuyen mo liet si', 'cai tang liet si'], to: 'hai cot liet si', label: 'mộ, hài cốt liệt sĩ' },
  { from: ['chat doc da cam', 'nhiem chat doc hoa hoc', 'da cam'], to: 'hoat dong khang chien bi nhiem chat doc hoa hoc', label: 'chất độc hóa học' },
  { from: ['lay luong huu ho', 'lanh thay', 'nhan thay', 'uy quyen lanh', 'lanh ho'], to: 'uy quyen linh thay', label: 'ủy quyền lĩnh thay' },
  { from: ['dong bao hiem tu nguyen', 'bao hiem xa hoi tu nguyen', 'bhxh tu nguyen'], to: 'dang ky dong bhxh tu nguyen', label: 'BHXH tự nguyện' },
  // Giao thông, xuất nhập cảnh, tư pháp
  { from: ['bang lai', 'bang lai xe', 'giay phep lai xe', 'lam bang lai', 'thi bang lai', 'hoc bang lai', 'bang xe may', 'bang a1', 'bang b2', 'bang o to'], to: 'cap giay phep lai xe', label: 'bằng lái xe' },
  { from: ['doi bang lai', 'doi bang lai xe', 'bang lai het han', 'bang lai xe het han', 'gplx het han', 'doi gplx', 'doi bang', 'giay phep lai xe het han', 'doi giay phep lai xe'], to: 'doi giay phep lai xe', label: 'đổi bằng lái' },
  { from: ['mat bang lai', 'mat bang lai xe', 'cap lai bang lai', 'mat gplx', 'mat giay phep lai xe', 'cap lai giay phep lai xe'], to: 'cap lai giay phep lai xe', label: 'cấp lại bằng lái' },
  { from: ['dang ky xe', 'dang ky xe may', 'dang ky o to', 'lam giay xe', 'ca vet', 'cavet', 'ca vet xe', 'giay to xe', 'bien so xe', 'bam bien', 'bam bien so', 'lam bien so', 'dang ky xe moi', 'xe moi mua'], to: 'dang ky cap bien so xe lan dau', label: 'đăng ký xe, biển số' },
  { from: ['sang ten xe', 'mua xe cu', 'ban xe', 'mua lai xe', 'mua lai xe cu', 'xe cu', 'sang ten xe may', 'sang ten o to', 'doi chu xe', 'chuyen ten xe'], to: 'cap chung nhan dang ky xe bien so xe trong truong hop thay doi chu xe', label: 'sang tên xe' },
  { from: ['mat cavet', 'mat ca vet', 'mat giay dang ky xe', 'mat bien so', 'cap lai cavet', 'cap lai dang ky xe'], to: 'cap lai chung nhan dang ky xe bien so xe', label: 'cấp lại đăng ký xe' },
  { from: ['doi bien so', 'doi ca vet', 'doi cavet', 'doi dang ky xe', 'doi bien vang', 'bien vang'], to: 'doi chung nhan dang ky xe bien so xe', label: 'đổi đăng ký xe, biển số' },
  { from: ['rut ho so xe', 'thu hoi dang ky xe', 'xe hong', 'xe nat', 'thanh ly xe', 'huy dang ky xe', 'xe bi mat trom'], to: 'thu hoi chung nhan dang ky xe bien so xe', label: 'thu hồi đăng ký xe' },
  { from: ['ho chieu', 'lam ho chieu', 'lam passport', 'cap ho chieu', 'xin ho chieu', 'di nuoc ngoai', 'xuat canh'], to: 'cap ho chieu pho thong o trong nuoc', label: 'hộ chiếu' },
  { from: ['mat ho chieu', 'trinh bao mat ho chieu', 'bao mat ho chieu'], to: 'trinh bao mat ho chieu pho thong', label: 'trình báo mất hộ chiếu' },
  { from: ['ly lich tu phap', 'phieu ly lich', 'lam ly lich tu phap', 'lam lltp', 'giay khong tien an', 'xac nhan khong tien an', 'khong tien an tien su', 'tien an tien su', 'ly lich'], to: 'cap phieu ly lich tu phap', label: 'phiếu lý lịch tư pháp' },
  { from: ['nghia vu quan su', 'di bo doi', 'di nghia vu', 'nhap ngu', 'dang ky di bo doi', 'dang ky quan su', 'di linh'], to: 'dang ky nghia vu quan su lan dau', label: 'đăng ký nghĩa vụ quân sự' },
  { from: ['khieu nai', 'to cao', 'phan anh', 'kien nghi'], to: 'giai quyet khieu nai', label: 'khiếu nại' },
  { from: ['ton giao', 'sinh hoat ton giao', 'nhom ton giao'], to: 'dang ky sinh hoat ton giao tap trung', label: 'sinh hoạt tôn giáo' },
  { from: ['le hoi', 'to chuc le hoi'], to: 'thong bao to chuc le hoi cap xa', label: 'lễ hội' },
  { from: ['hoa giai', 'hoa giai vien', 'to hoa giai'], to: 'hoa giai o co so', label: 'hòa giải cơ sở' },
  { from: ['vao lop 6', 'len lop 6', 'tuyen sinh lop 6', 'xet tuyen lop 6', 'vao cap 2', 'len cap 2', 'nhap hoc lop 6'], to: 'tuyen sinh trung hoc co so', label: 'tuyển sinh lớp 6' },
  { from: ['mo truong mam non', 'mo nhom tre', 'mo lop mau giao', 'mo nha tre', 'trong tre'], to: 'thanh lap nha tre truong mau giao truong mam non', label: 'mở trường, nhóm trẻ' },
  { from: ['lap hoi', 'thanh lap hoi', 'mo hoi'], to: 'thanh lap hoi', label: 'thành lập hội' },
  { from: ['chan nuoi', 'nuoi heo', 'nuoi lon', 'trang trai'], to: 'chan nuoi', label: 'chăn nuôi' },
  { from: ['nuoi ca long', 'nuoi ca long be', 'long be', 'nuoi thuy san'], to: 'nuoi trong thuy san long be', label: 'nuôi trồng thủy sản lồng bè' },
  { from: ['xuat khau lao dong', 'di lam nuoc ngoai', 'di lam o nuoc ngoai', 'di lao dong nuoc ngoai'], to: 'nguoi lao dong di lam viec o nuoc ngoai theo hop dong', label: 'đi làm việc ở nước ngoài' },
  { from: ['cong ti'], to: 'cong ty', label: 'công ty' },
];

/**
 * A life situation and the procedures it usually leads to, in order of
 * urgency. `when` is tested on the folded query with spaces at both ends,
 * so " mat " matches the word, not "mặt" inside another word.
 */
export interface Intent {
  /** Phrase found in official names (folded), matched as a substring. */
  phrase: string;
  /** National codes for this intent when one is the obvious default. */
  codes?: readonly string[];
  /** Strength relative to a full name match: 1 = as strong as typing the name. */
  weight: number;
}

export interface Situation {
  id: string;
  when: RegExp;
  /** When set, the situation only applies if this also matches. */
  and?: RegExp;
  /** When this matches, the situation does not apply (e.g. "mất giấy" is not a death). */
  unless?: RegExp;
  intents: readonly Intent[];
  /** Vietnamese explanation used in `why`. */
  why: string;
}

const KIN = '(bo|ba|me|ma|cha|ong|ba noi|ba ngoai|ong noi|ong ngoai|chong|vo|con|chau|anh|chi|em|co|chu|bac|di|cau|thim|mo|nguoi than|nguoi nha|cu|cu ong|cu ba|hang xom|ban)';
const PAPERS = '(giay|so|the|bang|cavet|ca vet|ho chieu|can cuoc|cccd|cmnd|chung minh|vi|bop|tui|dien thoai|xe|bien|chia khoa|tien|viec|ngu|ngon|long|diem|dien|nuoc|quyen|tich|mat)';

export const SITUATIONS: readonly Situation[] = [
  {
    id: 'death',
    when: new RegExp(` ${KIN} (toi |em |minh |nha toi |nha em |cua toi |cua em )?(vua |moi |da |bi |dot ngot |hom qua |hom nay |tuan truoc |thang truoc |sang nay |toi qua )*(mat|mat roi|qua doi|chet|tu tran|ta the|tu vong|khuat|ra di|khong qua khoi|hy sinh|hi sinh|ve voi to tien|ve voi ong ba|yen nghi|bi tai nan chet)( |$)`),
    unless: new RegExp(` mat ${PAPERS} | mat (viec|ngu|tich|lien lac)| co mat (tai|o|de|khi|luc|day|ca|trong)`),
    intents: [
      { phrase: 'dang ky khai tu', codes: ['1.000656'], weight: 1.6 },
      { phrase: 'mai tang', weight: 0.45 },
      { phrase: 'che do tu tuat', weight: 0.45 },
      { phrase: 'xoa dang ky thuong tru', weight: 0.35 },
      { phrase: 'phan chia di san', weight: 0.3 },
    ],
    why: 'Người thân qua đời: trước hết cần đăng ký khai tử (trong 15 ngày); sau đó có thể hưởng mai táng phí, tử tuất, xóa thường trú, chia di sản',
  },
  {
    id: 'death2',
    when: / (nguoi chet|nguoi mat|nguoi qua doi|dam ma|dam tang|tang le|lo hau su|hau su|dam hieu|ma chay|chon cat|an tang|giay bao tu|bao tu|qua doi|tu vong|tu tran) /,
    intents: [
      { phrase: 'dang ky khai tu', codes: ['1.000656'], weight: 1.4 },
      { phrase: 'mai tang', weight: 0.5 },
      { phrase: 'che do tu tuat', weight: 0.4 },
    ],
    why: 'Có người qua đời: cần đăng ký khai tử; có thể được hỗ trợ mai táng phí, chế độ tử tuất',
  },
  {
    id: 'birth',
    when: / (moi|vua|sap|da|dang|hom qua|tuan truoc|thang truoc|moi vua) (sinh|de|sanh|sinh xong|de xong|sinh con|de con|sinh be|de be)( |$)| (sinh|de|sanh) (con|be|em be|chau|them|thang|doi|non|mo|thuong|be gai|be trai|con gai|con trai)( |$)| (co|them|don) (em be|be|chau noi|chau ngoai|thanh vien moi)( |$)| (chao doi|moi chao doi|tre so sinh|be so sinh|em be moi sinh|con moi sinh|con so sinh|o cu|lam me|len chuc bo|len chuc me)( |$)/,
    unless: / de (con|be|chau) (di|duoc|hoc|vao|nhap|lam|co|xin)| (ngay sinh|nam sinh|sinh nhat|hoc sinh|sinh vien|sinh hoat|ve sinh|phat sinh|sinh trac|thai san) /,
    intents: [
      { phrase: 'dang ky khai sinh', codes: ['1.001193'], weight: 1.6 },
      { phrase: 'lien thong cac thu tuc hanh chinh ve dang ky khai sinh', weight: 0.5 },
      { phrase: 'che do thai san', weight: 0.35 },
    ],
    why: 'Gia đình có em bé: cần đăng ký khai sinh (trong 60 ngày), có thể làm liên thông cấp thẻ BHYT, đăng ký thường trú cho trẻ',
  },
  {
    id: 'child-no-papers',
    when: / (chua (co|lam|dang ky) (giay )?khai sinh|chua lam giay to cho (con|be|chau)|con (toi|em) chua co giay|be chua co ten|tre bi bo roi|nhat duoc (em be|be|tre|dua tre|dua be)|tre so sinh bi bo roi|be bi bo roi|em be bi bo roi) /,
    intents: [{ phrase: 'dang ky khai sinh', codes: ['1.001193'], weight: 1.7 }],
    why: 'Trẻ chưa có giấy khai sinh: cần đăng ký khai sinh',
  },
  {
    id: 'marriage',
    when: / (lay chong|lay vo|cuoi vo|cuoi chong|sap cuoi|dam cuoi|dam hoi|cuoi xin|ve chung (mot )?nha|thanh vo chong|lam dam|to chuc cuoi|cuoi nhau|lay nhau|ruoc dau|hon phu|hon the|vo sap cuoi|chong sap cuoi|cuoi ban gai|cuoi nguoi yeu)( |$)/,
    unless: / (ly hon|ly di|bo nhau|chia tay)/,
    intents: [
      { phrase: 'dang ky ket hon', codes: ['1.000894'], weight: 1.5 },
      { phrase: 'xac nhan tinh trang hon nhan', codes: ['1.004873'], weight: 1.0 },
    ],
    why: 'Chuẩn bị kết hôn: đăng ký kết hôn tại UBND cấp xã; nếu đăng ký ở nơi khác nơi cư trú cần giấy xác nhận tình trạng hôn nhân',
  },
  {
    id: 'divorce',
    when: / (ly hon|ly di|bo nhau|bo vo|bo chong|chia tay vo|chia tay chong) /,
    intents: [
      { phrase: 'ghi vao so ho tich viec ly hon', weight: 0.8 },
      { phrase: 'xac nhan tinh trang hon nhan', weight: 0.5 },
    ],
    why: 'Ly hôn do Tòa án giải quyết; tại xã có thể ghi chú ly hôn đã giải quyết ở nước ngoài hoặc xin xác nhận tình trạng hôn nhân sau ly hôn',
  },
  {
    id: 'business',
    when: / (mo|lap|tinh mo|muon mo|sap mo|mo them|kinh doanh|ban|buon ban|mo cua)( \w+){0,3} (quan|tiem|cua hang|shop|sap|quay|sap cho|xe ban|tap hoa|tap hoa|quan an|quan nuoc|quan cafe|quan ca phe|cafe|ca phe|tra sua|quan nhau|quan com|quan pho|bun|pho|banh mi|tiem toc|tiem vang|salon|spa|nha nghi|nha tro cho thue|cho thue phong|karaoke|tiem thuoc|hieu thuoc|tiem may|sua xe|rua xe|quan bia|quan lau|do an|tap hoa|xang dau|gas|vat lieu xay dung|hang online|online)( |$)/,
    intents: [{ phrase: 'dang ky thanh lap ho kinh doanh', codes: ['1.001612'], weight: 1.5 }],
    why: 'Mở cơ sở kinh doanh nhỏ: đăng ký hộ kinh doanh tại cấp xã',
  },
  {
    id: 'business-food',
    when: / (quan an|quan com|quan pho|quan nhau|quan lau|do an|banh mi|tra sua|quan nuoc|cafe|ca phe|bep an|suat an|nau an|thuc pham|che bien|lo banh|nha hang|bun|pho) /,
    and: / (mo|lap|kinh doanh|ban|buon ban|giay phep|mo cua) /,
    intents: [
      { phrase: 'dang ky thanh lap ho kinh doanh', codes: ['1.001612'], weight: 1.2 },
      { phrase: 'du dieu kien an toan thuc pham', weight: 0.6 },
    ],
    why: 'Kinh doanh ăn uống: đăng ký hộ kinh doanh; có thể cần giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
  },
  {
    id: 'move-in',
    when: / (chuyen nha|chuyen den|chuyen ve|don ve|don den|don nha|ve o|moi ve|moi chuyen|chuyen cho o|doi cho o|doi dia chi|ve que o|ve song|mua nha|mua can ho|nha moi|ve o voi|nhap ve)( |$)/,
    unless: / (mua nha dat|sang ten|so do|ban nha|kinh doanh|cua hang|mo quan|quan an|tiem|cong ty)( |$)/,
    intents: [
      { phrase: 'dang ky thuong tru', codes: ['1.004222'], weight: 1.3 },
      { phrase: 'dang ky tam tru', codes: ['1.004194'], weight: 0.9 },
    ],
    why: 'Thay đổi chỗ ở: đăng ký thường trú nơi ở mới (hoặc tạm trú nếu ở có thời hạn)',
  },
  {
    id: 'renting',
    when: / (thue tro|o tro|phong tro|nha tro|thue phong|thue nha|o thue|o ky tuc|ky tuc xa|di lam xa|len thanh pho|len thanh pho lam|ra ha noi|vao sai gon|xuong thanh pho|sinh vien o|cong nhan o)( |$)/,
    unless: / (cho thue nha tro|kinh doanh nha tro|mo nha tro|xay nha tro)/,
    intents: [{ phrase: 'dang ky tam tru', codes: ['1.004194'], weight: 1.4 }],
    why: 'Ở thuê, ở trọ nơi khác: đăng ký tạm trú',
  },
  {
    id: 'away',
    when: / (vang nha|di vang|di xa|di lam an xa|di khoi dia phuong|ra khoi xa|vang mat dai ngay) /,
    intents: [{ phrase: 'khai bao tam vang', codes: ['1.003677'], weight: 1.1 }],
    why: 'Vắng mặt dài ngày khỏi nơi cư trú: khai báo tạm vắng (trường hợp luật yêu cầu)',
  },
  {
    id: 'guest',
    when: / (khach (den|toi|ve) (o|choi|ngu)|ban (den|toi) (o|ngu)|ho hang (len|den|ve) (o|choi)|cho (khach|ban) ngu|nguoi than (den|toi) o|co nguoi den o|ngu lai)( |$)| (o nho|ngu nho|o lai|ngu lai|ghe o|tam o|o chung)( \w+){0,4} (dem|hom|ngay|tuan|toi)( |$)/,
    intents: [{ phrase: 'thong bao luu tru', codes: ['2.001159'], weight: 1.2 }],
    why: 'Có người đến ở lại qua đêm: thông báo lưu trú',
  },
  {
    id: 'turn-14',
    when: / (du|tron|len|sap|vua|bat dau|moi|da) (14|muoi bon) (tuoi)? /,
    intents: [{ phrase: 'cap the can cuoc cho nguoi tu du 14 tuoi tro len', codes: ['1.014061'], weight: 1.2 }],
    why: 'Đủ 14 tuổi: làm thẻ căn cước',
  },
  {
    id: 'lost-id',
    when: / (mat|roi|danh roi|bi trom|bi moc tui|that lac|bi cuop|khong tim thay|mat vi|mat bop|mat tui) /,
    and: / (can cuoc|cccd|cmnd|chung minh|giay to tuy than|vi|bop) /,
    intents: [{ phrase: 'cap lai the can cuoc', codes: ['1.014064'], weight: 1.2 }],
    why: 'Mất thẻ căn cước: làm thủ tục cấp lại thẻ căn cước',
  },
  {
    id: 'military-age',
    when: / (du|tron|len|sap|vua) (17|18|muoi bay|muoi tam) tuoi /,
    and: / (nam|con trai|thanh nien|nghia vu|bo doi|quan su|dang ky) /,
    intents: [{ phrase: 'dang ky nghia vu quan su lan dau', codes: ['1.013133'], weight: 1.1 }],
    why: 'Nam đủ 17 tuổi: đăng ký nghĩa vụ quân sự lần đầu',
  },
  {
    id: 'bought-vehicle',
    when: / (mua|moi mua|vua mua|tau|sam|duoc tang|nhan)( lai)? (xe|xe may|xe o to|o to|xe hoi|xe dien|xe moi|xe tay ga|xe so|con xe|chiec xe)( |$)/,
    unless: / (xe cu|cu cua|lai cua|mua lai|sang ten|da qua su dung|secondhand) /,
    intents: [
      { phrase: 'dang ky cap bien so xe lan dau', weight: 1.0 },
      { phrase: 'thay doi chu xe', weight: 0.9 },
    ],
    why: 'Mua xe: đăng ký xe, cấp biển số (xe mới) hoặc sang tên (xe đã qua sử dụng)',
  },
  {
    id: 'bought-used-vehicle',
    when: / (mua|mua lai|sang lai|duoc cho|duoc tang)( \w+){0,2} (xe|o to|xe may)( \w+){0,3} (cu|cua nguoi|lai cua|cua ban|cua hang xom|da qua su dung)( |$)| mua lai (xe|o to|xe may) /,
    intents: [{ phrase: 'thay doi chu xe', codes: ['1.013076'], weight: 1.3 }],
    why: 'Mua xe đã qua sử dụng: làm thủ tục đăng ký sang tên xe (thay đổi chủ xe)',
  },
  {
    id: 'build-house',
    when: / (xay|xay nha|xay lai|xay moi|lam nha|dung nha|cat nha|don nha|xay them|do mong|xay tuong|xay tro) /,
    unless: / (nha tro cho thue|sua xe)/,
    intents: [{ phrase: 'cap giay phep xay dung moi', codes: ['1.013225'], weight: 1.3 }],
    why: 'Xây nhà: xin giấy phép xây dựng (nhà ở riêng lẻ cấp III, IV do cấp xã cấp)',
  },
  {
    id: 'pregnancy',
    when: / (co bau|mang thai|mang bau|co thai|bau bi|sap sinh|sap de|nghi sinh|nghi de|kham thai) /,
    intents: [
      { phrase: 'che do thai san', codes: ['2.000693'], weight: 1.0 },
      { phrase: 'dang ky khai sinh', codes: ['1.001193'], weight: 0.6 },
    ],
    why: 'Mang thai, sinh con: hưởng chế độ thai sản (nếu đóng BHXH), sau sinh đăng ký khai sinh cho bé',
  },
  {
    id: 'job-loss',
    when: / (mat viec|nghi viec|bi duoi|bi cho nghi|bi sa thai|thoi viec|that nghiep|cong ty pha san|cong ty dong cua|het hop dong|cat giam|nghi lam|khong co viec) /,
    intents: [
      { phrase: 'huong tro cap that nghiep', weight: 1.2 },
      { phrase: 'bao hiem xa hoi mot lan', weight: 0.5 },
    ],
    why: 'Mất việc: đăng ký hưởng trợ cấp thất nghiệp trong 3 tháng; có thể rút BHXH một lần nếu đủ điều kiện',
  },
  {
    id: 'retire',
    when: / (nghi huu|ve huu|du tuoi huu|du tuoi nghi huu|sap nghi huu|het tuoi lao dong) /,
    intents: [{ phrase: 'huong luong huu doi voi nguoi tham gia', codes: ['1.014171'], weight: 1.2 }],
    why: 'Nghỉ hưu: giải quyết hưởng lương hưu',
  },
  {
    id: 'elderly',
    when: / (ong|ba|bo|me|cu|nguoi gia|gia|cao tuoi|lon tuoi|ong ba) /,
    and: / (8\d|7\d|tam muoi|bay muoi|gia yeu|khong luong huu|khong co luong huu|song mot minh|khong ai nuoi|neo don|co don|tro cap|tien tro cap) /,
    unless: / (qua doi|mat|chet|tu tran)/,
    intents: [
      { phrase: 'tro cap xa hoi hang thang', codes: ['1.001776'], weight: 1.0 },
      { phrase: 'tro cap huu tri xa hoi', codes: ['1.014027'], weight: 0.9 },
    ],
    why: 'Người cao tuổi không có lương hưu: đề nghị trợ cấp xã hội hằng tháng hoặc trợ cấp hưu trí xã hội',
  },
  {
    id: 'disabled',
    when: / (khuyet tat|tat nguyen|bai liet|cut chan|cut tay|mu|khiem thi|diec|cam diec|tu ky|down|bai nao|thieu nang|tam than|liet|bai xui|di lai kho khan) /,
    intents: [
      { phrase: 'xac dinh xac dinh lai muc do khuyet tat', codes: ['1.001699'], weight: 0.8 },
      { phrase: 'tro cap xa hoi hang thang', weight: 0.5 },
    ],
    why: 'Người khuyết tật: xác định mức độ khuyết tật, cấp giấy xác nhận; từ đó hưởng trợ cấp xã hội hằng tháng',
  },
  {
    id: 'poor',
    when: / (nha ngheo|ngheo kho|kho khan|hoan canh kho khan|thu nhap thap|khong du an|nha dot nat|ngheo qua) /,
    intents: [
      { phrase: 'cong nhan ho ngheo ho can ngheo', codes: ['1.011607'], weight: 1.1 },
      { phrase: 'tro cap xa hoi hang thang', weight: 0.4 },
    ],
    why: 'Hoàn cảnh khó khăn: đề nghị xét công nhận hộ nghèo, cận nghèo để hưởng chính sách hỗ trợ',
  },
  {
    id: 'inherit',
    when: / (de lai|thua ke|di san|chia nha|chia dat|chia tai san|tai san cua (bo|me|ong|ba)|nha cua (bo|me|ong|ba)|dat cua (bo|me|ong|ba)|sang ten dat cua|cua bo me de lai) /,
    intents: [
      { phrase: 'chung thuc van ban phan chia di san', codes: ['2.001406'], weight: 1.1 },
      { phrase: 'chung thuc van ban tu choi nhan di san', codes: ['2.001016'], weight: 0.6 },
      { phrase: 'chung thuc di chuc', codes: ['2.001019'], weight: 0.4 },
    ],
    why: 'Thừa kế: lập và chứng thực văn bản phân chia di sản (hoặc từ chối nhận di sản), sau đó đăng ký sang tên',
  },
  {
    id: 'going-abroad',
    when: / (di|sang|qua|ra|bay)( du lich| choi| tham| cong tac| lam| hoc| lao dong)? (nuoc ngoai|han|han quoc|nhat|nhat ban|dai loan|trung quoc|my|uc|thai|thai lan|singapore|malaysia|chau au|phap|duc|anh|nga|canada)( |$)| (du hoc|di xkld|xuat khau lao dong|di lao dong|di lam nuoc ngoai|xuat ngoai|dinh cu|di tham than|xuat canh)( |$)/,
    intents: [
      { phrase: 'cap ho chieu pho thong o trong nuoc', weight: 1.0 },
      { phrase: 'cap phieu ly lich tu phap', weight: 0.6 },
    ],
    why: 'Ra nước ngoài: cần hộ chiếu phổ thông; đi làm việc, du học thường cần thêm phiếu lý lịch tư pháp',
  },
  {
    id: 'land-dispute',
    when: / (lan|lan chiem|chiem|lan sang|xay lan|xay lan sang|tranh chap|cai nhau|ranh gioi|moc gioi|do ranh)( \w+){0,3} (dat|ranh|ranh gioi|tuong|hang rao|ngo|loi di|bo rao)( |$)/,
    intents: [
      { phrase: 'hoa giai tranh chap dat dai', codes: ['1.012812'], weight: 1.2 },
      { phrase: 'giai quyet tranh chap dat dai', codes: ['1.013967'], weight: 0.9 },
    ],
    why: 'Tranh chấp, lấn chiếm đất: trước hết hòa giải tranh chấp đất đai tại UBND cấp xã; không thành thì đề nghị giải quyết tranh chấp',
  },
  {
    id: 'work-death',
    when: / (chet|mat|qua doi|tu vong|tu nan)( \w+){0,3} (tai nan lao dong|tai nan khi lam|khi dang lam|tai cong truong|benh nghe nghiep)( |$)/,
    intents: [
      { phrase: 'che do tu tuat', codes: ['2.000821'], weight: 1.3 },
      { phrase: 'dang ky khai tu', codes: ['1.000656'], weight: 0.9 },
    ],
    why: 'Người lao động chết do tai nạn lao động: thân nhân được giải quyết chế độ tử tuất; cần đăng ký khai tử',
  },
  {
    id: 'veteran-death',
    when: / (cuu chien binh|thuong binh|liet si|nguoi co cong|thanh nien xung phong|dan cong hoa tuyen|bo doi cu) /,
    and: / (mat|qua doi|chet|tu tran|tu tuat|mai tang|ta the) /,
    intents: [
      { phrase: 'mai tang phi', weight: 1.0 },
      { phrase: 'dang ky khai tu', codes: ['1.000656'], weight: 0.9 },
      { phrase: 'tro cap uu dai tu tran', weight: 0.6 },
    ],
    why: 'Người có công, cựu chiến binh qua đời: thân nhân được giải quyết mai táng phí, trợ cấp',
  },
  {
    id: 'wrong-papers',
    when: / (sai|nham|ghi sai|viet sai|khac nhau|khong khop|lech|sua|sai lech) /,
    and: / (ten|ho|ngay sinh|nam sinh|que|dan toc|gioi tinh|giay khai sinh|khai sinh|ho tich|ten cha|ten me) /,
    unless: / (so do|giay chung nhan quyen|dat|can cuoc|cccd|bang lai|cavet|xe|ho khau|cu tru)/,
    intents: [{ phrase: 'thay doi cai chinh bo sung thong tin ho tich', codes: ['1.004859'], weight: 1.2 }],
    why: 'Thông tin hộ tịch ghi sai hoặc cần thay đổi: thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch',
  },
  {
    id: 'land-papers',
    when: / (mua dat|mua manh dat|mua lo dat|ban dat|sang ten dat|sang so|sang ten so|cho con dat|tang con dat|cho dat|chuyen nhuong) /,
    intents: [
      { phrase: 'chung thuc giao dich lien quan den tai san', codes: ['2.001035'], weight: 0.9 },
      { phrase: 'dang ky bien dong', weight: 0.8 },
    ],
    why: 'Mua bán, tặng cho đất: chứng thực hợp đồng tại xã (hoặc công chứng), rồi đăng ký biến động sang tên',
  },
  {
    id: 'orphan',
    when: / (mo coi|khong con bo me|bo me mat het|khong nguoi nuoi|khong ai cham soc|bi bo roi|cham soc thay the|nhan nuoi chau) /,
    intents: [
      { phrase: 'dang ky giam ho', codes: ['1.004837'], weight: 0.9 },
      { phrase: 'cham soc thay the', weight: 0.8 },
      { phrase: 'tro cap xa hoi hang thang', weight: 0.6 },
    ],
    why: 'Trẻ không có người nuôi dưỡng: đăng ký giám hộ, chăm sóc thay thế; trẻ được hưởng trợ cấp xã hội',
  },
  {
    id: 'adopt',
    when: / (nhan nuoi|xin nuoi|con nuoi|nuoi chau|nhan chau ve nuoi) /,
    intents: [{ phrase: 'dang ky viec nuoi con nuoi trong nuoc', codes: ['2.001263'], weight: 1.1 }],
    why: 'Nhận con nuôi: đăng ký việc nuôi con nuôi',
  },
  {
    id: 'fatherhood',
    when: / (chua cuoi|khong ket hon|chua dang ky ket hon|khong co giay ket hon|con rieng|con ngoai gia thu|me don than|khong co ten bo|khong co ten cha|thieu ten bo|thieu ten cha) /,
    intents: [
      { phrase: 'dang ky nhan cha me con', codes: ['1.001022'], weight: 0.9 },
      { phrase: 'dang ky khai sinh ket hop dang ky nhan cha me con', codes: ['1.000689'], weight: 0.8 },
    ],
    why: 'Cha mẹ chưa đăng ký kết hôn: đăng ký nhận cha, mẹ, con (có thể kết hợp khi đăng ký khai sinh)',
  },
];

/**
 * Distinguishing features of sibling procedures. `name` spots the feature
 * in an official name; `cue` spots it in a query. A sibling that carries a
 * feature the question does not mention is the less likely reading.
 */
export interface Feature {
  key: string;
  name: RegExp;
  cue: RegExp;
  /**
   * Cue that names the feature outright ("cấp lại", "có yếu tố nước
   * ngoài"): siblings without the feature are then unlikely.
   */
  strong?: RegExp;
  /** Option label when the procedure has the feature. */
  label: string;
  /** Option label for the sibling without it. */
  without: string;
  /** Clarifying question when this feature is what separates the top results. */
  question: string;
}

export const FEATURES: readonly Feature[] = [
  {
    key: 'foreign',
    name: /co yeu to nuoc ngoai|nguoi nuoc ngoai|(o|tai) nuoc ngoai|ngoai nuoc/,
    cue: / (nuoc ngoai|ngoai quoc|yeu to nuoc ngoai|viet kieu|nguoi tay|ong tay|chong tay|vo tay|lay tay|nuoc khac|quoc tich khac|han quoc|nguoi han|sang han|trung quoc|nguoi trung|nhat ban|nguoi nhat|sang nhat|dai loan|nguoi dai loan|nuoc lao|nguoi lao(?! dong)|ben lao|campuchia|thai lan|nguoi thai|nuoc my|nguoi my|ben my|sang my|nuoc phap|nguoi phap|nuoc duc|nguoi duc|nuoc uc|nguoi uc|sang uc|anh quoc|nuoc anh|nuoc nga|nguoi nga|singapore|malaysia|philippines|an do|canada|chau au|ngoai kieu|dinh cu|hai ngoai) /,
    strong: / ./,
    label: 'Có yếu tố nước ngoài (một bên là người nước ngoài, người Việt định cư ở nước ngoài, hoặc sự việc xảy ra ở nước ngoài)',
    without: 'Không có yếu tố nước ngoài (các bên đều là công dân Việt Nam, sự việc ở trong nước)',
    question: 'Việc của bạn có yếu tố nước ngoài không (một bên là người nước ngoài, người Việt định cư ở nước ngoài, hoặc sự việc xảy ra ở nước ngoài)?',
  },
  {
    key: 'copy',
    name: /ban sao/,
    cue: / (ban sao|sao y|photo|them ban|xin them|trich luc|ban nua|ban phu) /,
    strong: / (ban sao|sao y|trich luc) /,
    label: 'Cấp bản sao (bản chính vẫn còn lưu trong sổ hộ tịch)',
    without: 'Đăng ký (không phải xin bản sao)',
    question: 'Bạn cần xin bản sao (việc đã đăng ký, sổ hộ tịch còn lưu) hay đăng ký lại vì sổ và bản chính đều không còn?',
  },
  {
    key: 're-register',
    name: /dang ky lai/,
    cue: / (dang ky lai|lam lai|khai lai|mat (het )?(so|ban chinh|ban goc)|so (ho tich )?(bi )?(mat|chay|hong|that lac)|khong con (so|ban chinh|ban goc)|da dang ky (roi|truoc)|ngay xua da)( |$)/,
    strong: / (dang ky lai|khai lai) /,
    label: 'Đăng ký lại (việc đã đăng ký trước đây nhưng sổ hộ tịch và bản chính giấy tờ đều không còn)',
    without: 'Đăng ký lần đầu (chưa từng đăng ký)',
    question: 'Việc này đã từng được đăng ký trước đây chưa (nếu đã đăng ký nhưng sổ hộ tịch và bản chính đều mất thì làm thủ tục đăng ký lại)?',
  },
  {
    key: 'border',
    name: /khu vuc bien gioi/,
    cue: / (bien gioi|giap bien|vung bien|cu dan bien gioi|nuoc lang gieng) /,
    strong: / ./,
    label: 'Tại khu vực biên giới (với công dân nước láng giềng thường trú ở khu vực biên giới)',
    without: 'Không thuộc khu vực biên giới',
    question: 'Việc của bạn có liên quan đến công dân nước láng giềng ở khu vực biên giới không?',
  },
  {
    key: 'mobile',
    name: /luu dong/,
    cue: / (luu dong|tai nha|den nha|tan nha|tan noi|khong di duoc|khong the di|om nang|nam liet|vung sau|vung xa|di lai kho) /,
    strong: / luu dong /,
    label: 'Đăng ký lưu động (cán bộ tư pháp đến tận nơi)',
    without: 'Đăng ký tại trụ sở',
    question: 'Người đăng ký có thể đến trụ sở không, hay cần cán bộ đến làm lưu động tại nơi ở?',
  },
  {
    key: 'with-parentage',
    name: /ket hop dang ky nhan cha me con/,
    cue: / (chua (dang ky )?ket hon|khong (dang ky )?ket hon|ngoai gia thu|cha chua nhan|ket hop|chua co ten (bo|cha)|chua cuoi) /,
    strong: / ./,
    label: 'Kết hợp nhận cha, mẹ, con (cha mẹ chưa đăng ký kết hôn)',
    without: 'Không kèm nhận cha, mẹ, con',
    question: 'Cha mẹ của trẻ đã đăng ký kết hôn chưa (nếu chưa thì làm khai sinh kết hợp nhận cha, mẹ, con)?',
  },
  {
    key: 'has-papers',
    name: /da co ho so giay to ca nhan/,
    cue: / (da co ho so|da co giay to|nguoi lon|da lon|lon tuoi|chua tung (dang ky|lam|co) (giay )?khai sinh|chua co khai sinh|qua han|nam nay \d+ tuoi|da di hoc|co bang|co so ho khau|co cmnd|co can cuoc) /,
    label: 'Người đã có hồ sơ, giấy tờ cá nhân nhưng chưa đăng ký khai sinh',
    without: 'Trẻ mới sinh hoặc chưa có giấy tờ cá nhân',
    question: 'Người cần khai sinh đã có hồ sơ, giấy tờ cá nhân (học bạ, bằng cấp, hộ khẩu…) nhưng chưa từng đăng ký khai sinh phải không?',
  },
  {
    key: 'reissue',
    name: /(^| )cap lai( |$)|cap bo sung hoac cap lai/,
    cue: / (cap lai|lam lai|xin lai|mat|bi mat|that lac|danh roi|roi mat|bi trom|khong tim thay|chay|cuop) /,
    strong: / (cap lai|mat|bi mat|that lac|danh roi|bi trom) /,
    label: 'Cấp lại (giấy cũ bị mất)',
    without: 'Cấp mới',
    question: 'Bạn cần cấp lại vì giấy cũ bị mất, hay cấp đổi vì hỏng, hết hạn, sai hoặc thay đổi thông tin?',
  },
  {
    key: 'exchange',
    // "đổi" folds like "đối" ("đối với"): only the verb positions count.
    name: /(^| )cap doi( |$)|^ ?doi |(^| )doi (giay|the|chung nhan|bang|so|dieu chinh|cap lai)( |$)/,
    cue: / (cap doi|(?<!(qua|sinh|cuoc|mot|hai) )doi(?! voi)|lam lai|het han|qua han|hong|rach|mo|bong|nhoe|sai|thay doi|cu|doi moi|hu|gay|doi sang) /,
    strong: / (cap doi|(?<!(qua|sinh|cuoc|mot|hai) )doi(?! voi)|het han|hong) /,
    label: 'Cấp đổi (giấy cũ hỏng, hết hạn, sai hoặc thay đổi thông tin)',
    without: 'Cấp mới',
    question: 'Bạn cần cấp lại vì giấy cũ bị mất, hay cấp đổi vì hỏng, hết hạn, sai hoặc thay đổi thông tin?',
  },
  {
    key: 'under-14',
    name: /(cho nguoi )?duoi 14 tuoi/,
    cue: / (duoi 14|chua du 14|be|tre|tre em|con nho|em be|so sinh|[1-9] tuoi|1[0-3] tuoi|hoc sinh tieu hoc) /,
    strong: / (duoi 14|chua du 14|[1-9] tuoi|1[0-3] tuoi|tre so sinh|em be) /,
    label: 'Cho người dưới 14 tuổi',
    without: 'Cho người từ đủ 14 tuổi trở lên',
    question: 'Người cần làm căn cước dưới 14 tuổi hay từ đủ 14 tuổi trở lên?',
  },
  {
    key: 'over-14',
    name: /(cho nguoi )?tu du 14 tuoi( tro len)?/,
    cue: / (tu du 14|du 14|tren 14|1[4-9] tuoi|[2-9]\d tuoi|nguoi lon|truong thanh) /,
    strong: / (tu du 14|du 14|tren 14|1[4-9] tuoi|[2-9]\d tuoi) /,
    label: 'Cho người từ đủ 14 tuổi trở lên',
    without: 'Cho người dưới 14 tuổi',
    question: 'Người cần làm căn cước dưới 14 tuổi hay từ đủ 14 tuổi trở lên?',
  },
  {
    key: 'first',
    name: /lan dau/,
    cue: / (lan dau|moi|chua co|chua tung|dau tien|xe moi) /,
    label: 'Lần đầu',
    without: 'Không phải lần đầu',
    question: 'Đây là lần đầu bạn làm thủ tục này phải không?',
  },
];

/** Features that exclude each other: asking for both means the citizen is unsure. */
export const EXCLUSIVE: readonly (readonly [string, string])[] = [
  ['reissue', 'exchange'],
  ['under-14', 'over-14'],
  ['copy', 're-register'],
];

/**
 * Popularity prior: procedures citizens ask for most at a commune one-stop
 * counter (and a few province/central ones they ask the commune about).
 * Values are relative boosts, not probabilities.
 */
export const POPULAR: Readonly<Record<string, number>> = {
  // Hộ tịch
  '1.001193': 1.0, '1.000656': 0.9, '1.000894': 0.9, '1.004873': 0.8, '2.000635': 0.6, '1.004859': 0.6,
  '1.001022': 0.4, '1.004837': 0.5, '1.004845': 0.3, '1.004884': 0.3, '1.004746': 0.2, '1.005461': 0.2, '2.000528': 0.3, '2.000806': 0.35,
  '1.000689': 0.3, '2.001263': 0.3, '2.001023': 0.3, '2.000986': 0.3, '2.002516': 0.2, '1.001766': 0.2,
  // Cư trú, căn cước
  '1.004222': 0.9, '1.004194': 0.9, '1.003677': 0.5, '1.010041': 0.7, '1.010038': 0.5, '1.003197': 0.5, '1.010028': 0.3,
  '2.001159': 0.5, '1.010039': 0.3, '2.002755': 0.2, '1.002755': 0.2,
  '1.014061': 0.8, '1.014062': 0.6, '1.014063': 0.7, '1.014064': 0.7, '3.000228': 0.6, '1.012566': 0.4,
  // Chứng thực
  '2.000815': 0.9, '2.000884': 0.7, '2.001035': 0.6, '2.001019': 0.4, '2.001406': 0.5, '2.001016': 0.4, '2.000992': 0.3, '2.001008': 0.3,
  '2.000913': 0.2, '2.000942': 0.2,
  // Kinh doanh
  '1.001612': 0.9, '2.000720': 0.5, '1.001266': 0.5, '1.001570': 0.4, '2.000575': 0.4,
  // An sinh, người có công, lao động
  '1.001776': 0.6, '1.014027': 0.5, '1.001699': 0.5, '1.001653': 0.3, '1.011607': 0.6, '1.011608': 0.3, '1.001731': 0.4,
  '1.014171': 0.4, '1.014172': 0.3, '2.000693': 0.5, '1.001613': 0.5, '2.000821': 0.4, '1.001939': 0.4, '1.002759': 0.4, '1.014748': 0.5, '1.001667': 0.3,
  // Đất đai, xây dựng
  '1.013225': 0.5, '1.013229': 0.4, '1.009141': 0.4, '1.012812': 0.4, '1.013967': 0.3,
  // Giao thông, xuất nhập cảnh, tư pháp, quân sự
  '1.013067': 0.5, '1.013076': 0.5, '1.013079': 0.3, '1.013082': 0.3, '1.013080': 0.3,
  '3.000346': 0.3, '3.000347': 0.5, '3.000348': 0.4, '1.001456': 0.5, '1.010386': 0.3, '3.000333': 0.5, '1.013133': 0.5,
};

/**
 * Abbreviations that official names themselves use ("BHXH", "TNLĐ"); the
 * index expands them so a question in full words still meets the name.
 */
export const NAME_ABBREVIATIONS: ReadonlySet<string> = new Set([
  'bhxh', 'bhyt', 'bhtn', 'tnld', 'bnn', 'ubnd', 'gcn', 'qsdd', 'htx', 'cmnd', 'cccd', 'gplx', 'gpxd', 'lltp', 'nvqs',
  'attp', 'pccc', 'nct', 'ncc', 'btxh', 'dn', 'cty',
]);
