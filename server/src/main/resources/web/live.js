// The WebSocket (spec section 9): the same calls, plus push. One socket per tab; it reconnects by itself with
// backoff and resubscribes each followed channel from the last id seen with its epoch, so that nothing is lost
// (ws/5) and nothing is shown twice (ids at or below the last seen are dropped).
import { ChatFailure, dataOf } from './api.js';

const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 10_000;

/** What the page hears: messages, gaps, resets, presence, and the connection's state. */
export class Live {
  /**
   * @param sesskey  the session's key
   * @param listener { message(channel, msg, isHistory), gap(channel, from, to), reset(channel),
   *                   presence(channel, event, username), connection(state, detail), sessionEnded(),
   *                   followLost(channel, failure) }
   * @param checkSession resolves when the session is still live, rejects with its ChatFailure when not
   */
  constructor(sesskey, listener, checkSession) {
    this.sesskey = sesskey;
    this.listener = listener;
    this.checkSession = checkSession;
    // name -> { lastId, epoch, historyLast, answered }; in the order they were last opened
    this.channels = new Map();
    this.pending = new Map();  // request id -> { resolve, reject }
    this.nextId = 1;
    this.delay = FIRST_DELAY_MS;
    this.socket = null;
    this.closed = false;
    this.open();
  }

  open() {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('sesskey', String(this.sesskey)); // browsers cannot set headers on a socket (ws/1)
    const socket = new WebSocket(url);
    this.socket = socket;
    this.listener.connection('connecting');
    socket.onopen = () => {
      this.delay = FIRST_DELAY_MS;
      this.listener.connection('open');
      for (const name of this.channels.keys()) {
        this.subscribe(name);
      }
    };
    socket.onmessage = event => this.receive(JSON.parse(event.data));
    socket.onclose = event => this.lost(socket, event);
  }

  /** The socket closed: the session ended (1008), or it dropped; then try again after a while, longer each time. */
  lost(socket, event) {
    if (socket !== this.socket) {
      return;
    }
    for (const { reject } of this.pending.values()) {
      reject(new ChatFailure('NETWORK', 'the connection closed', null));
    }
    this.pending.clear();
    if (this.closed) {
      return;
    }
    if (event.code === 1008) {
      this.close();
      this.listener.sessionEnded();
      return;
    }
    // Jitter, so that the tabs of a restarted server do not all come back in the same instant.
    const wait = Math.round(this.delay * (0.75 + Math.random() / 2));
    this.delay = Math.min(this.delay * 2, LONGEST_DELAY_MS);
    this.listener.connection('lost', wait);
    this.retry = setTimeout(() => this.reopen(), wait);
  }

  /** A refused handshake looks like any drop to a page (no status is shown to it): ask over HTTP whether the
   * session is still there before trying again. */
  async reopen() {
    try {
      await this.checkSession();
    } catch (failure) {
      if (failure.error === 'INVALID_SESSION') {
        this.close();
        this.listener.sessionEnded();
        return;
      }
    }
    if (!this.closed) {
      this.open();
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    if (this.socket) {
      this.socket.close(1000);
    }
  }

  /** A call over the socket; rejects with a ChatFailure. */
  call(name, body) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ChatFailure('NETWORK', 'not connected', null));
    }
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, call: name, body }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** Follows a channel from now on (its kept history first), and marks it the most recently opened. */
  follow(name) {
    const known = this.channels.get(name);
    this.channels.delete(name);
    this.channels.set(name, known || { lastId: 0, epoch: null, historyLast: 0, answered: false });
    if (!known) {
      this.subscribe(name);
    }
  }

  async subscribe(name) {
    const state = this.channels.get(name);
    const body = { channel: name, after: state.lastId };
    if (state.epoch) {
      body.epoch = state.epoch;
    }
    try {
      const answer = await this.call('subscribe', body);
      if (!state.answered) {
        state.historyLast = answer.last; // what came before the tab followed it: history, not unread
        state.answered = true;
      }
      state.epoch = typeof answer.epoch === 'string' ? answer.epoch : state.epoch;
    } catch (failure) {
      if (failure.error === 'LIMIT_REACHED' && this.channels.size > 1) {
        // The server's bound on subscriptions per socket: let go of the channel opened longest ago.
        const oldest = this.channels.keys().next().value;
        this.channels.delete(oldest);
        this.call('unsubscribe', { channel: oldest }).catch(() => {});
        this.listener.followLost(oldest, failure);
        this.subscribe(name);
      } else if (failure.error === 'RATE_LIMITED' && failure.retryAfter) {
        setTimeout(() => this.channels.has(name) && this.subscribe(name), failure.retryAfter * 1000);
      } else if (failure.error !== 'NETWORK') { // a drop resubscribes anyway
        this.channels.delete(name);
        this.listener.followLost(name, failure);
      }
    }
  }

  receive(frame) {
    if ('id' in frame) {
      const waiting = this.pending.get(frame.id);
      if (waiting) {
        this.pending.delete(frame.id);
        try {
          waiting.resolve(dataOf(frame, null));
        } catch (failure) {
          waiting.reject(failure);
        }
      }
      return;
    }
    const state = this.channels.get(frame.channel);
    switch (frame.event) {
      case 'message': {
        const msg = frame.data;
        if (!state || !msg || !(msg.messageid > state.lastId)) {
          return; // an old subscription's, or one seen already (a resubscribe's overlap)
        }
        state.lastId = msg.messageid;
        this.listener.message(frame.channel, msg, msg.messageid <= state.historyLast);
        return;
      }
      case 'gap':
        if (state && frame.to > state.lastId) {
          state.lastId = frame.to;
          this.listener.gap(frame.channel, frame.from, frame.to);
        }
        return;
      case 'reset': // another history (ws/15): forget this one's ids, and take the kept messages as history
        if (state) {
          state.lastId = 0;
          state.epoch = frame.epoch;
          state.historyLast = frame.last;
          this.listener.reset(frame.channel);
        }
        return;
      case 'join':
      case 'leave':
        this.listener.presence(frame.channel, frame.event, frame.username);
        return;
      default:
        // an event this page does not know: clients ignore what they do not understand
    }
  }
}
