// The training timeline: a slider over the run's checkpoints by epoch, and play/pause, which replays
// the maps across training ("watch the latent space form"). Moving it asks the host to show that
// checkpoint (`explorer/seek`); the whole page (maps, reconstructions, decoder grid) then starts over
// from the answer, PCA aligned onto the run's latest epoch and UMAP warm-started from a neighbouring
// epoch's layout. One seek is in flight at a time and only the newest position is asked for next, so
// dragging or playing never queues work. It lives outside the per-checkpoint app, so focus and play
// survive each new epoch; a reload while playing plays on (saved with the page's UI state).
// Keyboard: the slider is a native range (arrows, Home, End); Space on it, or the button, plays and pauses.

import type { Timeline, TimelineEntry } from '../../shared/timelineApi';
import type { ExplorerInit } from '../../shared/webviewApi';
import { isCancellation, type ExplorerApi } from '../api';
import { el, formatNumber, uniqueId } from '../dom';
import type { Disposables } from '../disposables';
import type { UiStateStore } from '../state';

/** Least time each epoch stays on screen while playing, once its maps are drawn. */
const PLAY_DWELL_MS = 700;

export interface TimelineHost {
  api: ExplorerApi;
  /** Takes the samples of the checkpoint the seek opened and draws its page: true once drawn. */
  show(init: ExplorerInit): Promise<boolean>;
  /** Settles when the shown checkpoint's maps are final (UMAP's last layout, or its failure). */
  settled(): Promise<void>;
  /** Where play/pause is saved, so a reload while playing plays on. */
  state: UiStateStore;
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly play: HTMLButtonElement;
  private readonly readout: HTMLOutputElement;
  private readonly ticks: HTMLElement;
  private entries: TimelineEntry[] = [];
  /** The checkpoint the page shows. */
  private current = '';
  /** The checkpoint our own seek is about to show (so its arrival is not taken for a move from elsewhere). */
  private expecting = '';
  /** A seek's answer was skipped (the user had moved on): the host shows another checkpoint than the page. */
  private hostMoved = false;
  /** The position the user (or play) asked for last, and whether a seek is out. */
  private target = -1;
  private seeking: AbortController | undefined;
  private playing = false;
  private dwell: ReturnType<typeof setTimeout> | undefined;
  /** The saved state said playing: play resumes once the run's epochs are known (the first update). */
  private resumePlay: boolean;

