// The chat page: log on, the channel list, the open channel's history and live messages, posting, unread counts.
// api.js speaks HTTP, live.js the WebSocket, view.js draws; this file holds the state and the controls.
import { call, describe, freshKey } from './api.js';
import { Live } from './live.js';
import { eventItem, isAtEnd, messageItem, renderChannels, renderPresence } from './view.js';

const LIST_EVERY_MS = 3_000;   // others' new channels show within 5 s; 20 calls a minute, far inside --rate-calls
const KEPT_PER_CHANNEL = 1_000; // lines the page keeps for each followed channel
const POST_TRIES = 3;

const $ = id => document.getElementById(id);
const ui = {
  notice: $('notice'), logon: $('logon'), username: $('username'), password: $('password'),
  chat: $('chat'), me: $('me'), connection: $('connection'), logoff: $('logoff'),
  channels: $('channels'), create: $('create'), newChannel: $('new-channel'),
  title: $('channel-title'), presence: $('presence'), log: $('messages'), compose: $('compose'), message: $('message'),
};

let session = null;        // { sesskey, username }, also in sessionStorage (never localStorage: it dies with the tab)
let live = null;           // the WebSocket, while logged on
let listTimer = null;
let channelNames = [];
let openChannel = null;
const lines = new Map();   // channel -> its items (a message, or { event: text }), oldest first
const unread = new Map();  // channel -> messages that came while it was not open
let presence = null;       // { channel, count, users: Set } for the open channel, or null
let presenceOffered = true; // false once the server answers `who` as an unknown call

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
}

function clearNotice() {
  ui.notice.hidden = true;
  ui.notice.textContent = '';
}

// --- logging on and off

function showLogon(noticeText) {
  ui.chat.hidden = true;
  ui.logon.hidden = false;
  ui.password.value = '';
  if (noticeText) {
    showNotice(noticeText);
  }
  (ui.username.value ? ui.password : ui.username).focus();
}

ui.logon.addEventListener('submit', async event => {
  event.preventDefault();
  const username = ui.username.value;
  try {
    const sesskey = await call('logon', { username, password: ui.password.value });
    clearNotice();
    session = { sesskey, username };
    sessionStorage.setItem('chat.session', JSON.stringify(session));
    enterChat();
  } catch (failure) {
    showNotice(failure.error === 'WRONG_PASSWORD'
      ? 'Wrong password for ' + username + ' (that name is taken, with another password).'
      : describe(failure));
  }
});

ui.logoff.addEventListener('click', async () => {
  const key = session.sesskey;
  leaveChat();
  showLogon();
  try {
    await call('logoff', { sesskey: key });
  } catch (failure) {
    if (failure.error !== 'INVALID_SESSION') {
      showNotice('Logged off here, but the server did not hear it: ' + describe(failure));
    }
  }
});

function leaveChat() {
  sessionStorage.removeItem('chat.session');
  session = null;
  if (live) {
    live.close();
    live = null;
  }
  clearInterval(listTimer);
  channelNames = [];
  openChannel = null;
  lines.clear();
  unread.clear();
  presence = null;
}

function sessionEnded() {
  leaveChat();
  showLogon('Your session has ended (logged off elsewhere, or idle too long); log on again.');
}

/** A failure of any call: a session that has ended goes back to the logon form, anything else is said. */
function failed(failure, what) {
  if (failure.error === 'INVALID_SESSION') {
    sessionEnded();
  } else {
    showNotice(what + ': ' + describe(failure));
  }
}

function enterChat() {
  ui.logon.hidden = true;
  ui.chat.hidden = false;
  ui.me.textContent = session.username;
  live = new Live(session.sesskey, {
    message: received,
    gap: (channel, from, to) => addLine(channel, { event: from === to ? 'Message ' + from + ' was dropped before '
        + 'this page got it.' : 'Messages ' + from + ' to ' + to + ' were dropped before this page got them.' }),
    reset: channel => {
      lines.set(channel, []);
      addLine(channel, { event: 'The server lost part of this channel\'s history; it starts over here.' });
    },
    presence: presenceChanged,
    connection: connectionChanged,
    sessionEnded,
    followLost: (channel, failure) => {
      unread.delete(channel);
      lines.delete(channel); // following it again starts from its kept history
      if (failure.error !== 'LIMIT_REACHED') {
        failed(failure, 'Cannot follow ' + channel);
      }
    },
  }, () => call('list', { sesskey: session.sesskey }));
  refreshChannels();
  listTimer = setInterval(refreshChannels, LIST_EVERY_MS);
}

