// The one way the mock reads a file a user names (fixtures, --tls-cert/--tls-key/--tls-ca): the
// repository's reader (a regular file of bounded size, checked before a byte is read), with the mock's caps.
export { FileReadProblem, readRegularFile } from '@cci-openapi/internals/regular-file';

/** Largest fixtures file read (a --generate of the largest size is about 100 MB as one list; fixtures are hand-written). */
export const MAX_FIXTURE_FILE_BYTES = 64 * 1024 * 1024;
/** Largest PEM file read (a certificate chain, a key, a CA bundle). */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;
