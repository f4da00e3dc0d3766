// Helpers for talking to the edge's stream and webhook routes the way the widget and the core do.
import crypto from 'node:crypto';
import WebSocket from 'ws';

/** Opens a session for the default demo site; answers `{token, conversation_id}`. */
export async function openSession(stack) {
  const res = await fetch(`${stack.edgeOrigin}/v1/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.edgeOrigin },
    body: JSON.stringify({ site_id: 'demo', client_id: crypto.randomUUID() }),
  });
  if (res.status !== 201) throw new Error(`session: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Sends a visitor message through the edge. */
export async function visitorSays(stack, session, text) {
  const res = await fetch(`${stack.edgeOrigin}/v1/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.edgeOrigin, Authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ client_id: crypto.randomUUID(), text }),
  });
  if (res.status !== 201) throw new Error(`message: ${res.status} ${await res.text()}`);
  return (await res.json()).message;
}

/** The agent replies through the core's public API, as the workspace's inbox would. */
export async function agentSays(stack, conversationId, text) {
  const { status, body } = await stack.core('POST', '/messages/text', {
    client_request_id: crypto.randomUUID(), conversation_id: conversationId, text,
  });
  if (status !== 200 && status !== 201) throw new Error(`agent reply: ${status} ${JSON.stringify(body)}`);
  return body.data ?? body;
}

/**
 * A stream client: `frames` collects every parsed frame; `closed` resolves with {code, reason}.
 * `ready` resolves at the first `ready` frame (or rejects if the socket closes first).
 */
export function connect(stack, { token, conversation, cursor, origin = stack.edgeOrigin }) {
  const url = new URL('/v1/stream', stack.edgeOrigin.replace('http', 'ws'));
  if (conversation) url.searchParams.set('conversation', conversation);
  if (cursor) url.searchParams.set('cursor', cursor);
  const protocols = token ? ['sapa.v1', token] : ['sapa.v1'];
  const ws = new WebSocket(url, protocols, { headers: { Origin: origin } });
  const client = { ws, frames: [], cursor: undefined };
  client.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  client.ready = new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === 'pong') { client.frames.push('pong'); return; }
      const frame = JSON.parse(text);
      client.frames.push(frame);
      if (frame.cursor) client.cursor = frame.cursor;
      if (frame.type === 'ready') resolve(frame);
    });
    ws.on('error', reject);
    client.closed.then((c) => reject(new Error(`closed before ready: ${c.code} ${c.reason}`)));
  });
  client.ready.catch(() => {});
  client.messages = () => client.frames.filter((f) => f.type === 'message').map((f) => f.message);
  client.close = () => { ws.close(1000); return client.closed; };
  return client;
}

/** Signs and posts a webhook delivery as the core does; `at` is the send time in ms. */
export async function deliver(stack, { id = `evt_${crypto.randomBytes(8).toString('hex')}`, type, data, at = Date.now(), secret = stack.webhookSecret, signature }) {
  const body = JSON.stringify({ id, type, api_version: '2026-06-01', created_at: new Date(at).toISOString(), app_id: 'app', data });
  const unix = Math.floor(at / 1000);
  const mac = crypto.createHmac('sha256', secret).update(`${id}.${unix}.${body}`).digest('base64');
  const res = await fetch(`${stack.edgeOrigin}/webhooks/relasi`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Relasi-Webhook-Id': id,
      'X-Relasi-Timestamp': new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'X-Relasi-Event': type,
      'X-Relasi-Signature': signature ?? `v1=${mac}`,
    },
    body,
  });
  return { status: res.status, body: await res.json() };
}
