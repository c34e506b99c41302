import { describe, expect, it } from 'vitest';
import { smtp, ProtocolError } from '../../src/index';

const caps = (wire: string): smtp.Capabilities => {
  const reply = smtp.parseReply(wire);
  if (reply instanceof ProtocolError) throw reply;
  return smtp.parseCapabilities(reply);
};

describe('EHLO keywords of the extensions the seeds list, typed', () => {
  it('rfc3885 MTRK, rfc3865 NO-SOLICITING, rfc1845 CHECKPOINT, rfc4141 CONPERM/CONNEG, rfc4405 SUBMITTER, rfc4468 BURL, rfc2645 ATRN', () => {
    const c = caps(
      '250-mx.example.net greets client\r\n250-MTRK\r\n250-NO-SOLICITING net.example:ADV\r\n250-CHECKPOINT\r\n250-CONPERM\r\n250-CONNEG\r\n250-SUBMITTER\r\n250-BURL imap\r\n250 ATRN\r\n',
    );
    expect(c).toMatchObject({ mtrk: true, noSoliciting: ['net.example:ADV'], checkpoint: true, conperm: true, conneg: true, submitter: true, burl: ['IMAP'], atrn: true });
  });

  it('absent keywords read as false / null; bare NO-SOLICITING and BURL as empty lists', () => {
    expect(caps('250 mx.example.net\r\n')).toMatchObject({ mtrk: false, noSoliciting: null, checkpoint: false, burl: null, atrn: false });
    expect(caps('250-mx\r\n250-NO-SOLICITING\r\n250 BURL\r\n')).toMatchObject({ noSoliciting: [], burl: [] });
  });

  it('capabilityLines refuses a keyword or parameter that would announce something else', () => {
    expect(smtp.capabilityLines('mx', '', [{ keyword: 'SIZE', params: ['1000'] }])).toEqual(['mx', 'SIZE 1000']);
    expect(() => smtp.capabilityLines('mx', '', [{ keyword: 'SIZE\r\n250 AUTH', params: [] }])).toThrow(TypeError);
    expect(() => smtp.capabilityLines('mx', '', [{ keyword: 'AUTH', params: ['PLAIN LOGIN'] }])).toThrow(TypeError);
    expect(() => smtp.capabilityLines('mx', '', [{ keyword: 'X', params: [''] }])).toThrow(TypeError);
  });
});
