// Desktop notifications through the browser's Notification API: whether they can be
// shown, asking for permission (only ever from the user switching them on), and
// showing one. One tag for every announcement, so a newer one replaces the last
// instead of piling up.
export type DesktopPermission = 'granted' | 'denied' | 'default' | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification.permission : 'unsupported';
}

/** Asks the browser (a prompt the first time); answers the permission it ends with. */
export async function askDesktopPermission(): Promise<DesktopPermission> {
  if (desktopPermission() === 'unsupported') return 'unsupported';
  if (window.Notification.permission !== 'default') return window.Notification.permission;
  try {
    return await window.Notification.requestPermission();
  } catch {
    return desktopPermission();
  }
}

/** Shows a notification when permitted; a click brings the console forward and runs `onClick`. */
export function showDesktopNotice(title: string, body: string, onClick: () => void): boolean {
  if (desktopPermission() !== 'granted') return false;
  try {
    const notice = new window.Notification(title, { body, tag: 'vigil-alerts' });
    notice.onclick = () => {
      window.focus();
      onClick();
      notice.close();
    };
    return true;
  } catch {
    // Some browsers only allow notifications from a service worker: nothing to show.
    return false;
  }
}
