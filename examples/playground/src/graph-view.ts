/// <reference lib="dom" />
/**
 * The graph pane: the trace drawn by Graphviz (WebAssembly) as SVG. The stylesheet says how, per
 * screen size, through two custom properties of the pane: `--rankdir` (`LR` in the wide, short pane
 * of a laptop screen, `TB` on a phone) and `--fit` (`both`: scale the picture down to fit the pane;
 * `width`: to its width only, the page scrolls). Never beyond the natural size; with "actual size"
 * the picture keeps its natural size and the pane scrolls to keep the current node in view.
 * @module
 */
import type { Trace, TraceFrame } from '@dualtape/core';
import { renderDotSvg } from '@dualtape/viz';
import { errorText } from './evaluate.js';
import { traceGraphDot } from './trace-graph.js';

export class GraphView {
  private ticket = 0;
  private natural: { width: number; height: number } | null = null;
  private last: { t: Trace; frame: TraceFrame; notes: ReadonlyMap<number, string> | undefined; rankdir: 'TB' | 'LR' } | null = null;

  constructor(private readonly pane: HTMLDivElement, private readonly zoom: HTMLInputElement) {
    zoom.addEventListener('change', () => {
      this.fit();
      this.follow();
    });
    let pending = 0;
    new ResizeObserver(() => {
      // In the next frame, not inside the observer: a rescale that resizes the pane from inside its
      // own observer is a "ResizeObserver loop", which the browser reports as an error event.
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        // Crossing the stylesheet's breakpoint turns the layout: draw again, else just rescale.
        if (this.last && this.last.rankdir !== this.rankdir()) void this.draw(this.last.t, this.last.frame, this.last.notes);
        else this.fit();
      });
    }).observe(pane);
  }

  /** Draws the trace at `frame`; a later call wins over one still rendering. */
  async draw(t: Trace, frame: TraceFrame, notes: ReadonlyMap<number, string> | undefined): Promise<void> {
    const ticket = ++this.ticket;
    const rankdir = this.rankdir();
    this.last = { t, frame, notes, rankdir };
    try {
      const svg = await renderDotSvg(traceGraphDot(t, { frame, notes, rankdir }));
      if (ticket !== this.ticket) return;
      this.pane.innerHTML = svg.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?/, '');
      const el = this.pane.querySelector('svg');
      // Graphviz sizes the picture in points; CSS pixels are 4/3 of a point.
      this.natural = el ? { width: parseFloat(el.getAttribute('width') ?? '0') * 4 / 3, height: parseFloat(el.getAttribute('height') ?? '0') * 4 / 3 } : null;
      this.fit();
      this.pane.dataset.position = String(frame.position);
      this.pane.dataset.node = String(frame.node);
      this.follow();
    } catch (error) {
      if (ticket === this.ticket) this.clear(`The graph could not be drawn: ${errorText(error)}`);
    }
  }

  /** Replaces the picture by a message. */
  clear(message: string): void {
    this.ticket++;
    this.natural = null;
    this.last = null;
    const note = document.createElement('div');
    note.className = 'placeholder';
    note.textContent = message;
    this.pane.replaceChildren(note);
    delete this.pane.dataset.position;
  }

  private rankdir(): 'TB' | 'LR' {
    return getComputedStyle(this.pane).getPropertyValue('--rankdir').trim() === 'LR' ? 'LR' : 'TB';
  }

  /** Sizes the SVG: natural size, or scaled down to the pane (see the module comment). */
  private fit(): void {
    const el = this.pane.querySelector('svg');
    if (!el || !this.natural) return;
    const { width, height } = this.natural;
    let scale = 1;
    if (!this.zoom.checked) {
      const style = getComputedStyle(this.pane);
      const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      const padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      const both = style.getPropertyValue('--fit').trim() === 'both';
      // Round down a pixel so that rounding never makes a scrollbar appear.
      const room = { width: this.pane.clientWidth - padX - 1, height: both ? this.pane.clientHeight - padY - 1 : Infinity };
      scale = Math.min(1, room.width / width, room.height / height);
    }
    el.style.width = `${Math.max(0, width * scale)}px`;
    el.style.height = `${Math.max(0, height * scale)}px`;
    this.pane.dataset.scale = scale.toFixed(3);
  }

  /** At actual size, scrolls the pane (not the page) so the current node is in the middle. */
  private follow(): void {
    if (!this.zoom.checked) return;
    const target = this.pane.querySelector(`#node_${this.pane.dataset.node ?? ''}`);
    if (!target) return;
    const box = this.pane.getBoundingClientRect();
    const r = target.getBoundingClientRect();
    const top = this.pane.scrollTop + r.top - box.top - (box.height - r.height) / 2;
    const left = this.pane.scrollLeft + r.left - box.left - (box.width - r.width) / 2;
    this.pane.scrollTo({ top: Math.max(0, top), left: Math.max(0, left), behavior: 'smooth' });
  }
}
