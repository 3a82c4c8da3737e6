// The protocol's HTTP calls (spec/protocol.md, sections 1 to 5): POST /<call> with a JSON object, answered with the
// envelope {"status": true, "data": ...} or {"status": false, "data": reason, "error": CODE}.

/** A call that failed: the protocol's code and reason, and how long to wait when waiting helps. */
export class ChatFailure extends Error {
  constructor(error, reason, retryAfter) {
    super(reason);
    this.error = error;           // "WRONG_PASSWORD", "RATE_LIMITED", ... or "NETWORK" when no answer came
    this.reason = reason;         // meant for a person
    this.retryAfter = retryAfter; // seconds, or null
  }

  /** Whether the same call may go through later unchanged: no answer, or the server busy for now. */
  get isPassing() {
    return ['NETWORK', 'STORE_UNAVAILABLE', 'SERVER_BUSY', 'REPLICA_FAILED', 'NO_REPLICA_READY']
      .includes(this.error);
  }
}

/** Throws the ChatFailure of a failed envelope; returns the data of a successful one. */
export function dataOf(answer, retryAfter) {
  if (answer && answer.status === true) {
    return answer.data;
  }
  const reason = answer && typeof answer.data === 'string' ? answer.data : 'the server gave no reason';
  const error = answer && typeof answer.error === 'string' ? answer.error : 'UNKNOWN';
  const wait = Number.isInteger(answer?.retry_after) ? answer.retry_after : retryAfter;
  throw new ChatFailure(error, reason, wait);
}

/**
 * One call over HTTP. Session keys are below 2^53 (session/2), so JSON.parse reads them exactly. A post may carry
 * an idempotency key, so that sending it again after a lost answer stores it once (post/5).
 */
export async function call(name, body, idempotencyKey) {
  const headers = { 'Content-Type': 'application/json' };
  if (idempotencyKey) {
    headers['Idempotency-Key'] = idempotencyKey;
  }
  let response;
  let answer;
  try {
    response = await fetch('/' + name, { method: 'POST', headers, body: JSON.stringify(body) });
    answer = await response.json();
  } catch (noAnswer) {
    throw new ChatFailure('NETWORK', 'the server does not answer (' + noAnswer.message + ')', null);
  }
  const retryAfter = Number.parseInt(response.headers.get('Retry-After'), 10);
  return dataOf(answer, Number.isInteger(retryAfter) ? retryAfter : null);
}

/** A fresh random key for one post (crypto.getRandomValues works on plain http too, unlike randomUUID). */
export function freshKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** What to tell a person about a failure, in words they can act on. */
export function describe(failure) {
  if (!(failure instanceof ChatFailure)) {
    return 'Something went wrong in the page: ' + failure;
  }
  let text = failure.reason;
  if (failure.retryAfter && !/try again/i.test(text)) {
    text += '; try again in ' + failure.retryAfter + ' s';
  }
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
