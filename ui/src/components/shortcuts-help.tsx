// The keyboard shortcuts overlay, opened with `?` and closed with Escape or its button:
// every shortcut the current page registered (lib/shortcuts.ts), by group.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegisteredShortcuts, useShortcuts } from '../lib/shortcuts.ts';

function keyLabel(key: string): string {
  return key === ' ' ? 'Space' : key;
}

export function ShortcutsHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const shortcuts = useRegisteredShortcuts();
  const closeButton = useRef<HTMLButtonElement>(null);
  const general = t('shortcuts.title');

  useShortcuts([
    { key: '?', group: general, description: t('shortcuts.help'), run: () => setOpen((o) => !o) },
    ...(open ? [{ key: 'Escape', group: general, description: t('shortcuts.close'), inFields: true, run: () => setOpen(false) }] : []),
  ]);

  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);

  if (!open) return null;
  const groups = new Map<string, Array<{ key: string; description: string }>>();
  for (const s of shortcuts) {
    const list = groups.get(s.group) ?? [];
    if (!list.some((e) => e.key === s.key)) list.push({ key: s.key, description: s.description });
    groups.set(s.group, list);
  }
  return (
    <div className="overlay" onClick={() => setOpen(false)}>
      <section
        className="shortcuts-help"
        role="dialog"
        aria-modal="true"
        aria-label={t('shortcuts.title')}
        onClick={(ev) => ev.stopPropagation()}
      >
        <header className="shortcuts-head">
          <h2>{t('shortcuts.title')}</h2>
          <button ref={closeButton} type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
            {t('close')}
          </button>
        </header>
        {[...groups].map(([group, list]) => (
          <div key={group} className="shortcuts-group">
            <h3>{group}</h3>
            <dl>
              {list.map((s) => (
                <div key={s.key} className="shortcut-row">
                  <dt>
                    <kbd>{keyLabel(s.key)}</kbd>
                  </dt>
                  <dd>{s.description}</dd>
                </div>
              ))}
            </dl>
          </div>
        ))}
      </section>
    </div>
  );
}
