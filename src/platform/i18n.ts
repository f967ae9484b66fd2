/**
 * The one i18n layer. Vietnamese is the source language; English covers the
 * page shell and falls back to Vietnamese where a string is not translated.
 * Features add their strings with `addMessages` at module load.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

type Dict = Record<string, string>;
const dictionaries: Record<Locale, Dict> = { vi: {}, en: {} };

export function addMessages(vi: Dict, en: Dict = {}): void {
  for (const key of Object.keys(vi)) {
    if (key in dictionaries.vi && dictionaries.vi[key] !== vi[key]) throw new Error(`i18n: duplicate key ${key}`);
  }
  Object.assign(dictionaries.vi, vi);
  Object.assign(dictionaries.en, en);
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => {
    const template = dictionaries[locale][key] ?? dictionaries.vi[key];
    if (template === undefined) throw new Error(`i18n: missing key ${key}`);
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : template;
  };
}

export function hasMessage(key: string): boolean {
  return key in dictionaries.vi;
}

export function parseLocale(value: string | undefined): Locale {
  return value === 'en' ? 'en' : 'vi';
}

addMessages(
  {
    'app.name': 'Xã Số',
    'app.tagline': 'Dịch vụ công của xã, phường',
    'shell.skip': 'Bỏ qua, đến nội dung chính',
    'shell.search.label': 'Bạn cần làm thủ tục gì?',
    'shell.search.placeholder': 'Ví dụ: làm giấy khai sinh cho con',
    'shell.search.button': 'Tìm',
    'shell.nav.home': 'Trang chủ',
    'shell.nav.account': 'Tài khoản của tôi',
    'shell.nav.signin': 'Đăng nhập',
    'shell.nav.register': 'Đăng ký tài khoản',
    'shell.nav.signout': 'Đăng xuất',
    'shell.nav.counter': 'Quầy một cửa',
    'shell.nav.dossiers': 'Hồ sơ của tôi',
    'shell.nav.inbox': 'Thông báo',
    'shell.nav.inboxUnread': 'Thông báo ({n} chưa đọc)',
    'shell.textsize.larger': 'Chữ to hơn',
    'shell.textsize.normal': 'Chữ cỡ thường',
    'shell.lang.switch': 'English',
    'shell.footer': 'Xã Số — phần mềm mã nguồn mở phục vụ chính quyền cấp xã. Cần giúp đỡ? Hỏi cán bộ bộ phận một cửa hoặc tổ công nghệ số cộng đồng ở thôn, tổ dân phố của bạn.',
    'form.errors.title': 'Có lỗi cần sửa',
    'form.errors.intro': 'Vui lòng sửa các mục sau rồi gửi lại:',
    'form.csrf': 'Trang đã mở quá lâu hoặc phiên làm việc đã hết. Vui lòng tải lại trang và gửi lại.',
    'error.404.title': 'Không tìm thấy trang',
    'error.404.body': 'Địa chỉ này không có trên Xã Số. Có thể đường dẫn bị gõ sai hoặc trang đã được chuyển đi.',
    'error.403.title': 'Bạn không có quyền xem trang này',
    'error.403.body': 'Tài khoản của bạn không được phép làm việc này. Nếu bạn nghĩ đây là nhầm lẫn, hãy liên hệ quản trị viên của xã.',
    'error.413.title': 'Dữ liệu gửi lên quá lớn',
    'error.413.body': 'Nội dung bạn gửi vượt quá giới hạn cho phép. Vui lòng gửi tệp nhỏ hơn.',
    'error.500.title': 'Hệ thống đang gặp sự cố',
    'error.500.body': 'Yêu cầu của bạn chưa được xử lý. Vui lòng thử lại sau ít phút. Mã sự cố: {id}',
    'error.400.title': 'Yêu cầu không hợp lệ',
    'error.back.home': 'Về trang chủ',
    'error.json': 'Dữ liệu gửi lên không phải JSON hợp lệ.',
    'error.validation': 'Dữ liệu chưa hợp lệ. Xem chi tiết từng trường.',
    'error.unauthenticated': 'Bạn cần đăng nhập.',
    'error.forbidden': 'Bạn không có quyền làm việc này.',
    'error.notfound': 'Không tìm thấy.',
    'error.ratelimited': 'Bạn thao tác quá nhiều lần. Vui lòng đợi {minutes} phút rồi thử lại.',
    'shell.demo.title': 'MÁY CHỦ THỬ NGHIỆM.',
    'shell.demo.body': 'Đang có tài khoản mẫu dùng chung một mật khẩu công khai: ai cũng đăng nhập được. Không nhập dữ liệu thật; người quản trị cần xóa các tài khoản mẫu trước khi dùng thật.',
    'error.controlchars': 'Địa chỉ có ký tự không hợp lệ (ký tự điều khiển). Hãy gõ lại địa chỉ hoặc quay lại trang trước.',
  },
  {
    'app.tagline': 'Public services of your commune',
    'shell.skip': 'Skip to main content',
    'shell.search.label': 'What do you need to do?',
    'shell.search.placeholder': 'For example: register my child’s birth',
    'shell.search.button': 'Search',
    'shell.nav.home': 'Home',
    'shell.nav.account': 'My account',
    'shell.nav.signin': 'Sign in',
    'shell.nav.register': 'Create an account',
    'shell.nav.signout': 'Sign out',
    'shell.nav.counter': 'One-stop counter',
    'shell.nav.dossiers': 'My dossiers',
    'shell.nav.inbox': 'Notifications',
    'shell.nav.inboxUnread': 'Notifications ({n} unread)',
    'shell.textsize.larger': 'Larger text',
    'shell.textsize.normal': 'Normal text',
    'shell.lang.switch': 'Tiếng Việt',
    'shell.footer': 'Xã Số — open-source software for commune governments. Need help? Ask an official at the one-stop counter or your village’s community digital-technology team.',
    'shell.demo.title': 'DEMONSTRATION SERVER.',
    'shell.demo.body': 'Demo accounts sharing one published password exist: anyone can sign in. Enter no real data; the administrator must remove the demo accounts before real use.',
    'form.errors.title': 'There is a problem',
    'form.errors.intro': 'Please correct the following and submit again:',
    'form.csrf': 'The page was open too long or your session ended. Please reload the page and submit again.',
    'error.404.title': 'Page not found',
    'error.404.body': 'This address does not exist on Xã Số. The link may be mistyped or the page has moved.',
    'error.403.title': 'You do not have permission to see this page',
    'error.403.body': 'Your account may not do this. If you think this is a mistake, contact your commune’s administrator.',
    'error.413.title': 'What you sent is too large',
    'error.413.body': 'Your submission exceeds the allowed size. Please send a smaller file.',
    'error.500.title': 'Something went wrong',
    'error.500.body': 'Your request was not completed. Please try again in a few minutes. Incident code: {id}',
    'error.400.title': 'Invalid request',
    'error.back.home': 'Back to the home page',
  },
);