  constructor(
    private readonly host: TimelineHost,
    disposables: Disposables,
  ) {
    const sliderId = uniqueId('timeline');
    this.slider = el('input', {
      class: 'timeline-slider',
      attrs: { type: 'range', min: '0', max: '0', step: '1', value: '0', 'aria-describedby': `${sliderId}-readout` },
      data: { control: 'timeline' },
    });
    this.slider.id = sliderId;
    this.play = el('button', { class: 'timeline-play', text: 'Play', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Replay the maps epoch by epoch (Space on the slider)' }, data: { control: 'timeline-play' } });
    this.readout = el('output', { class: 'timeline-readout', attrs: { id: `${sliderId}-readout`, for: sliderId, 'aria-live': 'polite' } });
    this.ticks = el('ol', { class: 'timeline-ticks', attrs: { 'aria-hidden': 'true' } });
    this.element = el(
      'section',
      { class: 'timeline', data: { view: 'timeline', state: 'idle' }, attrs: { 'aria-label': 'Training timeline', hidden: '' } },
      this.play,
      el('label', { class: 'timeline-label', attrs: { for: sliderId }, text: 'Epoch' }),
      el('div', { class: 'timeline-track' }, this.slider, this.ticks),
      this.readout,
    );
    disposables.listen(this.slider, 'input', () => {
      this.pause();
      this.seekTo(Number(this.slider.value));
    });
    disposables.listen(this.slider, 'keydown', (event) => {
      if (event.key !== ' ') return;
      event.preventDefault();
      this.toggle();
    });
    disposables.listen(this.play, 'click', () => this.toggle());
    this.resumePlay = host.state.current.timelinePlaying === true;
    disposables.add(() => {
      // The page going away (hidden, reloaded) is not a pause: the saved state keeps saying playing.
      this.pause(false);
      this.seeking?.abort();
    });
  }

  /** A new state from the host (ready, reset, or the seek's own answer): the run's epochs and which is shown. */
  update(timeline: Timeline | undefined): void {
    const entries = timeline?.checkpoints ?? [];
    this.element.hidden = entries.length < 2;
    const current = timeline?.current ?? '';
    // Moved from elsewhere (Follow training took the panel to a new epoch): play stops there.
    if (this.playing && current !== this.current && current !== this.expecting) this.pause();
    this.expecting = '';
    this.current = current;
    if (entries.map((e) => e.dir).join('\n') !== this.entries.map((e) => e.dir).join('\n')) {
      this.entries = entries;
      this.slider.max = String(Math.max(0, entries.length - 1));
      this.ticks.replaceChildren(...entries.map((e) => el('li', { text: String(e.epoch), data: { epoch: String(e.epoch) } })));
      this.element.dataset.epochs = entries.map((e) => e.epoch).join(',');
    }
    const index = this.indexOf(this.current);
    // While a newer position is asked for, the slider stays where the user put it.
    if (!this.seeking && index >= 0) {
      this.slider.value = String(index);
      this.target = index;
    }
    this.describe(index);
    if (this.resumePlay && entries.length >= 2) {
      this.resumePlay = false;
      // At the last epoch play was about to stop: it does not start over.
      if (index >= entries.length - 1) this.host.state.update({ timelinePlaying: false });
      else if (!this.playing) this.toggle();
    }
  }

  private indexOf(dir: string): number {
    return this.entries.findIndex((e) => e.dir === dir);
  }

  private describe(index: number): void {
    const entry = this.entries[index];
    if (!entry) return;
    const text = `epoch ${entry.epoch} (${index + 1} of ${this.entries.length}) · loss ${formatNumber(entry.loss)}${entry.valLoss !== null ? ` · val ${formatNumber(entry.valLoss)}` : ''}`;
    this.readout.textContent = text;
    this.slider.setAttribute('aria-valuetext', `epoch ${entry.epoch}, ${index + 1} of ${this.entries.length}`);
    this.element.dataset.epoch = String(entry.epoch);
  }

  /** Asks for position `index`; while a seek is out, only remembers it (the newest wins). */
  private seekTo(index: number): void {
    this.target = index;
    if (this.seeking) return;
    const entry = this.entries[index];
    if (!entry) return;
    if (entry.dir === this.current && !this.hostMoved) {
      this.afterFrame();
      return;
    }
    const controller = new AbortController();
    this.seeking = controller;
    this.element.dataset.state = 'seeking';
    const seek = async (): Promise<void> => {
      const init = await this.host.api.request('explorer/seek', { checkpoint: entry.dir }, controller.signal);
      if (this.seeking !== controller) return;
      // Moved on meanwhile: skip drawing this one, ask for the newest position instead.
      if (this.target !== index) {
        this.seeking = undefined;
        this.hostMoved = true;
        this.seekTo(this.target);
        return;
      }
      this.hostMoved = false;
      this.expecting = entry.dir;
      // The seek lasts until its samples are in and drawn (show calls update() with the new timeline).
      const shown = await this.host.show(init);
      if (this.seeking !== controller) return;
      this.seeking = undefined;
      if (!shown) {
        // Another checkpoint came first (a reset), or its samples could not be had: stop here.
        this.pause();
        this.element.dataset.state = 'idle';
        return;
      }
      if (this.target !== index) this.seekTo(this.target);
      else this.afterFrame();
    };
    seek().catch((error: unknown) => {
      if (this.seeking !== controller) return;
      this.seeking = undefined;
      this.pause();
      this.element.dataset.state = 'idle';
      if (!isCancellation(error)) this.update({ checkpoints: this.entries, current: this.current }); // back to what is shown
    });
  }

  /** The asked-for epoch is shown: idle, or, playing, the next one once its maps are final. */
  private afterFrame(): void {
    this.element.dataset.state = this.playing ? 'playing' : 'idle';
    if (!this.playing) return;
    const shown = this.indexOf(this.current);
    void this.host.settled().then(() => {
      if (!this.playing || this.indexOf(this.current) !== shown) return;
      this.dwell = setTimeout(() => {
        this.dwell = undefined;
        if (!this.playing) return;
        if (shown >= this.entries.length - 1) {
          this.pause();
          return;
        }
        this.slider.value = String(shown + 1);
        this.seekTo(shown + 1);
      }, PLAY_DWELL_MS);
    });
  }

  private toggle(): void {
    if (this.playing) {
      this.pause();
      return;
    }
    if (this.entries.length < 2) return;
    this.playing = true;
    this.host.state.update({ timelinePlaying: true });
    this.play.textContent = 'Pause';
    this.play.setAttribute('aria-pressed', 'true');
    this.element.dataset.state = 'playing';
    // From the end, play starts over at the first epoch.
    const shown = this.indexOf(this.current);
    if (shown >= this.entries.length - 1) {
      this.slider.value = '0';
      this.seekTo(0);
    } else {
      this.afterFrame();
    }
  }

  /** Stops playing; `save` false when the page is going away (see the constructor). */
  private pause(save = true): void {
    if (this.dwell !== undefined) clearTimeout(this.dwell);
    this.dwell = undefined;
    if (!this.playing) return;
    this.playing = false;
    if (save) this.host.state.update({ timelinePlaying: false });
    this.play.textContent = 'Play';
    this.play.setAttribute('aria-pressed', 'false');
    if (!this.seeking) this.element.dataset.state = 'idle';
  }
}
