// The announcement's sound, made with the Web Audio API (no audio file to ship or to
// allow in the Content-Security-Policy): two short falling tones. Browsers let a page
// start audio only after the user interacted with it, so the context is created, or
// resumed, on a click: the switch itself, or any click while the sound is on.
let context: AudioContext | null = null;

/** Creates or resumes the audio context; call it from a user gesture (a click). */
export function unlockAlertSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    context = null;
  }
}

/** Plays the chime; silently nothing when the browser has not allowed audio yet. */
export function playAlertSound(): void {
  unlockAlertSound();
  const audio = context;
  if (audio === null || audio.state !== 'running') return;
  const start = audio.currentTime + 0.02;
  for (const [i, frequency] of [880, 660].entries()) {
    const at = start + i * 0.18;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, at);
    // A quick attack and a short decay: audible in a quiet room, not a siren.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.17);
  }
}
