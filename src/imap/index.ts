/**
 * IMAP (RFC 3501 IMAP4rev1, RFC 9051 IMAP4rev2 and extensions): response codec and
 * streaming response parser, sequence sets, modified UTF-7 mailbox names.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './syntax';
export * from './framer';
export * from './sequence-set';
export * from './mailbox-name';
export * from './envelope';
export * from './body';
export * from './fetch';
export * from './mailbox';
export * from './status';
export * from './esearch';
export { UIDBATCHES_MIN_BATCH_SIZE, UIDBATCHES_MIN_SERVER_LIMIT, readUidBatchesResponse, writeUidBatchesResponse, uidBatchesRefusal, type UidBatch, type UidBatchesData, type UidBatchesRefusal } from './uidbatches';
export * from './namespace';
export * from './quota';
export * from './acl';
export * from './metadata';
export * from './id';
export * from './response-code';
export * from './response';
export * from './parser';
export * from './encoded-words';
export * from './encoder';
export * from './command-types';
export type {
  SearchKey,
  SearchFlagKey,
  SearchStringKey,
  SearchHeaderKey,
  SearchKeywordKey,
  SearchDateKey,
  SearchNumberKey,
  SearchSetKey,
  SearchNotKey,
  SearchOrKey,
  SearchAndKey,
  SearchModseqKey,
  SearchGmailIdKey,
  SearchObjectIdKey,
  SearchRawKey,
  SearchReturnOption,
  SequenceSetOrSaved,
} from './search';
export { SEARCH_DATE_RE, formatSequenceSet } from './search';
export * from './fetch-items';
export * from './command-reader';
export { CommandWriter, ATOM_RE, atomOrThrow } from './command-writer';
export type { CommandHead } from './command-session';
export * from './date-time';
export * from './url';
export * from './special-use';
export * from './sequence-set-algebra';
export * from './command';
export * from './command-parser';
export * from './client';
export * from './server';
export * from './tag';
