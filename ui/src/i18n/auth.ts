// Signing in and the user's own account.
import { defineMessages } from './define.ts';

export const auth = defineMessages({
  en: {
    tagline: 'Security operations console',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    wrongCredentials: 'Wrong username or password',
    account: 'Your account',
    changePassword: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    newPasswordAgain: 'New password again',
    passwordsDiffer: 'The two new passwords differ.',
    passwordChanged: 'Password changed. Your other sessions have ended.',
    changeFailed: 'Could not change the password: {{message}}',
  },
  vi: {
    tagline: 'Bảng điều khiển giám sát an ninh',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    signIn: 'Đăng nhập',
    signingIn: 'Đang đăng nhập…',
    wrongCredentials: 'Sai tên đăng nhập hoặc mật khẩu',
    account: 'Tài khoản của bạn',
    changePassword: 'Đổi mật khẩu',
    currentPassword: 'Mật khẩu hiện tại',
    newPassword: 'Mật khẩu mới',
    newPasswordAgain: 'Nhập lại mật khẩu mới',
    passwordsDiffer: 'Hai mật khẩu mới không khớp nhau.',
    passwordChanged: 'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.',
    changeFailed: 'Không đổi được mật khẩu: {{message}}',
  },
});
