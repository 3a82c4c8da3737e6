// Everything the page shows. Every string from the server goes in as text (textContent, never parsed as HTML): a
// message is data, whatever it contains.

/** An element with its text; the one way this page makes elements that show server strings. */
export function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) {
    made.className = className;
  }
  if (text !== undefined) {
    made.textContent = text;
  }
  return made;
}

/** One item of the log: time (when the server gave one), who, and the text. */
export function messageItem(msg) {
  const item = element('li', 'message');
  if (Number.isSafeInteger(msg.time)) {
    const when = new Date(msg.time);
    const time = element('time', null, when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    time.dateTime = when.toISOString();
    time.title = when.toLocaleString();
    item.append(time, ' ');
  }
  // The spaces are text, so that a screen reader (and a copy) reads "alice hi", not "alicehi".
  item.append(element('span', 'who', String(msg.username)), ' ', element('span', 'text', String(msg.message)));
  return item;
}

/** A line in the log that is no message: what the server said happened to the channel's history. */
export function eventItem(text) {
  return element('li', 'event', text);
}

/**
 * The channel list: a button per channel named by it, then a space and the unread count when there is one
 * ("general 3"), as a screen reader reads it.
 */
export function renderChannels(list, names, openChannel, unread, onOpen) {
  const buttons = names.map(name => {
    const button = element('button', null);
    button.type = 'button';
    button.append(element('span', 'name', name));
    const count = unread.get(name) || 0;
    if (count > 0) {
      button.append(' ', element('span', 'unread', String(count)));
    }
    if (name === openChannel) {
      button.setAttribute('aria-current', 'true');
    }
    button.addEventListener('click', () => onOpen(name));
    const item = element('li');
    item.append(button);
    return item;
  });
  list.replaceChildren(...buttons);
}

/** "3 here: alice, bob, carol", or nothing when the server does not tell. */
export function renderPresence(paragraph, presence) {
  if (!presence) {
    paragraph.hidden = true;
    return;
  }
  const names = [...presence.users].sort();
  const more = presence.count > names.length ? ', and ' + (presence.count - names.length) + ' more' : '';
  paragraph.textContent = presence.count + ' here' + (names.length ? ': ' + names.join(', ') + more : '');
  paragraph.hidden = false;
}

/** Whether the log is scrolled to its end, so that a new message should keep it there. */
export function isAtEnd(log) {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
}
