import { api } from './api.js';
import { App } from './app.js';
import { PALETTE } from './palette.js';

declare global {
  interface Window {
    /** A handle for the e2e tests and the bench: read-only views of the page's state plus a few actions. */
    aoiViewer?: ReturnType<typeof handle>;
  }
}

function handle(app: App) {
  return {
    get renderer() {
      return app.map.points.name;
    },
    get tick() {
      return app.playback.tick;
    },
    get ready() {
      return app.playback.ready;
    },
    get entityCount() {
      return app.playback.table.count;
    },
    get drawnFrames() {
      return app.drawnFrames;
    },
    /** Tick, entity count and page time (ms since navigation) of the last frame drawn. */
    get lastDrawn() {
      return app.lastDrawn;
    },
    /** Page coordinates of an entity, or null when it is not alive at the current tick. */
    pageOf(id: number) {
      const table = app.playback.table;
      const slot = table.slots.get(id);
      return slot === undefined ? null : app.map.pageOfSlot(table, slot);
    },
    /** Seeks like a user would (in a live stream, a tick before the newest stops following). */
    seek: (tick: number) => app.transport.seek(tick),
    /** Live: whether the playhead follows the newest tick. */
    get following() {
      return app.transport.following;
    },
    /** The ticks the timeline track shows (zoom). */
    get timelineWindow() {
      return { from: app.timeline.from, to: app.timeline.to };
    },
    select: (id: number) => app.select(id),
    play(speed = 1) {
      app.playback.speed = speed;
      app.playback.playing = true;
    },
    pause() {
      app.playback.playing = false;
    },
    get playing() {
      return app.playback.playing;
    },
    /** The map's layers and camera: what the last frame drew, and its controls. */
    map: {
      fitToWorld: () => app.map.fitToWorld(),
      setHeat: (on: boolean) => app.map.setHeat(on),
      setGrid(on: boolean) {
        app.map.grid = on;
        app.invalidate();
      },
      heatCountAt: (x: number, y: number) => app.map.heatCountAt(x, y),
      get stats() {
        return app.map.stats;
      },
      /** Colour indices drawn on the points layer, and their RGB. */
      get colours() {
        return [...app.map.coloursInUse].map((index) => ({ index, rgb: PALETTE[index]! }));
      },
      get scale() {
        return app.map.camera.scale;
      },
      /** Page coordinates of a world point. */
      toPage: (x: number, y: number) => app.map.toPage(x, y),
      /** Height: whether it is offered, the modes on, and the ramp's z range. */
      get height() {
        const { available, colourBy, projection, exaggeration, low, high } = app.map.height;
        return { available, colourBy, projection, exaggeration, low, high };
      },
    },
  };
}

const renderer = new URLSearchParams(location.search).get('renderer');
api.info().then(
  (info) => {
    window.aoiViewer = handle(new App(info, renderer));
  },
  (error: Error) => {
    document.querySelector('[data-testid="status"]')!.textContent = `error: ${error.message}`;
  },
);
