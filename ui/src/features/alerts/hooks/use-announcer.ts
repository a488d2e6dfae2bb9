// Announces new critical (and, if the analyst asked, high) alerts with a sound and/or
// a desktop notification, as the analyst switched them on (lib/announce-settings.ts),
// through the rate-limiting gate (lib/announcement-gate.ts). The live provider hands
// it only alerts raised while the console is open (isFreshlyRaised): never the list's
// first load, a page of older alerts, or an old alert that was merely updated.
import { useCallback, useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { playAlertSound, unlockAlertSound } from '../lib/alert-sound.ts';
import { AnnouncementGate, type Announcement } from '../lib/announcement-gate.ts';
import { readAnnounceSettings, useAnnounceSettings } from '../lib/announce-settings.ts';
import { showDesktopNotice } from '../lib/desktop-notice.ts';
import { hostLabel, type Alert, type Severity } from '../types/alert.ts';

/** An alert whose first write is this recent relative to its latest one was raised just now, not reopened. */
const FRESH_MS = 5 * 60_000;

/**
 * Whether a stream frame is an alert raised just now: status new, and its creation
 * close to its latest update (the server's two clocks, so a wrong browser clock does
 * not matter). An old alert updated by a repeat has a created long before updated.
 */
export function isFreshlyRaised(alert: Alert): boolean {
  if (alert.status !== 'new') return false;
  const age = Date.parse(alert.updated) - Date.parse(alert.created);
  return Number.isFinite(age) && age <= FRESH_MS;
}

export function useAnnouncer(username: string): (alerts: readonly Alert[]) => void {
  const { t } = useTranslation('alerts');
  const navigate = useNavigate();
  const settings = useAnnounceSettings(username);
  const say = useRef<(announcement: Announcement) => void>(() => undefined);
  say.current = ({ critical, high, first }) => {
    const now = readAnnounceSettings(username);
    const parts = [
      ...(critical > 0 ? [t('announce.critical', { count: critical, n: formatCount(critical) })] : []),
      ...(high > 0 ? [t('announce.high', { count: high, n: formatCount(high) })] : []),
    ];
    const total = critical + high;
    const firstLine = t('announce.first', { title: revealControls(first.rule.title), host: hostLabel(first), unit: revealControls(first.organization.name) });
    const body = total > 1 ? `${firstLine} ${t('announce.more', { count: total - 1, n: formatCount(total - 1) })}` : firstLine;
    if (now.sound) playAlertSound();
    if (now.desktop) {
      const severity = critical > 0 ? (now.high && high > 0 ? 'high,critical' : 'critical') : 'high';
      showDesktopNotice(parts.join(', '), body, () => void navigate(`/alerts?severity=${severity}`));
    }
  };
  const gate = useRef<AnnouncementGate | null>(null);
  gate.current ??= new AnnouncementGate((announcement) => say.current(announcement));

  const on = settings.sound || settings.desktop;
  useEffect(() => {
    if (!on) gate.current?.stop();
  }, [on]);
  useEffect(() => () => gate.current?.stop(), []);

  // With the sound on, any click keeps the browser's audio allowed (autoplay rules).
  useEffect(() => {
    if (!settings.sound) return;
    const unlock = () => unlockAlertSound();
    document.addEventListener('pointerdown', unlock, { capture: true });
    document.addEventListener('keydown', unlock, { capture: true });
    return () => {
      document.removeEventListener('pointerdown', unlock, { capture: true });
      document.removeEventListener('keydown', unlock, { capture: true });
    };
  }, [settings.sound]);

  return useCallback(
    (alerts: readonly Alert[]) => {
      const current = readAnnounceSettings(username);
      if (!current.sound && !current.desktop) return;
      const severities = new Set<Severity>(current.high ? ['critical', 'high'] : ['critical']);
      gate.current?.add(alerts, severities);
    },
    [username],
  );
}
