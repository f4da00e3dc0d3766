// One driver per core platform, so the scenarios every core must pass (every-core.test.mjs) are written once.
// A driver starts its stack and speaks to that core's simulator the way the platform's own inbox would:
// faults on the write path, what the core stored, an agent's reply, and the secrets nothing may leak.
import crypto from 'node:crypto';
import { SIM_KEY, startStack } from './harness.mjs';
import { agentSays } from './stream.mjs';

/** Relasi.U, with its webhooks on (the default deployment). Visitor writes go to its livechat API. */
async function relasi() {
  const stack = await startStack({ webhooks: true });
  const messages = async (conversationId) =>
    (await stack.core('GET', `/messages?conversation_id=${conversationId}&per_page=500`)).body.data;
  return {
    name: 'relasi',
    stack,
    writePath: '/livechat/messages',
    /** Whether the core finds a write again after a lost answer (Relasi.U: by its client_request_id). */
    findsLostWrites: true,
    fault: (rule) => stack.fault(rule),
    clearFaults: () => stack.fault(null),
    /** Every call that reached the core: `{method, path, status}`. */
    log: () => stack.coreLog(),
    /** The visitor's messages with this text that the core holds: `{text, id}`. */
    async visitorCopies(conversationId, text) {
      return (await messages(conversationId))
        .filter((m) => m.direction === 'in' && m.text === text)
        .map((m) => ({ text: m.text, id: m.client_request_id }));
    },
    agentSays: (conversationId, text) => agentSays(stack, conversationId, text),
    secrets: [SIM_KEY, SIM_KEY.split('.')[1], stack.sessionSecret, stack.webhookSecret],
    stop: () => stack.stop(),
  };
}

/** respond.io through its Custom Channel: visitor writes are posted to the channel's webhook URL. */
async function respondio() {
  const stack = await startStack({ respondio: true });
  const { rio } = stack;
  // The edge names a respond.io conversation `rio.<site>.<contactId>`.
  const contactOf = (conversationId) => conversationId.split('.').at(-1);
  return {
    name: 'respondio',
    stack,
    writePath: '/custom/channel/webhook',
    // Nothing documents that respond.io drops a repeated mId: a retry after a lost answer can only carry
    // the same mId, and respond.io (like the simulator by default) may store it again.
    findsLostWrites: false,
    async fault(rule) {
      const res = await rio.call('POST', '/faults', rule);
      if (res.status !== 201) throw new Error(`fault ${JSON.stringify(rule)}: ${res.status}`);
    },
    clearFaults: () => rio.call('DELETE', '/faults'),
    log: async () => (await rio.call('GET', '/log')).body,
    async visitorCopies(conversationId, text) {
      const contact = encodeURIComponent(contactOf(conversationId));
      const { body } = await rio.call('GET', `/contacts/${contact}/messages`);
      return (body?.messages ?? [])
        .filter((m) => m.direction === 'incoming' && m.text === text)
        .map((m) => ({ text: m.text, id: m.mId }));
    },
    async agentSays(conversationId, text) {
      const { body } = await rio.call('POST', '/reply', { channelId: rio.channelId, contactId: contactOf(conversationId), text });
      if (body?.status !== 'sent') throw new Error(`agent reply: ${JSON.stringify(body)}`);
      return body;
    },
    secrets: [SIM_KEY, SIM_KEY.split('.')[1], stack.sessionSecret, rio.token, rio.pathSecret],
    stop: () => stack.stop(),
  };
}

/** Every core the edge serves, by name: `await CORES.respondio()` starts a stack on it. */
export const CORES = { relasi, respondio };

/** A fresh idempotency id, as the widget makes one per write. */
export const uuid = () => crypto.randomUUID();
