// Type declarations for the Sapa chat widget's page API: `window.Sapa` and `window.SapaSettings`.
// Served beside the loader (https://EDGE/sapa.d.ts); copy it into a project, or reference it with
//   /// <reference path="./sapa.d.ts" />
// The API it describes is the loader's (www/widget.js) and the app's (widget/src/host_api.rs).

/** The script tag's `data-*` attributes, as `window.SapaSettings` (set before the loader runs). */
interface SapaSettings {
  /** The site id, as `data-site`. Required on one of the two. */
  site?: string;
  /** The edge's origin, as `data-api`; by default the origin the loader came from. */
  api?: string;
  /** The header's title until the site's settings arrive, as `data-title`. */
  title?: string;
  /** The widget's language (`en`, `id`, `ar`…), as `data-locale`; the browser's by default. */
  locale?: string;
  /** `light`, `dark` or `auto` (the visitor's system setting, the default), as `data-theme`. */
  theme?: 'light' | 'dark' | 'auto';
  /** Which bottom corner, as `data-position`; `right` by default. */
  position?: 'left' | 'right';
  /** Distance from the side, 0 to 400 CSS pixels (20 by default), as `data-offset-x`. */
  offset_x?: number;
  /** Distance from the bottom, 0 to 400 CSS pixels (20 by default), as `data-offset-y`. */
  offset_y?: number;
  /** The stacking order, as `data-z-index`. */
  z_index?: number;
  /** The accent colour, `#rrggbb`, as `data-color`, so a first visit's launcher has it at once. */
  color?: string;
}

/** `Sapa('identify', …)`: a signed-in user of the site. */
interface SapaIdentity {
  /** The site's own id for the user. */
  user_id: string;
  /** hex(HMAC-SHA256(the site's identity secret, user_id)), computed on the site's server. */
  user_hash?: string;
  name?: string;
  email?: string;
}

/** `Sapa('setAttributes', …)`: details for the visitor's contact (each at most 50 characters). */
interface SapaAttributes {
  phone?: string;
  company?: string;
  job_title?: string;
  city?: string;
  country?: string;
}

/** What each event passes to its listener. */
interface SapaEvents {
  /** The app has loaded and runs commands at once from now on. */
  ready: undefined;
  /** The panel opened (also the first open, made before the app loaded). */
  open: undefined;
  /** The panel closed. */
  close: undefined;
  /** A new message from an agent. */
  message: { text: string; author: string | null };
  /** How many replies wait unseen while the panel is closed. */
  unread: number;
}

interface SapaApi {
  (command: 'open' | 'close' | 'toggle' | 'hideLauncher' | 'showLauncher' | 'reset'): void;
  (command: 'identify', identity: SapaIdentity): void;
  (command: 'setAttributes', attributes: SapaAttributes): void;
  <E extends keyof SapaEvents>(command: 'on', event: E, listener: (detail: SapaEvents[E]) => void): void;
  /** Calls made before the loader ran, when the page defined the queueing stub. */
  q?: IArguments[];
}

interface Window {
  Sapa: SapaApi;
  SapaSettings?: SapaSettings;
}

declare var Sapa: SapaApi;
declare var SapaSettings: SapaSettings | undefined;
