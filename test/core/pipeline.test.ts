import { describe, expect, it } from 'vitest';
import { OutputHolds, Pipeline, SaslClientExchange, parseOAuthError, ProtocolError } from '../../src/index';
import { dec, enc } from '../helpers/bytes';

function make(pipelining: boolean): { p: Pipeline<string>; written: string[] } {
  const written: string[] = [];
  const p = new Pipeline<string>({ write: (c) => written.push(c), pipelining: () => pipelining });
  return { p, written };
}

describe('core Pipeline: queue, in flight, hold points, holds', () => {
  it('with pipelining everything goes at once, up to and including a hold point', () => {
    const { p, written } = make(true);
    p.enqueue('MAIL');
    p.enqueue('RCPT');
    p.enqueue('DATA', { holdPoint: true });
    p.enqueue('NOOP');
    expect(written).toEqual(['MAIL', 'RCPT', 'DATA']);
    expect(p.inFlight).toBe(3);
    expect(p.answered()).toBe('MAIL');
    p.flush();
    expect(written).toEqual(['MAIL', 'RCPT', 'DATA']); // DATA still unanswered
    p.answered();
    p.answered();
    p.flush();
    expect(written).toEqual(['MAIL', 'RCPT', 'DATA', 'NOOP']);
  });

  it('without pipelining one command at a time', () => {
    const { p, written } = make(false);
    p.enqueue('USER');
    p.enqueue('PASS');
    expect(written).toEqual(['USER']);
    p.answered();
    p.flush();
    expect(written).toEqual(['USER', 'PASS']);
  });

  it('a hold stops everything until released; first: true goes ahead of the queue', () => {
    const { p, written } = make(true);
    p.hold('tls');
    p.enqueue('AUTH', { holdPoint: true });
    expect(written).toEqual([]);
    p.enqueue('EHLO', { holdPoint: true, first: true });
    p.release('tls');
    expect(written).toEqual(['EHLO']);
    p.answered();
    p.flush();
    expect(written).toEqual(['EHLO', 'AUTH']);
  });

  it('drop removes queued commands in order; clear forgets everything', () => {
    const { p, written } = make(false);
    p.enqueue('NOOP');
    p.enqueue('PASS');
    p.enqueue('PASS');
    p.enqueue('STAT');
    expect(p.drop((c) => c === 'PASS')).toEqual(['PASS', 'PASS']);
    expect(p.queuedCount).toBe(1);
    expect(p.has((c) => c === 'STAT')).toBe(true);
    expect(p.clear()).toBe(1);
    expect(p.head).toBeUndefined();
    p.flush();
    expect(written).toEqual(['NOOP']);
  });
});

describe('core SaslClientExchange', () => {
  it('rfc2195 CRAM-MD5 run by the application', () => {
    const x = new SaslClientExchange({ mechanism: 'CRAM-MD5' });
    expect(x.initialResponse).toBeNull();
    const step = x.challenge('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+');
    expect(step.type).toBe('ask');
    expect(dec((step as { challenge: Uint8Array }).challenge)).toBe('<1896.697170952@postoffice.reston.mci.net>');
    expect(x.respond(enc('tim b913a602c7eda7a495b4e6e7334d3890'))).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw');
    expect(x.respond(enc('again'))).toBeNull();
  });

  it('LOGIN answers two challenges, then cancels', () => {
    const x = new SaslClientExchange({ mechanism: 'LOGIN', user: 'u', password: 'p' });
    expect(x.challenge('VXNlcm5hbWU6')).toEqual({ type: 'respond', line: 'dQ==' });
    expect(x.challenge('UGFzc3dvcmQ6')).toEqual({ type: 'respond', line: 'cA==' });
    expect(x.challenge('')).toEqual({ type: 'respond', line: '*' });
  });

  it('parseOAuthError: T | ProtocolError', () => {
    expect(parseOAuthError('eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0K')).toMatchObject({ status: '401', schemes: 'bearer mac', scope: 'https://mail.google.com/' });
    expect(parseOAuthError('!!')).toBeInstanceOf(ProtocolError);
    expect(parseOAuthError(btoa('[1]'))).toBeInstanceOf(ProtocolError);
    expect(parseOAuthError(btoa('{'))).toMatchObject({ code: 'SYNTAX' });
  });

  it('an unknown mechanism given with a user is a mistake (TypeError), not a silent application exchange', () => {
    expect(() => new SaslClientExchange({ mechanism: 'GSSAPI', user: 'u', password: 'p' } as never)).toThrow(TypeError);
  });
});

describe('core AnswerFence / Pipeline.takeStray: an answer begun before its command was written', () => {
  it('a read ending inside an answer with nothing in flight: the command written next is not its answer', () => {
    const { p, written } = make(true);
    p.readEnded(true);
    p.enqueue('STAT');
    expect(written).toEqual(['STAT']);
    expect(p.takeStray()).toBe(true);
    // The next answer arrived after STAT was written.
    expect(p.takeStray()).toBe(false);
    expect(p.head).toBe('STAT');
  });

  it('with a command in flight the answer begun is its own; a read that ends on an answer boundary fences nothing', () => {
    const { p } = make(true);
    p.enqueue('NOOP');
    p.readEnded(true);
    p.enqueue('STAT');
    expect(p.takeStray()).toBe(false);
    p.readEnded(false);
    p.answered();
    expect(p.takeStray()).toBe(false);
  });

  it('OutputHolds: any is on while one named hold is', () => {
    const h = new OutputHolds();
    expect(h.any).toBe(false);
    h.hold('greeting');
    h.hold('tls');
    h.release('greeting');
    expect(h.any).toBe(true);
    expect(h.isHeld('tls')).toBe(true);
    h.release('tls');
    expect(h.any).toBe(false);
  });
});