function connectionChanged(state, waitMs) {
  if (state === 'open') {
    ui.connection.textContent = 'Connected';
    if (openChannel) {
      loadPresence(openChannel);
    }
  } else if (state === 'lost') {
    ui.connection.textContent = 'Connection lost; trying again in ' + Math.ceil(waitMs / 1000) + ' s';
  } else {
    ui.connection.textContent = 'Connecting…';
  }
}

// --- channels

async function refreshChannels() {
  if (!session) {
    return;
  }
  try {
    channelNames = await call('list', { sesskey: session.sesskey });
    drawChannels();
  } catch (failure) {
    if (failure.error === 'INVALID_SESSION') {
      sessionEnded();
    } else if (!failure.isPassing) { // a dropped connection is the status line's to tell
      showNotice('The channel list: ' + describe(failure));
    }
  }
}

function drawChannels() {
  renderChannels(ui.channels, channelNames, openChannel, unread, open);
}

ui.create.addEventListener('submit', async event => {
  event.preventDefault();
  const channel = ui.newChannel.value;
  try {
    await call('create', { sesskey: session.sesskey, channel });
    clearNotice();
    ui.newChannel.value = '';
    await refreshChannels();
    open(channel);
  } catch (failure) {
    failed(failure, 'Cannot create ' + channel);
  }
});

function open(channel) {
  openChannel = channel;
  unread.delete(channel);
  live.follow(channel);
  ui.title.textContent = channel;
  document.title = channel + ' – Chat';
  ui.compose.hidden = false;
  ui.log.replaceChildren(...(lines.get(channel) || []).map(toItem));
  ui.log.scrollTop = ui.log.scrollHeight;
  drawChannels();
  presence = null;
  renderPresence(ui.presence, null);
  loadPresence(channel);
  ui.message.focus();
}

// --- messages

function toItem(line) {
  return line.event ? eventItem(line.event) : messageItem(line);
}

function addLine(channel, line) {
  const kept = lines.get(channel) || [];
  kept.push(line);
  if (kept.length > KEPT_PER_CHANNEL) {
    kept.shift();
  }
  lines.set(channel, kept);
  if (channel === openChannel) {
    const atEnd = isAtEnd(ui.log);
    ui.log.append(toItem(line));
    if (ui.log.children.length > KEPT_PER_CHANNEL) {
      ui.log.firstElementChild.remove();
    }
    if (atEnd) {
      ui.log.scrollTop = ui.log.scrollHeight;
    }
  }
}

function received(channel, msg, isHistory) {
  addLine(channel, msg);
  if (channel !== openChannel && !isHistory) {
    unread.set(channel, (unread.get(channel) || 0) + 1);
    drawChannels();
  }
}

// Enter sends, Shift+Enter is a new line.
ui.message.addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.compose.requestSubmit();
  }
});

ui.compose.addEventListener('submit', async event => {
  event.preventDefault();
  const channel = openChannel;
  const message = ui.message.value;
  if (!channel || message === '') {
    return;
  }
  // The field empties at once, so the next message can be typed while this one goes; it comes back if not sent.
  ui.message.value = '';
  // One key for every try: a post whose answer was lost is sent again and stored once (post/5).
  const key = freshKey();
  for (let attempt = 1; ; attempt++) {
    try {
      await call('post', { sesskey: session.sesskey, channel, message }, key);
      clearNotice();
      return;
    } catch (failure) {
      if (failure.isPassing && attempt < POST_TRIES) {
        await new Promise(done => setTimeout(done, (failure.retryAfter || attempt) * 1000));
        continue;
      }
      if (ui.message.value === '') {
        ui.message.value = message;
      }
      failed(failure, 'Not sent (your text is back in the field)');
      return;
    }
  }
});

// --- presence, where the server offers it

async function loadPresence(channel) {
  if (!presenceOffered) {
    return;
  }
  try {
    const answer = await live.call('who', { channel });
    if (channel === openChannel) {
      presence = { channel, count: answer.count, users: new Set(answer.users) };
      renderPresence(ui.presence, presence);
    }
  } catch (failure) {
    if (failure.error === 'UNKNOWN_CALL') {
      presenceOffered = false; // a server without presence: show none
    }
  }
}

function presenceChanged(channel, event, username) {
  if (!presence || presence.channel !== channel) {
    return;
  }
  if (event === 'join' && !presence.users.has(username)) {
    presence.users.add(username);
    presence.count++;
  } else if (event === 'leave' && (presence.users.delete(username) || presence.count > presence.users.size)) {
    presence.count--;
  }
  renderPresence(ui.presence, presence);
}

// --- start: a tab that logged on before (a reload) goes on with its session

const saved = sessionStorage.getItem('chat.session');
if (saved) {
  session = JSON.parse(saved);
  enterChat();
} else {
  showLogon();
}
