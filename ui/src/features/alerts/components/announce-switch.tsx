// The toolbar's "Announce" button and its small panel: switch the sound and the
// desktop notification for new critical alerts on or off (and high alerts too), each
// remembered for this user on this computer. Switching the desktop notification on
// is what asks the browser for permission; a refusal is said plainly and the switch
// stays off. Switching the sound on is a click, which also lets the browser play it.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../../app/session.tsx';
import { playAlertSound, unlockAlertSound } from '../lib/alert-sound.ts';
import { useAnnounceSettings, writeAnnounceSettings } from '../lib/announce-settings.ts';
import { askDesktopPermission, desktopPermission, showDesktopNotice } from '../lib/desktop-notice.ts';

export function AnnounceSwitch() {
  const { t } = useTranslation('alerts');
  const { username } = useUser();
  const settings = useAnnounceSettings(username);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const on = settings.sound || settings.desktop;

  // A click elsewhere or Escape closes the panel.
  useEffect(() => {
    if (!open) return;
    const away = (ev: PointerEvent) => {
      if (!root.current?.contains(ev.target as Node)) setOpen(false);
    };
    const escape = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const switchDesktop = async (wanted: boolean) => {
    setProblem(null);
    if (!wanted) {
      writeAnnounceSettings(username, { desktop: false });
      return;
    }
    const permission = await askDesktopPermission();
    if (permission === 'granted') writeAnnounceSettings(username, { desktop: true });
    else setProblem(permission === 'unsupported' ? t('announce.unsupported') : t('announce.denied'));
  };

  return (
    <div className="announce" ref={root}>
      <button
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls={panelId}
        aria-pressed={on}
        title={t('announce.title')}
        onClick={() => setOpen((v) => !v)}
      >
        {on ? t('announce.buttonOn') : t('announce.button')}
      </button>
      {open ? (
        <div className="announce-panel" id={panelId} role="group" aria-label={t('announce.heading')}>
          <h3>{t('announce.heading')}</h3>
          <label>
            <input
              type="checkbox"
              checked={settings.sound}
              onChange={(ev) => {
                if (ev.target.checked) unlockAlertSound();
                writeAnnounceSettings(username, { sound: ev.target.checked });
              }}
            />
            {t('announce.sound')}
          </label>
          <label>
            <input type="checkbox" checked={settings.desktop && desktopPermission() === 'granted'} onChange={(ev) => void switchDesktop(ev.target.checked)} />
            {t('announce.desktop')}
          </label>
          <label>
            <input type="checkbox" checked={settings.high} onChange={(ev) => writeAnnounceSettings(username, { high: ev.target.checked })} />
            {t('announce.includeHigh')}
          </label>
          {problem ? (
            <p className="error-text" role="alert">
              {problem}
            </p>
          ) : null}
          <button
            type="button"
            className="btn"
            disabled={!on}
            onClick={() => {
              if (settings.sound) playAlertSound();
              if (settings.desktop) showDesktopNotice(t('announce.testTitle'), t('announce.note'), () => undefined);
            }}
          >
            {t('announce.test')}
          </button>
          <p className="muted">{t('announce.note')}</p>
        </div>
      ) : null}
    </div>
  );
}
