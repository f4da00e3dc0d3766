// Compiled by `tsc --noEmit` in make test: the declarations accept the documented API and refuse misuse.
/// <reference path="../../www/sapa.d.ts" />

window.SapaSettings = { site: 'demo', position: 'left', offset_x: 24, color: '#2f6df6', locale: 'id' };
Sapa('open');
Sapa('hideLauncher');
Sapa('identify', { user_id: 'member-42', user_hash: 'ab'.repeat(32), name: 'Dewi' });
Sapa('setAttributes', { company: 'Toko Maju', city: 'Bandung' });
Sapa('on', 'unread', (count) => { const n: number = count; void n; });
Sapa('on', 'message', (m) => { const text: string = m.text; void text; });

// @ts-expect-error: not a command
Sapa('opne');
// @ts-expect-error: identify needs a user_id
Sapa('identify', { name: 'Dewi' });
// @ts-expect-error: not an attribute
Sapa('setAttributes', { plan: 'gold' });
// @ts-expect-error: unread passes a number
Sapa('on', 'unread', (count: string) => count);
// @ts-expect-error: positions are left or right
window.SapaSettings = { position: 'top' };
