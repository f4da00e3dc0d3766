// The bench's pass-through Worker (bench/overhead.mjs): the visitor's send as the widget makes it, forwarded to
// the core with the core's credential and nothing else: no origin check, no session token, no validation, no
// rate limit, no idempotency record. Run in the same `wrangler dev` (workerd) as the edge, it is the floor the
// edge is measured against. Its targets and secrets are Worker vars (bench/passthrough.mjs sets them):
// CORE_BASE_URL and CORE_API_KEY (Relasi.U); RIO_WEBHOOK_URL, RIO_CHANNEL_ID and RIO_TOKEN (a respond.io
// Custom Channel).
//
// POST /relasi/{conversation_id}/messages     {client_id, text} -> POST {CORE_BASE_URL}/livechat/messages
// POST /respondio/{conversation_id}/messages  {client_id, text} -> POST {RIO_WEBHOOK_URL}, one message event
//   for the contact the conversation id `rio.<site>.<contactId>` ends with.
// The core's answer is returned as it came.

const post = (url, token, body) => fetch(url, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return new Response('ok');
    const route = pathname.match(/^\/(relasi|respondio)\/([^/]+)\/messages$/);
    if (request.method !== 'POST' || !route) return new Response('not found', { status: 404 });
    const conversationId = decodeURIComponent(route[2]);
    const { client_id: clientId, text } = await request.json();
    if (route[1] === 'relasi') {
      return post(`${env.CORE_BASE_URL}/livechat/messages`, env.CORE_API_KEY,
        { client_request_id: clientId, conversation_id: conversationId, text });
    }
    return post(env.RIO_WEBHOOK_URL, env.RIO_TOKEN, {
      channelId: env.RIO_CHANNEL_ID,
      contactId: conversationId.split('.').at(-1),
      events: [{ type: 'message', mId: clientId, timestamp: Date.now(), message: { type: 'text', text } }],
    });
  },
};
